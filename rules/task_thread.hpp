// A thread that runs tasks handed to it one at a time, and the one such thread a
// process may keep spare for compiles (RegexTablesWarmup's): on a 2-core VM a
// thread took 0.2–0.5 ms to start (once 4 ms) and its heap another 0.1–0.5 ms
// to set up (huge pages), a tenth of a first compile each.
#pragma once

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

namespace gouji::rules {

class TaskThread {
public:
    // Starts it: it runs `first`, then the tasks given. Throws std::system_error
    // when no thread can be started.
    explicit TaskThread(std::function<void()> first = {});
    // Waits for `first`, and for the task it is running.
    ~TaskThread();
    TaskThread(const TaskThread&) = delete;
    TaskThread& operator=(const TaskThread&) = delete;

    // A task given to the thread. It reads its giver's locals: the destructor
    // waits for it (drops it, not begun), so an exception on the giver's side
    // cannot leave it reading freed ones.
    class Task {
    public:
        explicit Task(TaskThread* thread = nullptr) : thread_(thread) {}
        Task(Task&& other) noexcept : thread_(std::exchange(other.thread_, nullptr)) {}
        Task& operator=(Task&&) = delete;
        ~Task() {
            if (thread_) (void)thread_->finished();
        }
        bool given() const { return thread_ != nullptr; }
        // Waits for it, or runs it here if the thread has not begun it (still at
        // `first`): a giver never waits for that. Rethrows what it threw (out of
        // memory).
        void get();

    private:
        TaskThread* thread_;
    };

    // Runs `task` there. One task at a time: the last given must be waited for.
    Task run(std::function<void()> task);

private:
    void serve(const std::function<void()>& first);
    // The task given, if the thread has not begun it.
    std::function<void()> take_back();
    // Waits for the task given; what it threw. One not begun is dropped.
    std::exception_ptr finished();

    std::mutex mutex_;
    std::condition_variable changed_;
    std::function<void()> waiting_;  // given, not begun
    bool done_ = false;
    bool stopping_ = false;
    std::exception_ptr error_;
    std::thread thread_;
};

// The spare thread: offered by its owner, lent to one compile at a time.
// Offered only when none is.
void offer_spare_thread(TaskThread& thread);
// Waits for the compile that has it to give it back; then no compile gets it.
void withdraw_spare_thread(TaskThread& thread);
// The thread offered, when one is and no other compile has it.
TaskThread* borrow_spare_thread();
void give_back_spare_thread(TaskThread& thread);

}  // namespace gouji::rules
