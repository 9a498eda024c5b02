#include "engine/inventory/yaml_tree.h"

#include <algorithm>
#include <cctype>
#include <istream>
#include <memory>
#include <streambuf>
#include <unordered_map>
#include <utility>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include "engine/base/diagnostic.h"

namespace uprank::inventory::internal {

const YamlNode& YamlNode::absent() {
  static const YamlNode kAbsent;
  return kAbsent;
}

const YamlNode& YamlNode::operator[](std::string_view key) const {
  for (const Entry& entry : entries_) {
    if (entry.key.is_scalar() && entry.key.scalar_ == key) return entry.value;
  }
  return absent();
}

namespace {

SourceLocation location(const std::string& path, const YAML::Mark& mark) {
  if (mark.is_null()) return SourceLocation{path, 0, 0};
  return SourceLocation{path, mark.line + 1, mark.column + 1};
}

// A read-only stream over the caller's text, so a file is not copied to be parsed.
class ViewBuffer : public std::streambuf {
 public:
  explicit ViewBuffer(std::string_view text) {
    char* begin = const_cast<char*>(text.data());  // only ever read through the get area
    setg(begin, begin, begin + text.size());
  }
};

// Returns what a reader of `path` calls its text: "JSON" for a .json file (read with the
// YAML parser, JSON being YAML), else "YAML", so that messages name the format the user wrote.
std::string text_format_name(const std::string& path) {
  constexpr std::string_view kJson = ".json";
  if (path.size() < kJson.size()) return "YAML";
  std::string_view tail = std::string_view(path).substr(path.size() - kJson.size());
  bool json = std::equal(tail.begin(), tail.end(), kJson.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == b;
  });
  return json ? "JSON" : "YAML";
}

// Thrown by the builder when a bound is crossed: the error to return.
struct LimitExceeded {
  Error error;
};

}  // namespace

// Builds the documents from the parser's events, one node at a time, so every bound
// applies while parsing: a document over them costs what was read up to the limit, not
// its whole tree (a 58 MB list built whole took 13 GB).
class YamlTreeBuilder : public YAML::EventHandler {
 public:
  YamlTreeBuilder(const std::string& path, int max_depth, size_t max_nodes, std::vector<Diagnostic>* duplicates)
      : path_(path), format_(text_format_name(path)), max_depth_(max_depth), max_nodes_(max_nodes), duplicates_(duplicates) {}

