#include "rules/task_thread.hpp"

#include "gouji/memory.hpp"

namespace gouji::rules {

TaskThread::TaskThread(std::function<void()> first) {
    thread_ = std::thread([this, first = std::move(first)] { serve(first); });
}

TaskThread::~TaskThread() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
}

void TaskThread::Task::get() {
    auto* thread = std::exchange(thread_, nullptr);
    if (!thread) return;
    if (auto task = thread->take_back())
        task();
    else if (auto error = thread->finished())
        std::rethrow_exception(error);
}

TaskThread::Task TaskThread::run(std::function<void()> task) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        waiting_ = std::move(task);
    }
    changed_.notify_all();
    return Task(this);
}

void TaskThread::serve(const std::function<void()>& first) {
    back_thread_heap_with_huge_pages();
    if (first) first();
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        changed_.wait(lock, [&] { return waiting_ || stopping_; });
        if (!waiting_) return;
        std::function<void()> task = std::exchange(waiting_, nullptr);
        lock.unlock();
        std::exception_ptr error;
        try {
            task();
        } catch (...) {
            error = std::current_exception();
        }
        lock.lock();
        error_ = error;
        done_ = true;
        changed_.notify_all();
    }
}

std::function<void()> TaskThread::take_back() {
    std::lock_guard<std::mutex> lock(mutex_);
    return std::exchange(waiting_, nullptr);
}

std::exception_ptr TaskThread::finished() {
    std::unique_lock<std::mutex> lock(mutex_);
    if (waiting_) {
        waiting_ = nullptr;
        return nullptr;
    }
    changed_.wait(lock, [&] { return done_; });
    done_ = false;
    return std::exchange(error_, nullptr);
}

namespace {

struct SpareThread {
    std::mutex mutex;
    std::condition_variable given_back;
    TaskThread* thread = nullptr;
    bool lent = false;
};

SpareThread& spare() {
    static SpareThread s;
    return s;
}

}  // namespace

void offer_spare_thread(TaskThread& thread) {
    auto& s = spare();
    std::lock_guard<std::mutex> lock(s.mutex);
    if (!s.thread) s.thread = &thread;
}

void withdraw_spare_thread(TaskThread& thread) {
    auto& s = spare();
    std::unique_lock<std::mutex> lock(s.mutex);
    if (s.thread != &thread) return;
    s.given_back.wait(lock, [&] { return !s.lent; });
    s.thread = nullptr;
}

TaskThread* borrow_spare_thread() {
    auto& s = spare();
    std::lock_guard<std::mutex> lock(s.mutex);
    if (!s.thread || s.lent) return nullptr;
    s.lent = true;
    return s.thread;
}

void give_back_spare_thread(TaskThread& thread) {
    auto& s = spare();
    {
        std::lock_guard<std::mutex> lock(s.mutex);
        if (s.thread == &thread) s.lent = false;
    }
    s.given_back.notify_all();
}

}  // namespace gouji::rules
