// A minimal parallel loop for the evaluator's independent work (rules, joins, the rank
// policy): no pool, threads live for one loop. Internal to the evaluator.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace uprank::evaluator::internal {

// Runs `work(i)` for i in [0, count) on up to `threads` threads (at least one; the
// calling thread when one is enough). Each i runs once; the order is unspecified, so
// `work` writes only what belongs to its i.
template <typename Work>
void parallel_for(size_t count, unsigned threads, const Work& work) {
  threads = std::clamp<unsigned>(threads, 1, static_cast<unsigned>(std::max<size_t>(count, 1)));
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < count; i = next++) work(i);
  };
  if (threads == 1) return worker();
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (auto& thread : pool) thread.join();
}

}  // namespace uprank::evaluator::internal