  // Returns the document the last HandleNextDocument read (a null for an empty one).
  YamlNode take_document() {
    YamlNode document = std::move(document_);
    if (document.kind_ == YamlNode::Kind::kAbsent) document.kind_ = YamlNode::Kind::kNull;
    document_ = YamlNode();
    return document;
  }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    add_nodes(1, mark, false);
    YamlNode node;
    node.kind_ = YamlNode::Kind::kNull;
    node.mark_ = mark;
    place(std::move(node), anchor, 1, 0);
  }

  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, const std::string& value) override {
    add_nodes(1, mark, false);
    YamlNode node;
    node.kind_ = YamlNode::Kind::kScalar;
    node.mark_ = mark;
    node.scalar_ = value;
    place(std::move(node), anchor, 1, 0);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto found = anchors_.find(anchor);
    if (found == anchors_.end()) {
      // The parser refuses undefined anchors; one still open is the node that contains
      // this alias, a cycle that no tree holds.
      throw LimitExceeded{make_error("uprank.inventory.syntax", "not valid " + format_ + ": an alias to the node that contains it",
                                     location(path_, mark))};
    }
    const Anchored& anchored = found->second;
    add_nodes(anchored.nodes, mark, true);
    if (depth() + anchored.height > max_depth_) {
      throw LimitExceeded{make_error("uprank.inventory.too_deep",
                                     "nesting deeper than " + std::to_string(max_depth_) + " levels once aliases are expanded",
                                     location(path_, mark))};
    }
    place(anchored.node, 0, anchored.nodes, anchored.height);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    open(YamlNode::Kind::kSequence, anchor, mark);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    open(YamlNode::Kind::kMap, anchor, mark);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    YamlNode node;
    YAML::anchor_t anchor;
    size_t nodes_before;  // the node count when the collection opened
    int height;           // of the tallest node inside: 0 for scalars only or none
    bool have_key;        // in a mapping: the key waiting for its value is in `key`
    YamlNode key;
    // A large mapping's scalar keys and the entry each is at, for finding duplicates
    // without comparing every key with every other; built once it has kIndexedKeys entries.
    std::unique_ptr<std::unordered_map<std::string, size_t>> keys;
  };
  static constexpr size_t kIndexedKeys = 16;
  // A copy of an anchored node for its aliases, with its size and height.
  struct Anchored {
    YamlNode node;
    size_t nodes;
    int height;
  };

  int depth() const { return static_cast<int>(stack_.size()); }

  void add_nodes(size_t count, const YAML::Mark& mark, bool alias) {
    if (count <= max_nodes_ - nodes_) {
      nodes_ += count;
      return;
    }
    throw LimitExceeded{make_error("uprank.inventory.too_deep",
                                   "more than " + std::to_string(max_nodes_) + " " + format_ + " nodes" +
                                       (alias ? " once aliases are expanded" : ", the limit for one file"),
                                   location(path_, mark))};
  }

  void open(YamlNode::Kind kind, YAML::anchor_t anchor, const YAML::Mark& mark) {
    add_nodes(1, mark, false);
    if (depth() + 1 > max_depth_) {
      throw LimitExceeded{make_error("uprank.inventory.too_deep",
                                     format_ + " nested deeper than " + std::to_string(max_depth_) + " levels, the limit",
                                     location(path_, mark))};
    }
    Frame frame{YamlNode(), anchor, nodes_, 0, false, YamlNode(), nullptr};
    frame.node.kind_ = kind;
    frame.node.mark_ = mark;
    stack_.push_back(std::move(frame));
  }

  void close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    size_t nodes = nodes_ - frame.nodes_before + 1;
    place(std::move(frame.node), frame.anchor, nodes, frame.height + 1);
  }

  // Puts a finished node (of `nodes` nodes, `height` levels of collections) where the
  // parser is: the document, a sequence's next item, a mapping's key or its value.
  void place(YamlNode node, YAML::anchor_t anchor, size_t nodes, int height) {
    // The copy kept for aliases is at most what was parsed, so memory stays within twice
    // the node budget; only what aliases repeat counts again.
    if (anchor != 0) anchors_[anchor] = Anchored{node, nodes, height};
    if (stack_.empty()) {
      document_ = std::move(node);
      return;
    }
    Frame& parent = stack_.back();
    parent.height = std::max(parent.height, height);
    if (parent.node.kind_ == YamlNode::Kind::kSequence) {
      parent.node.items_.push_back(std::move(node));
    } else if (!parent.have_key) {
      parent.key = std::move(node);
      parent.have_key = true;
    } else {
      if (duplicates_ != nullptr && parent.key.is_scalar() && parent.key.scalar_ != "<<") note_duplicate(parent);
      parent.node.entries_.push_back(YamlNode::Entry{std::move(parent.key), std::move(node)});
      parent.key = YamlNode();
      parent.have_key = false;
    }
  }

  // Warns when the key about to enter `frame`'s mapping is already one of its keys.
  void note_duplicate(Frame& frame) {
    const std::vector<YamlNode::Entry>& entries = frame.node.entries_;
    const std::string& key = frame.key.scalar_;
    size_t first = entries.size();
    if (frame.keys == nullptr && entries.size() < kIndexedKeys) {
      for (size_t i = 0; i < entries.size() && first == entries.size(); ++i) {
        if (entries[i].key.is_scalar() && entries[i].key.scalar_ == key) first = i;
      }
    } else {
      if (frame.keys == nullptr) {
        frame.keys = std::make_unique<std::unordered_map<std::string, size_t>>();
        for (size_t i = 0; i < entries.size(); ++i) {
          if (entries[i].key.is_scalar()) frame.keys->emplace(entries[i].key.scalar_, i);
        }
      }
      auto [at, inserted] = frame.keys->emplace(key, entries.size());
      if (!inserted) first = at->second;
    }
    if (first == entries.size()) return;
    const YAML::Mark& earlier = entries[first].key.mark_;
    duplicates_->push_back(make_diagnostic(
        Severity::kWarning, "uprank.inventory.duplicate_key",
        "duplicate key '" + key + "' (first at line " + std::to_string(earlier.line + 1) +
            "): YAML requires unique keys and kubectl, docker compose and Helm refuse the file; uprank reads the first",
        location(path_, frame.key.mark_)));
  }

  const std::string& path_;
  std::string format_;  // "YAML" or "JSON", as messages name the file's format
  int max_depth_;
  size_t max_nodes_;
  size_t nodes_ = 0;  // over all documents of the file
  std::vector<Frame> stack_;
  std::unordered_map<YAML::anchor_t, Anchored> anchors_;
  YamlNode document_;
  std::vector<Diagnostic>* duplicates_;  // null: not looked for
};

Result<std::vector<YamlNode>> load_yaml(std::string_view text, const std::string& path, int max_depth, size_t max_nodes,
                                        std::vector<Diagnostic>* duplicates) {
  // yaml-cpp 0.7's parser never ends on some inputs (a lone ","): it keeps reporting
  // empty documents without consuming anything, so the count of documents is bounded by
  // the markers the text could hold.
  size_t limit = 2;
  for (size_t at = text.find("---"); at != std::string_view::npos; at = text.find("---", at + 3)) ++limit;
  for (size_t at = text.find("..."); at != std::string_view::npos; at = text.find("...", at + 3)) ++limit;
  ViewBuffer buffer(text);
  std::istream stream(&buffer);
  YamlTreeBuilder builder(path, max_depth, max_nodes, duplicates);
  std::vector<YamlNode> documents;
  try {
    YAML::Parser parser(stream);
    for (size_t read = 0; read <= limit; ++read) {
      if (!parser.HandleNextDocument(builder)) return documents;
      documents.push_back(builder.take_document());
    }
  } catch (const LimitExceeded& exceeded) {
    return exceeded.error;
  } catch (const YAML::Exception& e) {
    return make_error("uprank.inventory.syntax", "not valid " + text_format_name(path) + ": " + e.msg, location(path, e.mark));
  } catch (const std::exception& e) {
    return make_error("uprank.inventory.syntax", "not valid " + text_format_name(path) + ": " + e.what(),
                      SourceLocation{path, 0, 0});
  }
  return make_error("uprank.inventory.syntax",
                    "not valid " + text_format_name(path) + ": the parser cannot find the end of the documents",
                    SourceLocation{path, 1, 1});
}

}  // namespace uprank::inventory::internal
