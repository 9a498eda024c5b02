// The YAML tree the inventory readers walk, built in one pass over yaml-cpp's parser
// events with the node, depth and alias bounds applied while parsing: no YAML::Node
// (whose marks cannot be set from outside yaml-cpp) and no separate bounding pass.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/mark.h>

#include "engine/base/diagnostic.h"
#include "engine/base/result.h"

namespace uprank::inventory::internal {

// One YAML node: a null, a scalar, a sequence or a mapping, with where it starts. An
// alias reads as a copy of the node its anchor names (as yaml-cpp resolves it); merge
// keys ("<<") are ordinary keys here, applied by the readers that honour them.
class YamlNode {
 public:
  enum class Kind : uint8_t { kAbsent, kNull, kScalar, kSequence, kMap };
  struct Entry;

  // An absent node: what a missing key or an out-of-shape lookup reads as.
  YamlNode() = default;
  static const YamlNode& absent();

  Kind kind() const { return kind_; }
  // Returns whether the node exists; a null ("key:", "~") exists.
  explicit operator bool() const { return kind_ != Kind::kAbsent; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_scalar() const { return kind_ == Kind::kScalar; }
  bool is_sequence() const { return kind_ == Kind::kSequence; }
  bool is_map() const { return kind_ == Kind::kMap; }
  // The text of a scalar as yaml-cpp gives it (quotes and escapes resolved); "" for any
  // other kind.
  const std::string& scalar() const { return scalar_; }
  // Where the node starts: 0-based line and column, as yaml-cpp marks; the null mark for
  // an absent node or an empty document.
  const YAML::Mark& mark() const { return mark_; }
  // Returns the value of the first entry whose key is the scalar `key`; absent() when
  // there is none or this is not a mapping.
  const YamlNode& operator[](std::string_view key) const;
  // The items of a sequence; empty for any other kind.
  const std::vector<YamlNode>& items() const { return items_; }
  // The entries of a mapping in document order, repeated keys kept; empty otherwise.
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  friend class YamlTreeBuilder;
  Kind kind_ = Kind::kAbsent;
  YAML::Mark mark_ = YAML::Mark::null_mark();
  std::string scalar_;
  std::vector<YamlNode> items_;
  std::vector<Entry> entries_;
};

struct YamlNode::Entry {
  YamlNode key;
  YamlNode value;
};

// Parses every YAML document in `text` into a tree per document, in one pass. Errors
// name the line and column:
// - uprank.inventory.syntax: not YAML ("not valid YAML: <yaml-cpp's message>"), or an
//   alias to the node that contains it;
// - uprank.inventory.too_deep: more than `max_depth` nested collections, or more than
//   `max_nodes` nodes. Every node parsed counts, and an alias counts the nodes it
//   repeats (so alias bombs stop early); the message names the limit crossed and says
//   "once aliases are expanded" when an alias crossed it.
//
// With `duplicates`, a mapping key given twice (a scalar key, `<<` aside) appends a warning
// uprank.inventory.duplicate_key at the second one, naming the first's line: YAML requires
// unique keys (YAML 1.2.2 §3.2.1.1), and kubectl, docker compose and Helm refuse such a
// file, while yaml-cpp keeps both (YamlNode::operator[] reads the first).
Result<std::vector<YamlNode>> load_yaml(std::string_view text, const std::string& path, int max_depth,
                                        size_t max_nodes = 2'000'000, std::vector<Diagnostic>* duplicates = nullptr);

}  // namespace uprank::inventory::internal
