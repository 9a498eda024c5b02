#include "fetchers/yaml_input.h"

#include <algorithm>
#include <istream>
#include <map>
#include <optional>
#include <streambuf>
#include <vector>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

namespace uprank::fetch {
namespace {

using nlohmann::json;

// A read-only stream over the caller's text, so a large file is not copied to be parsed.
class ViewBuffer : public std::streambuf {
 public:
  explicit ViewBuffer(std::string_view text) {
    char* begin = const_cast<char*>(text.data());  // only ever read through the get area
    setg(begin, begin, begin + text.size());
  }
};

// Thrown by the builder when a bound is crossed: the error to return.
struct LimitExceeded {
  Error error;
};

// Builds the JSON value from the parser's events, one node at a time, so every bound
// applies while parsing: a document over them costs what was read up to the limit, not
// its whole tree (a 58 MB list built whole took 13 GB). The node budget counts each node
// parsed, each node an alias repeats and each node kept to be repeated; depth counts an
// alias's expansion where it lands.
class JsonBuilder : public YAML::EventHandler {
 public:
  JsonBuilder(const std::string& where, int max_depth, size_t max_nodes)
      : where_(where), max_depth_(max_depth), max_nodes_(max_nodes) {}

  json take_root() { return std::move(root_); }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (expecting_key()) fail_key(mark);
    add_nodes(1, mark, false);
    check_depth(depth(), mark);
    place(nullptr, anchor, 1, 0);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, const std::string& value) override {
    add_nodes(1, mark, false);
    check_depth(depth(), mark);
    json parsed = scalar(tag, value);
    if (anchor != 0) keep(anchor, parsed, 1, 0, &value, mark);
    if (expecting_key()) {
      stack_.back().key = value;  // a key keeps its text: "true" and "null" are names here
      stack_.back().have_key = true;
      return;
    }
    place(std::move(parsed), 0, 1, 0);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto found = anchors_.find(anchor);
    if (found == anchors_.end()) {
      throw LimitExceeded{make_error("uprank.fetch.malformed_yaml",
                                     at(mark) + ": malformed YAML: an alias to a node that contains it or is not defined")};
    }
    const Anchored& anchored = found->second;
    add_nodes(anchored.nodes, mark, true);
    if (depth() + anchored.height > max_depth_) {
      throw LimitExceeded{make_error("uprank.fetch.malformed_yaml", at(mark) + ": YAML nested deeper than " +
                                                                         std::to_string(max_depth_) +
                                                                         " levels once an alias is expanded, at " + path())};
    }
    if (expecting_key()) {
      if (!anchored.scalar_text) fail_key(mark);
      stack_.back().key = *anchored.scalar_text;
      stack_.back().have_key = true;
      return;
    }
    place(anchored.value, 0, anchored.nodes, anchored.height);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    open(json::array(), anchor, mark);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    open(json::object(), anchor, mark);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    json value;
    YAML::anchor_t anchor;
    size_t nodes_before;  // the node count when the container opened
    int height;           // of the deepest node inside, below this container; -1 when empty
    bool have_key = false;
    std::string key;  // the key waiting for its value, in a map
    YAML::Mark mark;
  };
  struct Anchored {
    json value;
    size_t nodes;
    int height;
    std::optional<std::string> scalar_text;  // a scalar's text, usable as a key
  };

  int depth() const { return static_cast<int>(stack_.size()); }
  bool expecting_key() const { return !stack_.empty() && stack_.back().value.is_object() && !stack_.back().have_key; }

  static json scalar(const std::string& tag, const std::string& text) {
    if (tag == "!") return text;  // quoted: always a string
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
    return text;
  }

  std::string at(const YAML::Mark& mark) const {
    if (mark.is_null()) return where_;
    return where_ + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  }

  // Returns the JSON path of the node being read ("$.affected[3].ranges"), built only
  // for a message.
  std::string path() const {
    std::string out = "$";
    for (const Frame& frame : stack_) {
      if (frame.value.is_array()) {
        out += "[" + std::to_string(frame.value.size()) + "]";
      } else if (frame.have_key) {
        out += "." + frame.key;
      }
    }
    return out;
  }

