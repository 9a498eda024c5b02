// Where a writer's bytes go as it produces them: a file being replaced atomically
// (files::OutputSet), standard output, or a string. Writers that stream (the JSON report)
// take a Sink so that a large report is never held whole in memory.
#pragma once

#include <string>
#include <string_view>

namespace uprank {

class Sink {
 public:
  virtual ~Sink() = default;
  // Appends `bytes`. Never fails here: a sink keeps its first error and its owner reports
  // it when the output is finished (files::OutputSet::commit), so writers need no checks.
  virtual void write(std::string_view bytes) = 0;
};

// Collects the bytes in `text`: for writers whose callers want a string.
class StringSink final : public Sink {
 public:
  void write(std::string_view bytes) override { text.append(bytes); }
  std::string text;
};

}  // namespace uprank
