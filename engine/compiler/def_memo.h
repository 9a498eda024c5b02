// The results of `def` calls within one match, by call site and argument values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/compiler/value.h"

namespace uprank::compiler {

// Results of `def` calls by (def, argument values), for one match: a def's body
// reads only its arguments and constants, so a second call with equal arguments gives
// the same value. Strings compare by content; every other value by its kind and payload
// (lists and versions by address: the recorded arguments keep them alive, so a match can
// only miss, never confuse two values).
//
// The evaluator clears it for every match (thousands of times per run), so clearing
// costs only the calls recorded since the last clear and keeps all storage: argument
// lists and the hash table are reused by the next match.
class DefMemo {
 public:
  // Returns the result recorded for `site` (the def's identity, LetNode) called with
  // `arguments`, or nullptr. The pointer is valid until the next add() or clear().
  const Value* find(const void* site, std::span<const Value> arguments) const;
  // Records `result` for `site` called with `arguments` (not recorded yet).
  void add(const void* site, std::span<const Value> arguments, Value result);
  // Forgets every recorded call.
  void clear();
  size_t size() const { return used_; }

 private:
  struct Entry {
    const void* site = nullptr;
    size_t hash = 0;
    std::vector<Value> arguments;
    Value result;
    size_t bucket = 0;  // where the table holds it
  };
  // Returns the bucket that holds the call, or the free bucket where it belongs.
  size_t bucket_of(const void* site, std::span<const Value> arguments, size_t hash) const;
  void grow();

  std::vector<Entry> entries_;     // [0, used_) recorded; the rest kept for reuse
  size_t used_ = 0;
  std::vector<uint32_t> buckets_;  // open addressing, power-of-two size: entry index + 1, 0 free
};

// Returns the hash of a def call, as DefMemo uses it.
size_t hash_def_call(const void* site, std::span<const Value> arguments);
// Returns whether two argument values are the same for DefMemo.
bool same_def_argument(const Value& a, const Value& b);

}  // namespace uprank::compiler
