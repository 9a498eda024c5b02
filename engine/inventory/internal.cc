#include "engine/inventory/internal.h"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "engine/inventory/purl.h"
#include "engine/inventory/version_pin.h"

namespace uprank::inventory::internal {

LineIndex::LineIndex(std::string_view text) {
  line_starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') line_starts_.push_back(i + 1);
  }
}

SourceLocation LineIndex::locate(const std::string& path, size_t offset) const {
  auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  size_t line = static_cast<size_t>(after - line_starts_.begin());  // 1-based
  size_t start = line_starts_[line - 1];
  return SourceLocation{path, static_cast<int>(line), static_cast<int>(offset - start + 1)};
}

const JsonValue* JsonValue::get(std::string_view key) const {
  if (kind != Kind::kObject) return nullptr;
  for (size_t i = 0; i < keys.size() && i < items.size(); ++i) {
    if (keys[i] == key) return &items[i];
  }
  return nullptr;
}

void warn_duplicate_keys(const JsonValue& value, const std::string& path, const std::string& file,
                         const LineIndex& lines, std::vector<Diagnostic>& out) {
  for (size_t i = 0; i < value.items.size(); ++i) {
    std::string member_path;
    if (value.is_object() && i < value.keys.size()) {
      const std::string& key = value.keys[i];
      bool plain = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      });
      member_path = path + (plain ? "." + key : "['" + key + "']");
      for (size_t j = 0; j < i; ++j) {
        if (value.keys[j] != key) continue;
        out.push_back(make_diagnostic(Severity::kWarning, "uprank.inventory.duplicate_key",
                                      "duplicate key: " + member_path +
                                          " is given more than once (RFC 8259: names should be unique); the first is read, this one ignored",
                                      lines.locate(file, value.items[i].offset)));
        break;
      }
    } else {
      member_path = path + "[" + std::to_string(i) + "]";
    }
    warn_duplicate_keys(value.items[i], member_path, file, lines, out);
  }
}

std::string JsonValue::string_at(std::string_view key) const {
  const JsonValue* value = get(key);
  if (!value || (value->kind != Kind::kString && value->kind != Kind::kNumber)) return {};
  return value->text;
}

namespace {

// An input iterator over the text that publishes how far the JSON lexer has read, so
// that SAX events can be given byte offsets.
class CountingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIterator(const char* position, const char** cursor) : position_(position), cursor_(cursor) {}
  reference operator*() const { return *position_; }
  CountingIterator& operator++() {
    ++position_;
    *cursor_ = position_;
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator before = *this;
    ++*this;
    return before;
  }
  friend bool operator==(const CountingIterator& a, const CountingIterator& b) { return a.position_ == b.position_; }
  friend bool operator!=(const CountingIterator& a, const CountingIterator& b) { return !(a == b); }

 private:
  const char* position_;
  const char** cursor_;
};

// Byte offsets of SAX events, and the parse error, for the builders below.
class SaxPosition {
 public:
  SaxPosition(std::string_view text, int max_depth) : text_(text), cursor_(text.data()), max_depth_(max_depth) {}

  const char** cursor() { return &cursor_; }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    error_ = e.what();
    // nlohmann reports "[json.exception.parse_error.101] parse error at line 1, column 2: ..."
    if (size_t colon = error_.find(": "); colon != std::string::npos && error_.find("parse error") < colon) {
      error_ = error_.substr(colon + 2);
    }
    error_offset_ = position > 0 ? position - 1 : 0;
    return false;
  }
  bool failed() const { return !error_.empty(); }
  Error error() const {
    return make_error("uprank.inventory.syntax", "not valid JSON: " + error_,
                      SourceLocation{"", 0, static_cast<int>(std::min<size_t>(error_offset_, INT32_MAX))});
  }

 protected:
  size_t consumed() const { return static_cast<size_t>(cursor_ - text_.data()); }
  size_t scalar_offset() const { return consumed() > 0 ? consumed() - 1 : 0; }
  // The lexer stops right after a string's closing quote: walk back to its opening one.
  size_t string_offset() const {
    size_t end = consumed();
    if (end < 2) return 0;
    size_t i = end - 2;
    while (i > 0) {
      if (text_[i] == '"') {
        size_t backslashes = 0;
        while (i >= backslashes + 1 && text_[i - backslashes - 1] == '\\') ++backslashes;
        if (backslashes % 2 == 0) return i;
      }
      --i;
    }
    return 0;
  }
  // Fails on a container opened `open` levels deep when that reaches the limit.
  bool too_deep(size_t open) {
    if (static_cast<int>(open) < max_depth_) return false;
    error_ = "nesting deeper than " + std::to_string(max_depth_) + " levels";
    error_offset_ = scalar_offset();
    return true;
  }

 private:
  std::string_view text_;
  const char* cursor_;
  int max_depth_;
  std::string error_;
  size_t error_offset_ = 0;
};

