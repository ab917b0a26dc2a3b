// A batch worked on several threads whose results come out in input order, so
// that what is written is the same whatever the number of threads.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#include "gouji/memory.hpp"

namespace gouji::cli {

// Runs produce(i) for every i below `count` on up to `jobs` threads, and hands
// each result to consume(result) on the calling thread in order of i, as soon
// as it and every one before it are done. At most 2 × jobs results are made
// ahead of the one awaited: a slow report holds the others back instead of
// letting finished ones pile up in memory. consume() returning false ends the
// batch: no new work starts. An exception from produce() is rethrown here, in
// its turn, once the threads have stopped; so is one from consume().
template <class Result, class Produce, class Consume>
void run_in_order(std::size_t count, std::size_t jobs, Produce produce, Consume consume) {
    auto run_alone = [&] {
        for (std::size_t i = 0; i < count; ++i) {
            Result r = produce(i);
            if (!consume(r)) return;
        }
    };
    if (jobs > count) jobs = count;
    if (jobs <= 1) return run_alone();

    struct Slot {
        std::optional<Result> result;
        std::exception_ptr error;
        bool done = false;
    };
    const std::size_t window = 2 * jobs;
    std::vector<Slot> ring(window);  // result i waits in ring[i % window]
    std::mutex mutex;
    std::condition_variable finished, room;
    std::size_t next = 0;     // the next index to start
    std::size_t awaited = 0;  // the next index to hand to consume()
    bool stop = false;

    auto work = [&] {
        back_thread_heap_with_huge_pages();
        for (;;) {
            std::size_t i = 0;
            {
                std::unique_lock lock(mutex);
                room.wait(lock, [&] { return stop || next >= count || next < awaited + window; });
                if (stop || next >= count) return;
                i = next++;
            }
            Slot slot;
            try {
                slot.result.emplace(produce(i));
            } catch (...) {
                slot.error = std::current_exception();
            }
            slot.done = true;
            {
                std::lock_guard lock(mutex);
                ring[i % window] = std::move(slot);
            }
            finished.notify_all();
        }
    };

    // However this function ends, the threads are told to stop and joined first.
    std::vector<std::thread> threads;
    struct Joiner {
        std::mutex& mutex;
        std::condition_variable& room;
        bool& stop;
        std::vector<std::thread>& threads;
        ~Joiner() {
            {
                std::lock_guard lock(mutex);
                stop = true;
            }
            room.notify_all();
            for (auto& t : threads) t.join();
        }
    } joiner{mutex, room, stop, threads};
    for (std::size_t t = 0; t < jobs; ++t) {
        try {
            threads.emplace_back(work);
        } catch (const std::system_error&) {
            break;  // fewer threads than asked for: those there are do the work
        }
    }
    if (threads.empty()) return run_alone();  // no thread could be started

    while (awaited < count) {
        Slot slot;
        {
            std::unique_lock lock(mutex);
            finished.wait(lock, [&] { return ring[awaited % window].done; });
            slot = std::move(ring[awaited % window]);
            ring[awaited % window] = Slot{};
        }
        if (slot.error) std::rethrow_exception(slot.error);
        const bool go_on = consume(*slot.result);
        {
            std::lock_guard lock(mutex);
            ++awaited;
            stop = stop || !go_on;
        }
        room.notify_all();
        if (!go_on) return;
    }
}

}  // namespace gouji::cli
