// The heaps asked to be backed by huge pages: the kernel's own account of the
// mappings (/proc/self/smaps, "hg" among a mapping's VmFlags) says whether they are.
#include <doctest/doctest.h>

#include "gouji/memory.hpp"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

namespace {

bool huge_pages_on_request() {
    std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
    std::string modes;
    std::getline(f, modes);
    return modes.find("[always]") != std::string::npos || modes.find("[madvise]") != std::string::npos;
}

// The VmFlags of the mapping that holds `p`.
std::string flags_of_mapping(const void* p) {
    const auto at = reinterpret_cast<std::uintptr_t>(p);
    std::ifstream smaps("/proc/self/smaps");
    bool inside = false;
    for (std::string line; std::getline(smaps, line);) {
        std::uintptr_t from = 0, to = 0;
        char dash = 0;
        std::istringstream head(line);
        if (head >> std::hex >> from >> dash >> to && dash == '-' && line.find(' ') > line.find('-')) {
            inside = from <= at && at < to;
        } else if (inside && line.starts_with("VmFlags:")) {
            return line;
        }
    }
    return "";
}

}  // namespace

TEST_CASE("memory: a thread's heap, asked for huge pages, is advised for them") {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    return;  // the sanitizers' allocator is not glibc's: nothing is asked
#endif
    if (!huge_pages_on_request()) return;  // a system without transparent huge pages
    gouji::back_heaps_with_huge_pages();
    std::string before, after;
    std::thread([&] {
        // A block of the thread's own heap, before and after.
        void* p = std::malloc(1000);
        before = flags_of_mapping(p);
        gouji::back_thread_heap_with_huge_pages();
        after = flags_of_mapping(p);
        std::free(p);
    }).join();
    INFO("before: ", before, "\nafter: ", after);
    REQUIRE_FALSE(after.empty());
    CHECK(after.find(" hg") != std::string::npos);
}
