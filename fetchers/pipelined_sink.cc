// PipelinedSink (importer.h): one producer (the importer), one consumer thread (the sink
// it wraps), a bounded FIFO between them.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "fetchers/importer.h"

namespace uprank::fetch {

struct PipelinedSink::State {
  struct Item {
    RawResponse response;
    std::optional<std::vector<std::string>> advisory_packages;
  };

  explicit State(ImportSink& to, size_t most) : inner(to), capacity(most == 0 ? 1 : most) {}

  // The consumer: stores items in order until the queue is closed and empty. After an
  // error it keeps draining (and dropping), so that the producer never waits on a full queue.
  void run() {
    std::unique_lock<std::mutex> lock(mutex);
    for (;;) {
      has_items.wait(lock, [&] { return !queue.empty() || closed; });
      if (queue.empty()) return;
      Item item = std::move(queue.front());
      queue.pop_front();
      has_room.notify_one();
      if (error) continue;
      lock.unlock();
      Status added = inner.add(std::move(item.response), item.advisory_packages ? &*item.advisory_packages : nullptr);
      lock.lock();
      if (!added && !error) error = added.error();
    }
  }

  ImportSink& inner;
  const size_t capacity;
  std::mutex mutex;
  std::condition_variable has_items;
  std::condition_variable has_room;
  std::deque<Item> queue;
  bool closed = false;
  std::optional<Error> error;
  std::thread consumer;
};

PipelinedSink::PipelinedSink(ImportSink& inner, size_t capacity) : state_(std::make_unique<State>(inner, capacity)) {
  state_->consumer = std::thread([state = state_.get()] { state->run(); });
}

PipelinedSink::~PipelinedSink() { (void)finish(); }

Status PipelinedSink::add(RawResponse response, const std::vector<std::string>* advisory_packages) {
  State& s = *state_;
  std::unique_lock<std::mutex> lock(s.mutex);
  if (s.error) return *s.error;
  if (s.closed) return make_error("uprank.import.finished", "a response came after the import finished");
  s.has_room.wait(lock, [&] { return s.queue.size() < s.capacity || s.error.has_value(); });
  if (s.error) return *s.error;
  std::optional<std::vector<std::string>> packages;
  if (advisory_packages != nullptr) packages = *advisory_packages;
  s.queue.push_back(State::Item{std::move(response), std::move(packages)});
  s.has_items.notify_one();
  return {};
}

Status PipelinedSink::finish() {
  State& s = *state_;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    s.closed = true;
  }
  s.has_items.notify_one();
  if (s.consumer.joinable()) s.consumer.join();
  if (s.error) return *s.error;
  return {};
}

}  // namespace uprank::fetch
