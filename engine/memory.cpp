#include "gouji/memory.hpp"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

// The sanitizers bring allocators of their own; so may clang, which names them so.
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define GOUJI_OWN_ALLOCATOR 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GOUJI_OWN_ALLOCATOR 1
#endif
#if defined(__GLIBC__) && UINTPTR_MAX == UINT64_MAX && !defined(GOUJI_OWN_ALLOCATOR)
#define GOUJI_HUGE_HEAPS 1
#endif

namespace gouji {

namespace {

#ifdef GOUJI_HUGE_HEAPS

constexpr std::uintptr_t huge_page = std::uintptr_t{2} << 20;
// A heap grows by this much at a time: address space only, until a page is touched.
// glibc's heaps of other threads are this large and aligned to it (HEAP_MAX_SIZE on
// 64-bit systems, unless its hugetlb tunable is set: then nothing here is done).
constexpr std::uintptr_t heap_reserve = std::uintptr_t{64} << 20;

// MADV_COLLAPSE (Linux 6.1), which the C library's headers may not name yet; an
// older kernel refuses it, and the heap keeps its small pages.
constexpr int madvise_collapse = 25;

std::atomic<bool> enabled{false};

// Huge pages given on request: the system's setting says "always" or "madvise".
// MADV_COLLAPSE would make them even where it says "never", so it is asked first.
bool huge_pages_on_request() {
    std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
    std::string modes;
    std::getline(f, modes);
    return modes.find("[always]") != std::string::npos || modes.find("[madvise]") != std::string::npos;
}

// glibc's own huge page tunable changes the size of its heaps.
bool glibc_tunes_huge_pages() {
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    return tunables && std::strstr(tunables, "hugetlb");
}

void advise(std::uintptr_t from, std::uintptr_t to) {
    from = (from + huge_page - 1) & ~(huge_page - 1);
    to &= ~(huge_page - 1);
    // A range that holds unmapped gaps is advised where mapped; the error says so only.
    if (from < to) (void)madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);
}

#endif

}  // namespace

void back_heaps_with_huge_pages() {
#ifdef GOUJI_HUGE_HEAPS
    static std::atomic<bool> asked{false};
    if (asked.exchange(true) || !huge_pages_on_request() || glibc_tunes_huge_pages()) return;
    // Heaps (the main one grown by brk, those threads are given) come 64 MiB at a
    // time, so that huge pages fit. The main one is made to grow now, from a break
    // moved up to a huge page's boundary (glibc takes space another caller of sbrk()
    // left as a gap it does not use; the gap is never touched), by blocks below the
    // size glibc maps on their own; and its new 64 MiB advised. A brk that grows later
    // is a new mapping, not advised. (The sbrk() is outside glibc's lock: hence "before
    // any other thread starts".) The price: a heap is trimmed down to 64 MiB, not
    // 128 KiB, so memory a large report freed stays with the process until it ends.
    mallopt(M_TOP_PAD, static_cast<int>(heap_reserve));
    const auto end = reinterpret_cast<std::uintptr_t>(sbrk(0));
    const std::uintptr_t gap = ((end + huge_page - 1) & ~(huge_page - 1)) - end;
    if (gap > 0 && sbrk(static_cast<std::intptr_t>(gap)) == reinterpret_cast<void*>(-1)) return;
    const auto before = reinterpret_cast<std::uintptr_t>(sbrk(0));
    std::array<void*, 16> held{};
    std::size_t n = 0;
    auto after = before;
    while (n < held.size() && after == before) {
        held[n++] = std::malloc(120 << 10);
        after = reinterpret_cast<std::uintptr_t>(sbrk(0));
    }
    for (std::size_t i = 0; i < n; ++i) std::free(held[i]);
    // The break did not move: the allocator is not glibc's brk heap (another one
    // preloaded, valgrind's), and its threads' heaps are not glibc's either.
    if (after <= before) return;
    advise(before, after);
    // The blocks just taken wrote their headers in its first huge page's place.
    (void)madvise(reinterpret_cast<void*>(before), huge_page, madvise_collapse);
    enabled = true;
#endif
}

bool back_thread_heap_with_huge_pages() {
#ifdef GOUJI_HUGE_HEAPS
    if (!enabled.load(std::memory_order_relaxed)) return false;
    void* probe = std::malloc(64);
    const auto at = reinterpret_cast<std::uintptr_t>(probe);
    std::free(probe);
    // In the main heap (one thread's arena being shared) there is nothing to do.
    if (at < reinterpret_cast<std::uintptr_t>(sbrk(0)) + heap_reserve) return false;
    const std::uintptr_t heap = at & ~(heap_reserve - 1);
    advise(heap, heap + heap_reserve);
    // Its first pages are written as the heap is made, before it could be advised, so
    // its first huge page would never come: made one now, the pages there copied in
    // (madvise(MADV_COLLAPSE)).
    (void)madvise(reinterpret_cast<void*>(heap), huge_page, madvise_collapse);
    return true;
#else
    return false;
#endif
}

}  // namespace gouji
