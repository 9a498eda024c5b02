// One parallel loop for the engine's independent work items (inventory files, rules and
// joins, the rank policy, table rows): no pool, the threads live for one loop and the
// calling thread takes part. Callers place each item's result by its index, so output
// never depends on the thread count.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace uprank {

// Runs `work(i)` once for each i in [0, count) on up to `threads` threads (0 or less: one
// per hardware thread; never more than `count`). The order is unspecified, so `work`
// writes only what belongs to its i.
// The threads a `threads` option asks for: itself when positive, else one per hardware thread.
inline unsigned thread_count(int threads) {
  return threads > 0 ? static_cast<unsigned>(threads) : std::max(1u, std::thread::hardware_concurrency());
}

template <typename Work>
void parallel_for(size_t count, int threads, const Work& work) {
  unsigned wanted = thread_count(threads);
  wanted = static_cast<unsigned>(std::min<size_t>(wanted, std::max<size_t>(count, 1)));
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < count; i = next++) work(i);
  };
  if (wanted == 1) return worker();
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < wanted; ++t) pool.emplace_back(worker);
  worker();
  for (auto& thread : pool) thread.join();
}

}  // namespace uprank