  void add_nodes(size_t count, const YAML::Mark& mark, bool alias) {
    if (count <= max_nodes_ - nodes_) {
      nodes_ += count;
      return;
    }
    std::string what = alias ? " once aliases are expanded" : "";
    throw LimitExceeded{make_error("uprank.fetch.too_large", at(mark) + ": more than " + std::to_string(max_nodes_) +
                                                                 " YAML nodes" + what + ", the limit for one document, at " +
                                                                 path())};
  }

  void check_depth(int node_depth, const YAML::Mark& mark) const {
    if (node_depth <= max_depth_) return;
    throw LimitExceeded{make_error("uprank.fetch.malformed_yaml", at(mark) + ": YAML nested deeper than " +
                                                                       std::to_string(max_depth_) + " levels, at " + path())};
  }

  [[noreturn]] void fail_key(const YAML::Mark& mark) const {
    throw LimitExceeded{make_error("uprank.fetch.malformed_yaml",
                                   where_ + ": a key at " + path() + " is not a plain string (line " +
                                       std::to_string(mark.line + 1) + ")")};
  }

  void open(json value, YAML::anchor_t anchor, const YAML::Mark& mark) {
    if (expecting_key()) fail_key(mark);
    add_nodes(1, mark, false);
    check_depth(depth(), mark);
    stack_.push_back(Frame{std::move(value), anchor, nodes_, -1, false, {}, mark});
  }

  void close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    size_t nodes = nodes_ - frame.nodes_before + 1;
    place(std::move(frame.value), frame.anchor, nodes, frame.height + 1, frame.mark);
  }

  // Keeps a copy of an anchored node for its aliases; the copy counts against the budget.
  void keep(YAML::anchor_t anchor, const json& value, size_t nodes, int height, const std::string* scalar_text,
            const YAML::Mark& mark) {
    add_nodes(nodes, mark, true);
    anchors_[anchor] = Anchored{value, nodes, height, scalar_text ? std::optional<std::string>(*scalar_text) : std::nullopt};
  }

  // Puts a finished node (of `nodes` nodes, `height` levels) where the parser is.
  void place(json value, YAML::anchor_t anchor, size_t nodes, int height, const YAML::Mark& mark = YAML::Mark::null_mark()) {
    if (anchor != 0) keep(anchor, value, nodes, height, nullptr, mark);
    if (stack_.empty()) {
      root_ = std::move(value);
      return;
    }
    Frame& parent = stack_.back();
    parent.height = std::max(parent.height, height);
    if (parent.value.is_array()) {
      parent.value.push_back(std::move(value));
    } else {
      parent.value[parent.key] = std::move(value);
      parent.have_key = false;
    }
  }

  const std::string& where_;
  int max_depth_;
  size_t max_nodes_;
  size_t nodes_ = 0;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, Anchored> anchors_;
  json root_;
};

}  // namespace

Result<json> parse_yaml_as_json(std::string_view text, const std::string& where, const JsonLimits& limits,
                                size_t max_nodes) {
  if (text.size() > limits.max_bytes) {
    return make_error("uprank.fetch.too_large", where + ": YAML of " + std::to_string(text.size()) +
                                                    " bytes exceeds the limit of " + std::to_string(limits.max_bytes));
  }
  ViewBuffer buffer(text);
  std::istream stream(&buffer);
  JsonBuilder builder(where, limits.max_depth, max_nodes);
  try {
    YAML::Parser parser(stream);
    parser.HandleNextDocument(builder);  // only the first document, as YAML::Load
    return builder.take_root();
  } catch (const LimitExceeded& exceeded) {
    return exceeded.error;
  } catch (const YAML::Exception& e) {
    std::string at = e.mark.is_null() ? "" : ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
    return make_error("uprank.fetch.malformed_yaml", where + at + ": malformed YAML: " + e.msg);
  } catch (const std::exception& e) {
    return make_error("uprank.fetch.malformed_yaml", where + ": cannot parse YAML: " + e.what());
  }
}

}  // namespace uprank::fetch
