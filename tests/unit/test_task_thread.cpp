// The thread that runs a compile's tasks beside it (rules/task_thread.hpp): where a
// task runs, what becomes of what it throws and of a task its giver gives up on,
// and the spare thread lent to one compile at a time.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <stdexcept>
#include <thread>

#include "rules/task_thread.hpp"

using gouji::rules::TaskThread;

namespace {

// Opened once; a thread waiting for it goes on.
class Gate {
public:
    void open() { opened_.set_value(); }
    void wait() const { opened_at_.wait(); }

private:
    std::promise<void> opened_;
    std::shared_future<void> opened_at_ = opened_.get_future().share();
};

}  // namespace

TEST_CASE("task thread: a task runs there after its first work, and what it throws is rethrown to its giver") {
    std::atomic<bool> first_done{false};
    TaskThread thread([&] { first_done = true; });
    // Waited for once begun there: one not begun would be run here.
    auto run_there = [&](std::function<void()> work) {
        std::atomic<bool> begun{false};
        auto task = thread.run([&] {
            begun = true;
            work();
        });
        CHECK(task.given());
        while (!begun) std::this_thread::yield();
        task.get();
    };
    std::thread::id ran_on;
    bool first_before = false;
    run_there([&] {
        ran_on = std::this_thread::get_id();
        first_before = first_done;
    });
    CHECK(ran_on != std::this_thread::get_id());
    CHECK(first_before);

    CHECK_THROWS_WITH_AS(run_there([] { throw std::runtime_error("out of something"); }), "out of something",
                         std::runtime_error);
    // The thread serves on.
    ran_on = {};
    run_there([&] { ran_on = std::this_thread::get_id(); });
    CHECK(ran_on != std::this_thread::get_id());
}

TEST_CASE("task thread: a task the thread has not begun is run by its giver when waited for, dropped when given up") {
    Gate gate;
    TaskThread thread([&] { gate.wait(); });
    std::thread::id ran_on;
    auto task = thread.run([&] { ran_on = std::this_thread::get_id(); });
    task.get();
    CHECK(ran_on == std::this_thread::get_id());

    // Its giver unwinding: the task is not run at all, there or here.
    bool ran = false;
    try {
        auto given_up = thread.run([&] { ran = true; });
        throw std::runtime_error("the giver fails");
    } catch (const std::runtime_error&) {
    }
    gate.open();
    auto after = thread.run([] {});
    after.get();
    CHECK_FALSE(ran);
}

TEST_CASE("task thread: a giver that throws while the thread runs its task waits for the task before unwinding further") {
    TaskThread thread;
    std::atomic<bool> begun{false};
    bool finished = false;
    try {
        int local = 0;  // what the task reads: freed once the giver has unwound
        auto task = thread.run([&] {
            begun = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            finished = local == 0;
        });
        while (!begun) std::this_thread::yield();
        throw std::runtime_error("the giver fails");
    } catch (const std::runtime_error&) {
        CHECK(finished);
    }
}

TEST_CASE("task thread: the spare thread is lent to one borrower at a time, and withdrawn once given back") {
    TaskThread spare;
    gouji::rules::offer_spare_thread(spare);
    TaskThread other;
    gouji::rules::offer_spare_thread(other);  // one is offered already: not this one
    TaskThread* lent = gouji::rules::borrow_spare_thread();
    CHECK(lent == &spare);
    CHECK(gouji::rules::borrow_spare_thread() == nullptr);
    gouji::rules::give_back_spare_thread(spare);
    lent = gouji::rules::borrow_spare_thread();
    CHECK(lent == &spare);

    std::atomic<bool> given_back{false};
    std::thread borrower([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        given_back = true;
        gouji::rules::give_back_spare_thread(spare);
    });
    gouji::rules::withdraw_spare_thread(spare);
    CHECK(given_back);
    borrower.join();
    CHECK(gouji::rules::borrow_spare_thread() == nullptr);
    gouji::rules::withdraw_spare_thread(other);  // never offered: nothing to do
}
