// Private helpers shared by the inventory readers: positions in text, a JSON tree that
// remembers byte offsets, bounded YAML loading and container image references.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/mark.h>

#include "engine/base/diagnostic.h"
#include "engine/base/result.h"
#include "engine/inventory/component.h"
#include "engine/inventory/yaml_tree.h"

namespace uprank::inventory::internal {

// Maps byte offsets in one text to 1-based line and column.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  SourceLocation locate(const std::string& path, size_t offset) const;

 private:
  std::vector<size_t> line_starts_;
};

// A JSON value that knows where it starts in the text. Object members keep their order.
struct JsonValue {
  enum class Kind : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  std::string text;               // string value, number as written, "true"/"false"
  std::vector<JsonValue> items;   // array elements, or object member values
  std::vector<std::string> keys;  // object member keys, parallel to items
  size_t offset = 0;              // byte offset of the value's first character

  bool is_object() const { return kind == Kind::kObject; }
  bool is_array() const { return kind == Kind::kArray; }
  bool is_string() const { return kind == Kind::kString; }
  // Returns the member named `key` of an object, or nullptr.
  const JsonValue* get(std::string_view key) const;
  // Returns the text of member `key` when it is a string (or a number), else "".
  std::string string_at(std::string_view key) const;
};

// Appends a warning (uprank.inventory.duplicate_key) for each object member of `value`,
// at any depth, whose name an earlier member of the same object has: RFC 8259 4 says names
// SHOULD be unique and leaves which one counts to the reader. JsonValue::get reads the
// first; the warning names the JSON path (`path` is the value's, e.g. "$.components[3]").
void warn_duplicate_keys(const JsonValue& value, const std::string& path, const std::string& file,
                         const LineIndex& lines, std::vector<Diagnostic>& out);

// Parses JSON with at most `max_depth` levels of nesting. Errors carry the byte offset
// in `Error::where.column` (line 0); callers turn it into a location with a LineIndex.
Result<JsonValue> parse_json(std::string_view text, int max_depth);

// What stream_json hands over from a document whose root is an object. Only a key's
// first occurrence is delivered, as JsonValue::get finds it; later ones are skipped.
struct JsonStream {
  // Root members delivered one item at a time when they are arrays (each item a JsonValue
  // subtree, dropped after the call); a streamed member that is not an array is handed to
  // on_member whole.
  std::vector<std::string_view> streamed;
  // Root members delivered whole. Every other member is parsed and checked (syntax,
  // depth) but never built.
  std::vector<std::string_view> kept;
  // Inside what is built, object members named otherwise are skipped unbuilt (a
  // component's hashes, licenses, descriptions). Empty: every member is built. A lookup of
  // a listed key finds what it would in the whole tree.
  std::vector<std::string_view> item_keys;
  std::function<void(std::string_view key, JsonValue& item)> on_item;
  std::function<void(std::string_view key)> on_array_end;  // after a streamed array's last item
  std::function<void(std::string_view key, JsonValue& value)> on_member;
  // After each value handed over: the parser reads no byte before `offset` again.
  std::function<void(size_t offset)> on_consumed;
};
// Parses JSON as parse_json does (same limits, same errors) without building the whole
// tree: memory follows the largest item, not the document. Returns the root with its kind
// and offset only (no members); a root that is not an object delivers nothing.
Result<JsonValue> stream_json(std::string_view text, int max_depth, const JsonStream& stream);

SourceLocation yaml_location(const std::string& path, const YAML::Mark& mark);
// Returns the scalar text of map[key] when it is a scalar, else "".
std::string yaml_string(const YamlNode& map, std::string_view key);

// A container image reference: [registry/]repository[:tag][@digest].
struct ImageReference {
  std::string registry;    // "" for Docker Hub
  std::string repository;  // as written, without tag or digest
  std::string name;        // repository without docker.io/ and library/ ("postgres")
  std::string tag;
  std::string digest;      // "sha256:..."
};
// Parses an image reference; nullopt when it is empty, templated or not an image.
std::optional<ImageReference> parse_image_reference(std::string_view text);
// Returns a component for an image pinned at `where` by reader `source`.
Component image_component(const ImageReference& image, std::string source, SourceLocation where);

// Renames components[begin..] whose names repeat: first to "name@version", then
// "name@version (file:line)", then with "#n"; rewrites depends_on within each file.
void make_names_unique(std::vector<Component>& components, size_t begin);

// Component attribute marking a Helm values image that sets only its tag ("image: {tag:
// 9.6}" in values-prod.yaml): a partial pin, with no name, that the directory walk
// completes from the repository its chart's values.yaml gives the same key, or drops
// with a note. Never left on a component read_inventory_paths returns.
inline constexpr std::string_view kTagOnlyAttribute = "values.tag_only";

// Returns whether text holds a template expression ("{{", "${") the readers cannot resolve.
bool is_templated(std::string_view text);

std::string_view trim(std::string_view text);
std::string to_lower(std::string_view text);
bool iequals(std::string_view a, std::string_view b);
std::vector<std::string_view> split_lines(std::string_view text);
// Returns the path's last component ("Dockerfile" for "a/b/Dockerfile").
std::string_view base_name(std::string_view path);
// Returns whether the file at `path` (as it names a file on disk) is under a Helm chart's
// templates/ folder: some folder above it is named templates and holds, beside it, a
// Chart.yaml (Helm renders every file there, in subfolders too).
bool in_helm_chart_templates(std::string_view path);

}  // namespace uprank::inventory::internal
