#include "thread-pool.h"

#include <algorithm>
#include <condition_variable>
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

thread_local bool insideWorker = false;

class Pool {
 public:
  void setThreads(int n) {
    std::lock_guard<std::mutex> busy(busy_);
    threads_ = std::max(1, n);
  }

  int threads() const { return threads_; }

  void run(int64_t items, int64_t minItems, const std::function<void(int64_t, int64_t)>& fn) {
    const int64_t most = items / std::max<int64_t>(1, minItems);
    if (most <= 1 || threads_ <= 1 || insideWorker) return fn(0, items);
    std::unique_lock<std::mutex> busy(busy_, std::try_to_lock);
    if (!busy.owns_lock()) return fn(0, items);
    const int parts = static_cast<int>(std::min<int64_t>(threads_, most));
    startWorkers(parts - 1);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      task_ = &fn;
      items_ = items;
      parts_ = parts;
      pending_ = parts - 1;
      ++generation_;
    }
    wake_.notify_all();
    fn(0, rangeEnd(0));
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return pending_ == 0; });
    task_ = nullptr;
  }

 private:
  // Part p covers [rangeEnd(p − 1), rangeEnd(p)): sizes differ by at most one item.
  int64_t rangeEnd(int p) const { return items_ * (p + 1) / parts_; }

  void startWorkers(int n) {
    while (static_cast<int>(workers_.size()) < n) {
      const int index = static_cast<int>(workers_.size()) + 1;  // part 0 is the caller's
      workers_.emplace_back([this, index] { work(index); });
    }
  }

  void work(int index) {
    insideWorker = true;
#if defined(__x86_64__) || defined(_M_X64)
    // Workers run only mmae's kernels, which flush denormals (addon.cc's FlushDenormals).
    _mm_setcsr(_mm_getcsr() | 0x8000 | 0x0040);
#endif
    uint64_t seen = 0;
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return generation_ != seen; });
      seen = generation_;
      if (index >= parts_) continue;
      const std::function<void(int64_t, int64_t)>* task = task_;
      const int64_t begin = items_ * index / parts_, end = rangeEnd(index);
      lock.unlock();
      (*task)(begin, end);
      lock.lock();
      if (--pending_ == 0) done_.notify_one();
    }
  }

  std::mutex busy_;  // held by the one parallelFor using the workers
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> workers_;
  const std::function<void(int64_t, int64_t)>* task_ = nullptr;
  int64_t items_ = 0;
  int parts_ = 1, pending_ = 0;
  uint64_t generation_ = 0;
  int threads_ = defaultThreads();
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

void parallelFor(int64_t items, int64_t minItemsPerThread,
                 const std::function<void(int64_t, int64_t)>& fn) {
  if (items <= 0) return;
  pool().run(items, minItemsPerThread, fn);
}

}  // namespace mmae
