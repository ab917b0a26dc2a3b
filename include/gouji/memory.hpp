#pragma once

namespace gouji {

// On a virtual machine a page fault can cost 20–40 µs, and a run of `gouji check`
// on one report touches a few thousand new 4 KiB pages of heap: more time than the
// check itself. These ask the kernel (transparent huge pages, where the system gives
// them on request: /sys/kernel/mm/transparent_hugepage/enabled is "always" or
// "madvise") to back glibc's heaps with 2 MiB pages, so that one fault brings 512
// pages. They change where memory comes from, never what is computed; without
// huge pages, under a sanitizer or another allocator they do nothing.

// Once, at the start of a program, before any other thread starts: the main heap,
// and the heaps later threads get.
void back_heaps_with_huge_pages();

// At the start of a thread that allocates (a compile helper, a batch worker): the
// heap glibc gave the thread, when it is one of its own. Whether it was advised.
bool back_thread_heap_with_huge_pages();

}  // namespace gouji
