// The worker pool behind parallel_for: workers sleep on a condition variable between jobs (never
// spinning, so they take nothing from OpenBLAS's threads or other processes), and a job is a set
// of tasks taken by index, the caller taking its share too.
#include "kernels/parallel.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

#include "core/tensor.h"
#include "kernels/flush_denormal.h"

namespace ag::kernels {
namespace {

/// At most this many threads per loop: the elementwise kernels are bound by memory bandwidth
/// well before that.
constexpr int kMaxThreads = 8;

class Pool {
 public:
  explicit Pool(int workers) {
    threads_.reserve(static_cast<std::size_t>(workers));
    for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { worker_loop(); });
  }
  // Lives until the process ends: workers blocked in wait() need no joining, and a static
  // destructor joining them would race with exit paths that never return to main.
  ~Pool() = delete;

  int threads() const { return static_cast<int>(threads_.size()) + 1; }

  /// Runs task(0) ... task(count - 1) on the caller and the workers; false, running nothing, when
  /// another thread is using the pool.
  bool run(int count, const std::function<void(int)>& task) {
    if (in_job) return false;  // a loop inside a task runs serially
    std::unique_lock<std::mutex> busy(busy_, std::try_to_lock);
    if (!busy.owns_lock()) return false;
    JobFlag flag;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      task_ = &task;
      task_count_ = count;
#if defined(AG_HAS_MXCSR)
      csr_ = _mm_getcsr();
#endif
      next_.store(0, std::memory_order_relaxed);
      workers_done_ = 0;
      error_ = nullptr;
      ++generation_;
    }
    wake_.notify_all();
    take_tasks(task, count);
    std::unique_lock<std::mutex> lock(mutex_);
    // Every worker checks in before the job ends, so none still holds a pointer to the task.
    done_.wait(lock, [this] { return workers_done_ == static_cast<int>(threads_.size()); });
    task_ = nullptr;
    if (error_) std::rethrow_exception(error_);
    return true;
  }

 private:
  void take_tasks(const std::function<void(int)>& task, int count) {
    for (;;) {
      int index = next_.fetch_add(1, std::memory_order_relaxed);
      if (index >= count) return;
      try {
        task(index);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!error_) error_ = std::current_exception();
      }
    }
  }

  /// Marks the calling thread as running a task for its lifetime.
  struct JobFlag {
    JobFlag() { in_job = true; }
    ~JobFlag() { in_job = false; }
  };
  static thread_local bool in_job;

  void worker_loop() {
    in_job = true;
    std::uint64_t seen = 0;
    for (;;) {
      const std::function<void(int)>* task = nullptr;
      int count = 0;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return generation_ != seen; });
        seen = generation_;
        task = task_;
        count = task_count_;
      }
#if defined(AG_HAS_MXCSR)
      // The caller's floating-point mode (denormals flushed, as the kernels set it) applies to
      // its tasks wherever they run, so a split loop rounds exactly as the serial one.
      const unsigned saved_csr = _mm_getcsr();
      _mm_setcsr(csr_);
#endif
      take_tasks(*task, count);
#if defined(AG_HAS_MXCSR)
      _mm_setcsr(saved_csr);
#endif
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ++workers_done_;
      }
      done_.notify_one();
    }
  }

  std::vector<std::thread> threads_;
  std::mutex busy_;  ///< held by the thread whose job the pool runs
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  const std::function<void(int)>* task_ = nullptr;
  int task_count_ = 0;
  std::atomic<int> next_{0};
  int workers_done_ = 0;
  std::uint64_t generation_ = 0;
  std::exception_ptr error_;
  unsigned csr_ = 0;  ///< the caller's MXCSR for the current job
};

thread_local bool Pool::in_job = false;

int hardware_threads() {
  unsigned reported = std::thread::hardware_concurrency();
  return std::clamp(static_cast<int>(reported), 1, kMaxThreads);
}

/// This process's pool, or nullptr on one core. A child forked after the pool started (the
/// tool's `check --jobs` runs specs in forked children) has none of its threads, so it starts its
/// own; the parent's object is left alone, as its mutexes were copied in whatever state.
Pool* pool() {
  static std::mutex creating;
  static Pool* current = nullptr;
  static pid_t owner = 0;
  std::lock_guard<std::mutex> lock(creating);
  const pid_t self = getpid();
  if (current == nullptr || owner != self) {
    int workers = hardware_threads() - 1;
    if (workers < 1) return nullptr;
    current = new Pool(workers);
    owner = self;
  }
  return current;
}

}  // namespace

std::vector<IndexRange> split_range(std::int64_t n, int parts, std::int64_t align) {
  std::vector<IndexRange> ranges;
  if (n <= 0) return ranges;
  align = std::max<std::int64_t>(1, align);
  const std::int64_t units = (n + align - 1) / align;  // whole packets, the last maybe partial
  const std::int64_t count = std::clamp<std::int64_t>(parts, 1, units);
  std::int64_t begin = 0;
  for (std::int64_t i = 0; i < count; ++i) {
    std::int64_t end = std::min(n, (units * (i + 1) / count) * align);
    ranges.push_back({begin, end});
    begin = end;
  }
  return ranges;
}

int parallel_threads() { return hardware_threads(); }

void parallel_for_pooled(std::int64_t n, std::int64_t align, const std::function<void(std::int64_t, std::int64_t)>& body) {
  Pool* workers = pool();
  if (workers != nullptr) {
    const std::vector<IndexRange> ranges = split_range(n, workers->threads(), align);
    if (ranges.size() > 1 &&
        workers->run(static_cast<int>(ranges.size()), [&](int i) { body(ranges[i].begin, ranges[i].end); }))
      return;
  }
  body(0, n);
}

void parallel_pair(const std::function<void()>& first, const std::function<void()>& second) {
  Pool* workers = pool();
  if (workers != nullptr && workers->run(2, [&](int i) { i == 0 ? first() : second(); })) return;
  first();
  second();
}

namespace {
/// Tensor storage populates large buffers through the pool (core/tensor.h, set_task_pair).
const bool kRegistered = (set_task_pair(&parallel_pair), true);
}  // namespace

}  // namespace ag::kernels