JsonValue make_value(JsonValue::Kind kind, std::string text, size_t offset) {
  JsonValue value;
  value.kind = kind;
  value.text = std::move(text);
  value.offset = offset;
  return value;
}

class TreeBuilder : public SaxPosition {
 public:
  using json = nlohmann::json;
  using SaxPosition::SaxPosition;

  bool null() { return add(JsonValue::Kind::kNull, "", scalar_offset()); }
  bool boolean(bool value) { return add(JsonValue::Kind::kBool, value ? "true" : "false", scalar_offset()); }
  bool number_integer(json::number_integer_t value) { return add(JsonValue::Kind::kNumber, std::to_string(value), scalar_offset()); }
  bool number_unsigned(json::number_unsigned_t value) { return add(JsonValue::Kind::kNumber, std::to_string(value), scalar_offset()); }
  bool number_float(json::number_float_t, const json::string_t& text) { return add(JsonValue::Kind::kNumber, text, scalar_offset()); }
  bool string(json::string_t& value) { return add(JsonValue::Kind::kString, std::move(value), string_offset()); }
  bool binary(json::binary_t&) { return add(JsonValue::Kind::kNull, "", scalar_offset()); }
  bool start_object(std::size_t) { return open(JsonValue::Kind::kObject); }
  bool start_array(std::size_t) { return open(JsonValue::Kind::kArray); }
  bool key(json::string_t& name) {
    stack_.back().keys.push_back(std::move(name));
    return true;
  }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  JsonValue take_root() { return std::move(root_); }

 private:
  bool add(JsonValue::Kind kind, std::string text, size_t offset) { return attach(make_value(kind, std::move(text), offset)); }
  bool attach(JsonValue value) {
    if (stack_.empty()) {
      root_ = std::move(value);
    } else {
      stack_.back().items.push_back(std::move(value));
    }
    return true;
  }
  bool open(JsonValue::Kind kind) {
    if (too_deep(stack_.size())) return false;
    stack_.push_back(make_value(kind, "", scalar_offset()));
    return true;
  }
  bool close() {
    JsonValue value = std::move(stack_.back());
    stack_.pop_back();
    return attach(std::move(value));
  }

  std::vector<JsonValue> stack_;
  JsonValue root_;
};

// The SAX handler of stream_json: builds only the root members and array items the
// JsonStream asks for, one at a time, and hands each over as soon as it is complete.
class StreamBuilder : public SaxPosition {
 public:
  using json = nlohmann::json;
  StreamBuilder(std::string_view text, int max_depth, const JsonStream& stream)
      : SaxPosition(text, max_depth), stream_(stream), seen_(stream.streamed.size() + stream.kept.size(), false) {}

  // Scalars: offsets are computed only for values that are built (a string's walks back).
  bool null() { return scalar(JsonValue::Kind::kNull, [] { return std::string(); }, false); }
  bool boolean(bool value) {
    return scalar(JsonValue::Kind::kBool, [&] { return std::string(value ? "true" : "false"); }, false);
  }
  bool number_integer(json::number_integer_t value) {
    return scalar(JsonValue::Kind::kNumber, [&] { return std::to_string(value); }, false);
  }
  bool number_unsigned(json::number_unsigned_t value) {
    return scalar(JsonValue::Kind::kNumber, [&] { return std::to_string(value); }, false);
  }
  bool number_float(json::number_float_t, const json::string_t& text) {
    return scalar(JsonValue::Kind::kNumber, [&] { return text; }, false);
  }
  bool string(json::string_t& value) { return scalar(JsonValue::Kind::kString, [&] { return std::move(value); }, true); }
  bool binary(json::binary_t&) { return scalar(JsonValue::Kind::kNull, [] { return std::string(); }, false); }
  bool start_object(std::size_t) { return open(JsonValue::Kind::kObject); }
  bool start_array(std::size_t) { return open(JsonValue::Kind::kArray); }
  bool key(json::string_t& name) {
    if (roles_.back() == Role::kBuilt) {  // the innermost open container is building_.back()
      if (!stream_.item_keys.empty() &&
          std::find(stream_.item_keys.begin(), stream_.item_keys.end(), name) == stream_.item_keys.end()) {
        skip_member_ = true;  // its value, whatever it holds, is not built
        return true;
      }
      building_.back().keys.push_back(std::move(name));
    } else if (roles_.size() == 1 && roles_.back() == Role::kRoot) {
      key_ = std::move(name);
    }
    return true;
  }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  JsonValue take_root() { return std::move(root_); }

