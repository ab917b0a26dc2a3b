// The heaps asked to be backed by huge pages: the kernel's own account of the
// mappings (/proc/self/smaps, "hg" among a mapping's VmFlags) says whether they are
// advised for them.
#include <doctest/doctest.h>

#include "gouji/memory.hpp"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

namespace {

// The VmFlags of the mapping that holds the address `at`.
std::string flags_of_mapping(std::uintptr_t at) {
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

// In a child process of its own: the heaps' settings stay there, and no other
// thread of the test program can be in malloc() while the break is moved.
TEST_CASE("memory: a thread's heap, asked for huge pages, is advised for them") {
    constexpr int held = 0, not_held = 1, not_asked = 2;
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        gouji::back_heaps_with_huge_pages();
        int verdict = not_asked;
        std::thread([&] {
            // A block of the thread's own heap, before and after.
            void* p = std::malloc(1000);
            const auto at = reinterpret_cast<std::uintptr_t>(p);
            const std::string before = flags_of_mapping(at);
            if (gouji::back_thread_heap_with_huge_pages())
                verdict = before.find(" hg") == std::string::npos && flags_of_mapping(at).find(" hg") != std::string::npos
                              ? held
                              : not_held;
            std::free(p);
        }).join();
        std::_Exit(verdict);
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    const int verdict = WEXITSTATUS(status);
    // Nothing asked: huge pages not given on request here, a sanitizer's allocator,
    // or glibc giving the thread the main heap (MALLOC_ARENA_MAX=1).
    if (verdict == not_asked) {
        MESSAGE("no thread heap was advised here; nothing to check");
        return;
    }
    CHECK(verdict == held);
}
