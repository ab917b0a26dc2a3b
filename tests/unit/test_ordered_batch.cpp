// run_in_order (engine/cli/ordered_batch.hpp): the batch of `gouji check` on
// several threads, whose results must come out in input order.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "engine/cli/ordered_batch.hpp"

using gouji::cli::run_in_order;

namespace {

// Later items finish first: each sleeps less than the one before it.
int slow_then_fast(std::size_t i, std::size_t count) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2 * (count - i)));
    return static_cast<int>(i * i);
}

}  // namespace

TEST_CASE("ordered batch: results come in input order whatever finishes first, for any number of threads") {
    const std::size_t count = 23;
    for (std::size_t jobs : {1u, 2u, 3u, 8u, 64u}) {
        CAPTURE(jobs);
        std::vector<int> seen;
        run_in_order<int>(
            count, jobs, [&](std::size_t i) { return slow_then_fast(i, count); },
            [&](int& r) {
                seen.push_back(r);
                return true;
            });
        REQUIRE(seen.size() == count);
        for (std::size_t i = 0; i < count; ++i) CHECK(seen[i] == static_cast<int>(i * i));
    }
}

TEST_CASE("ordered batch: at most twice the threads' results wait ahead of the one awaited") {
    const std::size_t count = 40, jobs = 3;
    std::atomic<std::size_t> started{0};
    std::size_t consumed = 0, most_ahead = 0;
    run_in_order<std::size_t>(
        count, jobs,
        [&](std::size_t i) {
            ++started;
            if (i == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the others run ahead
            return i;
        },
        [&](std::size_t& r) {
            CHECK(r == consumed);
            most_ahead = std::max(most_ahead, started.load() - consumed);
            ++consumed;
            return true;
        });
    CHECK(consumed == count);
    CHECK(most_ahead <= 2 * jobs);
    CHECK(most_ahead >= 2);  // the others did run ahead while the first slept
}

TEST_CASE("ordered batch: consume() saying stop ends the batch, no new work starts") {
    const std::size_t count = 1000, jobs = 4;
    std::atomic<std::size_t> started{0};
    std::size_t consumed = 0;
    run_in_order<std::size_t>(
        count, jobs,
        [&](std::size_t i) {
            ++started;
            return i;
        },
        [&](std::size_t&) { return ++consumed < 5; });
    CHECK(consumed == 5);
    CHECK(started.load() <= 5 + 2 * jobs);
}

TEST_CASE("ordered batch: an exception from one item is rethrown in its turn, after the items before it") {
    for (std::size_t jobs : {1u, 4u}) {
        CAPTURE(jobs);
        std::vector<std::size_t> seen;
        auto run = [&] {
            run_in_order<std::size_t>(
                12, jobs,
                [&](std::size_t i) {
                    if (i == 7) throw std::runtime_error("item 7");  // long before the items before it are done
                    std::this_thread::sleep_for(std::chrono::milliseconds(i < 7 ? 5 : 0));
                    return i;
                },
                [&](std::size_t& r) {
                    seen.push_back(r);
                    return true;
                });
        };
        CHECK_THROWS_WITH_AS(run(), "item 7", std::runtime_error);
        CHECK(seen == std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6});
    }
}

TEST_CASE("ordered batch: an exception from consume() stops the threads and reaches the caller") {
    std::atomic<std::size_t> started{0};
    auto run = [&] {
        run_in_order<std::size_t>(
            500, 4,
            [&](std::size_t i) {
                ++started;
                return i;
            },
            [&](std::size_t& r) -> bool {
                if (r == 3) throw std::runtime_error("writing item 3");
                return true;
            });
    };
    CHECK_THROWS_WITH_AS(run(), "writing item 3", std::runtime_error);
    CHECK(started.load() <= 4 + 2 * 4);
}

TEST_CASE("ordered batch: nothing to do, or one item, needs no thread") {
    std::size_t calls = 0;
    run_in_order<int>(
        0, 8,
        [&](std::size_t) {
            ++calls;
            return 0;
        },
        [&](int&) { return true; });
    CHECK(calls == 0);
    std::thread::id where;
    run_in_order<int>(
        1, 8,
        [&](std::size_t) {
            where = std::this_thread::get_id();
            return 1;
        },
        [&](int&) { return true; });
    CHECK(where == std::this_thread::get_id());
}