 private:
  enum class Role : uint8_t {
    kRoot,      // the root object: its members are sorted by key
    kStreamed,  // a streamed root array: each item is built and handed over
    kBuilt,     // inside a value being built
    kSkipped,   // checked by the parser, never built
  };

  // The role of a value starting now, `array` when it opens one.
  Role role_of_new_value(bool array) {
    switch (roles_.back()) {
      case Role::kStreamed: return Role::kBuilt;
      case Role::kBuilt:
        if (!skip_member_) return Role::kBuilt;
        skip_member_ = false;
        return Role::kSkipped;
      case Role::kSkipped: return Role::kSkipped;
      case Role::kRoot: break;
    }
    size_t index = 0;
    for (std::string_view name : stream_.streamed) {
      if (name == key_) {
        if (seen_[index]) return Role::kSkipped;
        seen_[index] = true;
        return array ? Role::kStreamed : Role::kBuilt;
      }
      ++index;
    }
    for (std::string_view name : stream_.kept) {
      if (name == key_) {
        if (seen_[index]) return Role::kSkipped;
        seen_[index] = true;
        return Role::kBuilt;
      }
      ++index;
    }
    return Role::kSkipped;
  }

  template <typename Text>
  bool scalar(JsonValue::Kind kind, Text&& text, bool is_string) {
    if (roles_.empty()) {  // the whole document is one scalar
      root_ = make_value(kind, "", is_string ? string_offset() : scalar_offset());
      return true;
    }
    if (role_of_new_value(false) != Role::kBuilt) return true;
    JsonValue value = make_value(kind, text(), is_string ? string_offset() : scalar_offset());
    if (!building_.empty()) {
      building_.back().items.push_back(std::move(value));
      return true;
    }
    deliver(value);
    return true;
  }

  bool open(JsonValue::Kind kind) {
    if (too_deep(roles_.size())) return false;
    if (roles_.empty()) {
      root_ = make_value(kind, "", scalar_offset());
      roles_.push_back(kind == JsonValue::Kind::kObject ? Role::kRoot : Role::kSkipped);
      return true;
    }
    Role role = role_of_new_value(kind == JsonValue::Kind::kArray);
    if (role == Role::kBuilt) building_.push_back(make_value(kind, "", scalar_offset()));
    roles_.push_back(role);
    return true;
  }

  bool close() {
    Role role = roles_.back();
    roles_.pop_back();
    if (role == Role::kStreamed && stream_.on_array_end) stream_.on_array_end(key_);
    if (role != Role::kBuilt) return true;
    JsonValue value = std::move(building_.back());
    building_.pop_back();
    if (!building_.empty()) {
      building_.back().items.push_back(std::move(value));
    } else {
      deliver(value);
    }
    return true;
  }

  // Hands over a complete value whose parent is the root or a streamed array.
  void deliver(JsonValue& value) {
    if (roles_.back() == Role::kStreamed) {
      if (stream_.on_item) stream_.on_item(key_, value);
    } else if (stream_.on_member) {
      stream_.on_member(key_, value);
    }
    // The value's last character has been read (and perhaps one more); a string's
    // offset, the only look back, never reaches before the string's own start.
    if (stream_.on_consumed) stream_.on_consumed(scalar_offset());
  }

  const JsonStream& stream_;
  std::vector<bool> seen_;     // per streamed then kept name: delivered already
  std::vector<Role> roles_;    // one per open container
  std::vector<JsonValue> building_;  // the containers being built, innermost last
  std::string key_;            // the root member being read
  bool skip_member_ = false;   // the next value is an object member item_keys leaves out
  JsonValue root_;
};

template <typename Builder>
Result<JsonValue> run_sax(std::string_view text, Builder& builder) {
  CountingIterator first(text.data(), builder.cursor());
  CountingIterator last(text.data() + text.size(), builder.cursor());
  try {
    bool ok = nlohmann::json::sax_parse(first, last, &builder);
    if (!ok || builder.failed()) {
      if (builder.failed()) return builder.error();
      return make_error("uprank.inventory.syntax", "not valid JSON");
    }
  } catch (const std::exception& e) {
    return make_error("uprank.inventory.syntax", std::string("not valid JSON: ") + e.what());
  }
  return builder.take_root();
}

}  // namespace

