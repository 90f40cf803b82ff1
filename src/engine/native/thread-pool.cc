#include "thread-pool.h"

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sched.h>
#endif
#if defined(__x86_64__) || defined(_M_X64)
#include <xmmintrin.h>
#endif

namespace mmae {
namespace {

double cpuNow() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

bool statsOn() {
  static const bool on = [] {
    const char* v = std::getenv("MMAE_POOL_STATS");
    return v != nullptr && v[0] == '1';
  }();
  return on;
}

// Which participant a thread is in the stats: 0 the caller, 1.. the workers.
thread_local int participant = 0;

// True on a worker, and on the caller while it runs its parts: a parallelFor nested in a part
// (a batched product's matrices, each split again) runs serially where it is.
thread_local bool inParallelPart = false;

class Pool {
 public:
  void setThreads(int n) {
    std::lock_guard<std::mutex> busy(busy_);
    threads_ = std::max(1, n);
  }

  int threads() const { return threads_; }

  void run(int64_t items, int64_t minItems, const std::function<void(int64_t, int64_t)>& fn) {
    const int64_t most = items / std::max<int64_t>(1, minItems);
    if (most <= 1 || threads_ <= 1 || inParallelPart) return fn(0, items);
    std::unique_lock<std::mutex> busy(busy_, std::try_to_lock);
    if (!busy.owns_lock()) return fn(0, items);
    startWorkers(threads_ - 1);
    std::unique_lock<std::mutex> lock(mutex_);
    task_ = &fn;
    items_ = items;
    // Twice as many parts as threads, claimed in turn by whoever is free: on a machine shared
    // with other processes a worker may wake late, and the caller then runs its parts itself
    // instead of waiting for it.
    parts_ = static_cast<int>(std::min<int64_t>(2 * int64_t{threads_}, most));
    next_ = 0;
    finished_ = 0;
    std::fill(partSeconds_.begin(), partSeconds_.end(), 0.0);
    lock.unlock();
    for (int i = 0; i < std::min(parts_, threads_) - 1; ++i) wake_.notify_one();
    lock.lock();
    inParallelPart = true;
    runParts(lock);
    inParallelPart = false;
    done_.wait(lock, [this] { return finished_ == parts_; });
    task_ = nullptr;
    if (statsOn()) {
      ++stats_.calls;
      stats_.callerPartsSeconds += partSeconds_[0];
      for (double b : partSeconds_) stats_.partsSeconds += b;
      stats_.criticalPathSeconds += *std::max_element(partSeconds_.begin(), partSeconds_.end());
    }
  }

  PoolStats stats() {
    std::lock_guard<std::mutex> busy(busy_);
    return stats_;
  }

 private:
  // Part p covers [rangeStart(p), rangeStart(p + 1)): sizes differ by at most one item.
  int64_t rangeStart(int p) const { return items_ * p / parts_; }

  // Claims and runs parts of the current task until none is left; `lock` holds mutex_.
  void runParts(std::unique_lock<std::mutex>& lock) {
    while (next_ < parts_) {
      const int p = next_++;
      const std::function<void(int64_t, int64_t)>* task = task_;
      const int64_t begin = rangeStart(p), end = rangeStart(p + 1);
      lock.unlock();
      const double start = statsOn() ? cpuNow() : 0.0;
      (*task)(begin, end);
      const double seconds = statsOn() ? cpuNow() - start : 0.0;
      lock.lock();
      partSeconds_[static_cast<size_t>(participant)] += seconds;
      if (++finished_ == parts_) done_.notify_one();
    }
  }

  void startWorkers(int n) {
    if (static_cast<int>(partSeconds_.size()) < n + 1) partSeconds_.resize(n + 1, 0.0);
    while (static_cast<int>(workers_.size()) < n) {
      const int id = static_cast<int>(workers_.size()) + 1;
      workers_.emplace_back([this, id] { work(id); });
    }
  }

  void work(int id) {
    inParallelPart = true;
    participant = id;
#if defined(__x86_64__) || defined(_M_X64)
    // Workers run only mmae's kernels, which flush denormals (addon.cc's FlushDenormals).
    _mm_setcsr(_mm_getcsr() | 0x8000 | 0x0040);
#endif
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return next_ < parts_; });
      runParts(lock);
    }
  }

  std::mutex busy_;  // held by the one parallelFor using the workers
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> workers_;
  const std::function<void(int64_t, int64_t)>* task_ = nullptr;
  int64_t items_ = 0;
  int parts_ = 0, next_ = 0, finished_ = 0;
  int threads_ = defaultThreads();
  std::vector<double> partSeconds_ = std::vector<double>(1, 0.0);  // per participant, this call
  PoolStats stats_{};
};

// Never destroyed: joining workers from a static destructor at exit, after Node has torn down,
// buys nothing; the process ends them.
Pool& pool() {
  static Pool* instance = new Pool;
  return *instance;
}

}  // namespace

int defaultThreads() {
#if defined(__linux__)
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return std::max(1, CPU_COUNT(&set));
#endif
  return std::max(1u, std::thread::hardware_concurrency());
}

void setThreads(int n) { pool().setThreads(n); }

int threads() { return pool().threads(); }

PoolStats poolStats() { return pool().stats(); }

double threadCpuSeconds() { return cpuNow(); }

void parallelFor(int64_t items, int64_t minItemsPerThread,
                 const std::function<void(int64_t, int64_t)>& fn) {
  if (items <= 0) return;
  pool().run(items, minItemsPerThread, fn);
}

}  // namespace mmae