Result<JsonValue> parse_json(std::string_view text, int max_depth) {
  TreeBuilder builder(text, max_depth);
  return run_sax(text, builder);
}

Result<JsonValue> stream_json(std::string_view text, int max_depth, const JsonStream& stream) {
  StreamBuilder builder(text, max_depth, stream);
  return run_sax(text, builder);
}

SourceLocation yaml_location(const std::string& path, const YAML::Mark& mark) {
  if (mark.is_null()) return SourceLocation{path, 0, 0};
  return SourceLocation{path, mark.line + 1, mark.column + 1};
}

std::string yaml_string(const YamlNode& map, std::string_view key) {
  return map[key].scalar();
}


bool is_templated(std::string_view text) {
  return text.find("{{") != std::string_view::npos || text.find("${") != std::string_view::npos ||
         text.find("$(") != std::string_view::npos;
}

std::optional<ImageReference> parse_image_reference(std::string_view text) {
  text = trim(text);
  if (text.empty() || text.size() > 512 || is_templated(text)) return std::nullopt;
  for (char c : text) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
              c == '_' || c == '/' || c == ':' || c == '@' || c == '+';
    if (!ok) return std::nullopt;
  }
  ImageReference image;
  std::string_view rest = text;
  if (size_t at = rest.find('@'); at != std::string_view::npos) {
    image.digest = std::string(rest.substr(at + 1));
    rest = rest.substr(0, at);
  }
  size_t last_slash = rest.rfind('/');
  size_t colon = rest.rfind(':');
  if (colon != std::string_view::npos && (last_slash == std::string_view::npos || colon > last_slash)) {
    image.tag = std::string(rest.substr(colon + 1));
    rest = rest.substr(0, colon);
  }
  if (rest.empty() || rest.front() == '/' || rest.back() == '/') return std::nullopt;
  image.repository = std::string(rest);
  std::string_view name = rest;
  if (size_t slash = name.find('/'); slash != std::string_view::npos) {
    std::string_view first = name.substr(0, slash);
    if (first.find('.') != std::string_view::npos || first.find(':') != std::string_view::npos || first == "localhost") {
      image.registry = std::string(first);
      name = name.substr(slash + 1);
    }
  }
  if (image.registry == "docker.io" || image.registry == "index.docker.io" || image.registry == "registry-1.docker.io") {
    image.registry.clear();
  }
  if (image.registry.empty() && name.substr(0, 8) == "library/") name = name.substr(8);
  image.name = std::string(name);
  if (image.name.empty()) return std::nullopt;
  return image;
}

Component image_component(const ImageReference& image, std::string source, SourceLocation where) {
  Component component;
  component.kind = "container-image";
  component.source = std::move(source);
  component.name = image.registry.empty() ? image.name : image.registry + "/" + image.name;
  component.version_text = !image.tag.empty() ? image.tag : image.digest;
  component.pin = pin_of_image_tag(image.tag, image.digest);
  component.attributes["image"] = image.repository + (image.tag.empty() ? "" : ":" + image.tag) +
                                  (image.digest.empty() ? "" : "@" + image.digest);
  if (!image.tag.empty()) component.attributes["tag"] = image.tag;
  if (!image.digest.empty()) component.attributes["digest"] = image.digest;
  if (!image.registry.empty()) component.attributes["registry"] = image.registry;
  if (image.tag.empty() && image.digest.empty()) component.attributes["floating"] = "implicit latest";
  PackageUrl purl;
  purl.type = "docker";
  std::string_view name = image.name;
  if (size_t slash = name.rfind('/'); slash != std::string_view::npos) {
    purl.namespace_ = std::string(name.substr(0, slash));
    purl.name = std::string(name.substr(slash + 1));
  } else {
    purl.namespace_ = image.registry.empty() ? "library" : "";
    purl.name = std::string(name);
  }
  purl.version = component.version_text;
  if (!image.registry.empty()) purl.qualifiers["repository_url"] = image.registry;
  component.purl = purl.to_string();
  component.location = std::move(where);
  return component;
}

std::string_view trim(std::string_view text) {
  size_t begin = 0, end = text.size();
  while (begin < end && (text[begin] == ' ' || text[begin] == '\t' || text[begin] == '\r' || text[begin] == '\n')) ++begin;
  while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r' || text[end - 1] == '\n')) --end;
  return text.substr(begin, end - begin);
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && to_lower(a) == to_lower(b);
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

std::string_view base_name(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool in_helm_chart_templates(std::string_view path) {
  namespace fs = std::filesystem;
  fs::path folder = fs::path(std::string(path)).parent_path();
  for (int depth = 0; depth < 64 && !folder.empty() && folder.has_filename(); ++depth, folder = folder.parent_path()) {
    if (folder.filename() != "templates") continue;
    std::error_code error;
    const fs::path chart = folder.parent_path();
    if (fs::is_regular_file(chart / "Chart.yaml", error) || fs::is_regular_file(chart / "Chart.yml", error)) return true;
  }
  return false;
}

}  // namespace uprank::inventory::internal

namespace uprank::inventory::internal {

void make_names_unique(std::vector<Component>& components, size_t begin) {
  // Three rounds of renaming, each on the names that still repeat: "name@version", then
  // "name@version (file:line)", then "#n". Names are counted through views, and after the
  // first round only the names a round renamed (or left repeating) are counted: a name
  // that was unique and was not renamed can only repeat now if a renamed one became it.
  // The common case, names already unique (an SBOM read before, checked again with every
  // other file), costs one count of views and no copies.
  if (begin >= components.size()) return;
  const size_t size = components.size() - begin;
  std::vector<uint8_t> repeats(size, 0);  // per component: its name repeats in this round
  bool any = false;
  {
    std::unordered_map<std::string_view, uint32_t> counts;
    counts.reserve(size);
    for (size_t i = begin; i < components.size(); ++i) any = ++counts[components[i].name] > 1 || any;
    if (!any) return;
    for (size_t i = begin; i < components.size(); ++i) repeats[i - begin] = counts[components[i].name] > 1;
  }
  // Only the display name changes: identity keys read the label.
  for (size_t i = begin; i < components.size(); ++i) {
    if (components[i].identity.label.empty()) components[i].identity.label = components[i].name;
  }
  std::vector<std::pair<size_t, std::string>> old_names;  // per renamed component, its name before
  std::vector<uint8_t> renamed_once(size, 0);
  auto rename = [&](size_t i, const std::string& suffix) {
    Component& component = components[i];
    if (!renamed_once[i - begin]) {
      renamed_once[i - begin] = 1;
      old_names.emplace_back(i, component.name);
    }
    component.name += suffix;
  };
  // Marks in `repeats` the components whose names repeat among the names of those marked
  // before (the only ones that can repeat): counted over every component.
  auto recount = [&] {
    std::unordered_map<std::string, uint32_t> counts;
    for (size_t i = begin; i < components.size(); ++i) {
      if (repeats[i - begin]) counts.emplace(components[i].name, 0);
    }
    any = false;
    for (size_t i = begin; i < components.size(); ++i) {
      auto it = counts.find(components[i].name);
      if (it != counts.end()) ++it->second;
    }
    for (size_t i = begin; i < components.size(); ++i) {
      auto it = counts.find(components[i].name);
      repeats[i - begin] = it != counts.end() && it->second > 1;
      any = any || repeats[i - begin];
    }
  };
  for (size_t i = begin; i < components.size(); ++i) {
    Component& component = components[i];
    if (repeats[i - begin] && !component.version_text.empty()) rename(i, "@" + component.version_text);
  }
  recount();
  if (any) {
    for (size_t i = begin; i < components.size(); ++i) {
      Component& component = components[i];
      if (repeats[i - begin]) {
        rename(i, " (" + std::string(base_name(component.location.file)) + ":" + std::to_string(component.location.line) + ")");
      }
    }
    recount();
  }
  if (any) {
    std::unordered_map<std::string, size_t> seen;
    for (size_t i = begin; i < components.size(); ++i) {
      if (repeats[i - begin]) rename(i, "#" + std::to_string(++seen[components[i].name]));
    }
  }
  // Names were unique within a file before (readers ensure it), so per file old -> new is a function.
  std::sort(old_names.begin(), old_names.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::unordered_map<std::string, std::unordered_map<std::string, std::string>> renamed;
  for (const auto& [i, old_name] : old_names) {
    if (old_name != components[i].name) renamed[components[i].location.file][old_name] = components[i].name;
  }
  for (size_t i = begin; i < components.size(); ++i) {
    auto file = renamed.find(components[i].location.file);
    if (file == renamed.end()) continue;
    for (std::string& target : components[i].depends_on) {
      if (auto it = file->second.find(target); it != file->second.end()) target = it->second;
    }
  }
}

}  // namespace uprank::inventory::internal
