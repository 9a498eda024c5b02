// scan_osv_record (osv.h): an OSV record's id and affected packages read from its JSON
// text by nlohmann's SAX parser, with parse_osv_document's validation, without the tree.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "fetchers/osv.h"

namespace uprank::fetch {
namespace {

// The kind of a JSON value, as nlohmann's type_name() says it.
enum class Kind { kNull, kBoolean, kNumber, kString, kArray, kObject };

std::string a_kind(Kind kind) {
  switch (kind) {
    case Kind::kNull: return "a null";
    case Kind::kBoolean: return "a boolean";
    case Kind::kNumber: return "a number";
    case Kind::kString: return "a string";
    case Kind::kArray: return "an array";
    case Kind::kObject: return "an object";
  }
  return "a value";
}

// What a container holds, for the members the scan reads; everything else is kIgnored
// (parsed and counted against the limits, never kept).
enum class Role { kRoot, kAffected, kEntry, kPackage, kRanges, kRange, kEvents, kEvent, kIgnored };

// A member that was present (and not null) with the kind of its last value: nlohmann's
// tree keeps the last of duplicate members, and so does the scan.
struct Member {
  bool present = false;
  Kind kind = Kind::kNull;
  void set(Kind k) {
    present = k != Kind::kNull;
    kind = k;
  }
};

struct ScannedEvent {
  bool object = false;
  // The members of the event object, duplicates replaced; `string` tells whether the
  // value is a string (only then is `value` kept).
  struct Item {
    std::string key;
    bool string = false;
    std::string value;
  };
  std::vector<Item> items;
};

struct ScannedRange {
  std::string type;
  Member events;
  std::vector<ScannedEvent> event_list;
};

struct ScannedEntry {
  std::string ecosystem;
  std::string name;
  std::string purl;
  Member versions;
  Member ranges;
  std::vector<ScannedRange> range_list;
};

// The SAX handler. Stops (returns false) at the first sign that the document is not for
// this path: a syntax error, a limit crossed, a root that is not an object, or a
// top-level member another feed is told apart by; the caller then parses the tree.
class Scanner {
 public:
  explicit Scanner(const JsonLimits& limits) : limits_(limits) {}

  bool null() { return scalar(Kind::kNull, nullptr); }
  bool boolean(bool) { return scalar(Kind::kBoolean, nullptr); }
  bool number_integer(std::int64_t) { return scalar(Kind::kNumber, nullptr); }
  bool number_unsigned(std::uint64_t) { return scalar(Kind::kNumber, nullptr); }
  bool number_float(double, const std::string&) { return scalar(Kind::kNumber, nullptr); }
  bool string(std::string& value) { return scalar(Kind::kString, &value); }
  bool binary(nlohmann::json::binary_t&) { return stop(); }  // not in JSON text
  bool start_object(std::size_t) { return open(Kind::kObject); }
  bool start_array(std::size_t) { return open(Kind::kArray); }
  bool key(std::string& name) {
    key_.assign(name);  // copied, not moved: the lexer's buffer keeps its room
    return true;
  }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return stop(); }

  bool stopped() const { return stopped_; }
  // Whether the document is one the importer classifies as an OSV record: `id` a string,
  // `modified` present (document_format, importer.cc).
  bool osv() const { return !stopped_ && id_is_string_ && modified_; }

  // The record as parse_osv_document reads it, or its first error in the order that
  // function finds them. Call once, after a parse where osv() holds.
  Result<facts::Advisory> advisory(const std::string& where) {
    facts::Advisory advisory;
    advisory.id = std::move(id_);
    if (advisory.id.empty()) return make_error("uprank.fetch.bad_shape", where + ": OSV record has no 'id'");
    const std::string at = where + " (" + advisory.id + ")";
    if (affected_.present && affected_.kind != Kind::kArray) {
      return make_error("uprank.fetch.bad_shape", at + ": $.affected must be an array, not " + a_kind(affected_.kind));
    }
    for (size_t i = 0; i < entries_.size(); ++i) {
      ScannedEntry& entry = entries_[i];
      const std::string path = "$.affected[" + std::to_string(i) + "]";
      facts::AffectedPackage package;
      package.ecosystem = std::move(entry.ecosystem);
      package.name = std::move(entry.name);
      package.purl = std::move(entry.purl);
      package.scheme = scheme_for_ecosystem(package.ecosystem);
      if (entry.versions.present && entry.versions.kind != Kind::kArray) {
        return make_error("uprank.fetch.bad_shape", at + ": " + path + ".versions must be an array, not " + a_kind(entry.versions.kind));
      }
      if (entry.ranges.present && entry.ranges.kind != Kind::kArray) {
        return make_error("uprank.fetch.bad_shape", at + ": " + path + ".ranges must be an array, not " + a_kind(entry.ranges.kind));
      }
      for (size_t r = 0; r < entry.range_list.size(); ++r) {
        ScannedRange& scanned = entry.range_list[r];
        const std::string range_path = path + ".ranges[" + std::to_string(r) + "]";
        if (!scanned.events.present) {
          return make_error("uprank.fetch.bad_shape",
                            at + ": " + range_path + ": a range of " + package.name + " has no 'events' array");
        }
        if (scanned.events.kind != Kind::kArray) {
          return make_error("uprank.fetch.bad_shape",
                            at + ": " + range_path + ".events must be an array, not " + a_kind(scanned.events.kind));
        }
        facts::AffectedRange range;
        range.type = std::move(scanned.type);
        for (size_t e = 0; e < scanned.event_list.size(); ++e) {
          ScannedEvent& event = scanned.event_list[e];
          if (!event.object || event.items.size() != 1 || !event.items[0].string) {
            return make_error("uprank.fetch.bad_shape", at + ": " + range_path + ".events[" + std::to_string(e) +
                                                            "]: an event of " + package.name + " must be an object with one string");
          }
          range.events.push_back({std::move(event.items[0].key), std::move(event.items[0].value)});
        }
        internal::parse_osv_range(range, package.scheme);
        package.ranges.push_back(std::move(range));
      }
      advisory.affected.push_back(std::move(package));
    }
    return advisory;
  }

 private:
  bool stop() {
    stopped_ = true;
    return false;
  }

  // Counts a value against the limits as parse_json does: every value but object keys.
  bool count() {
    if (++values_ > limits_.max_values) return stop();
    return true;
  }

  // The role of a value that starts now (a container's, when `kind` is one), and what it
  // sets in the record.
  Role begin_value(Kind kind, std::string* text) {
    if (roles_.empty()) return kind == Kind::kObject ? Role::kRoot : Role::kIgnored;
    const bool object = kind == Kind::kObject;
    const bool array = kind == Kind::kArray;
    switch (roles_.back()) {
      case Role::kRoot:
        if (key_ == "id") {
          id_is_string_ = kind == Kind::kString;
          id_ = text != nullptr ? std::move(*text) : std::string();
        } else if (key_ == "modified") {
          modified_ = kind != Kind::kNull;
        } else if (key_ == "affected") {
          affected_.set(kind);
          entries_.clear();
          if (array) return Role::kAffected;
        } else if (key_ == "catalogVersion" || key_ == "vulnerabilities" || key_ == "document" || key_ == "releases") {
          stop();  // KEV, CSAF or release-data: classified from the tree
        }
        return Role::kIgnored;
      case Role::kAffected:
        entries_.emplace_back();
        return object ? Role::kEntry : Role::kIgnored;  // not an object: a package named by nothing
      case Role::kEntry: {
        ScannedEntry& entry = entries_.back();
        if (key_ == "package") {
          entry.ecosystem.clear();
          entry.name.clear();
          entry.purl.clear();
          if (object) return Role::kPackage;
        } else if (key_ == "versions") {
          entry.versions.set(kind);
        } else if (key_ == "ranges") {
          entry.ranges.set(kind);
          entry.range_list.clear();
          if (array) return Role::kRanges;
        }
        return Role::kIgnored;
      }
      case Role::kPackage: {
        ScannedEntry& entry = entries_.back();
        std::string* field = key_ == "ecosystem" ? &entry.ecosystem : key_ == "name" ? &entry.name
                                                                      : key_ == "purl" ? &entry.purl : nullptr;
        if (field != nullptr) *field = text != nullptr ? std::move(*text) : std::string();
        return Role::kIgnored;
      }
      case Role::kRanges:
        entries_.back().range_list.emplace_back();
        return object ? Role::kRange : Role::kIgnored;  // not an object: a range without events
      case Role::kRange: {
        ScannedRange& range = entries_.back().range_list.back();
        if (key_ == "type") {
          range.type = text != nullptr ? std::move(*text) : std::string();
        } else if (key_ == "events") {
          range.events.set(kind);
          range.event_list.clear();
          if (array) return Role::kEvents;
        }
        return Role::kIgnored;
      }
      case Role::kEvents:
        entries_.back().range_list.back().event_list.emplace_back();
        entries_.back().range_list.back().event_list.back().object = object;
        return object ? Role::kEvent : Role::kIgnored;
      case Role::kEvent: {
        std::vector<ScannedEvent::Item>& items = entries_.back().range_list.back().event_list.back().items;
        ScannedEvent::Item* item = nullptr;
        for (ScannedEvent::Item& existing : items) {
          if (existing.key == key_) item = &existing;
        }
        if (item == nullptr) item = &items.emplace_back(ScannedEvent::Item{key_, false, {}});
        item->string = kind == Kind::kString;
        item->value = text != nullptr ? std::move(*text) : std::string();
        return Role::kIgnored;
      }
      case Role::kIgnored:
        return Role::kIgnored;
    }
    return Role::kIgnored;
  }

  bool scalar(Kind kind, std::string* text) {
    if (!count()) return false;
    if (roles_.empty()) return stop();  // a document that is one scalar: no record
    begin_value(kind, text);
    return !stopped_;
  }

  bool open(Kind kind) {
    // parse_json's bound: a container nested in max_depth others is one too many.
    if (static_cast<int>(roles_.size()) + 1 > limits_.max_depth) return stop();
    if (!count()) return false;
    Role role = begin_value(kind, nullptr);
    if (roles_.empty() && role != Role::kRoot) return stop();
    roles_.push_back(role);
    return !stopped_;
  }

  bool close() {
    roles_.pop_back();
    return true;
  }

  const JsonLimits& limits_;
  std::vector<Role> roles_;  // one per open container
  std::string key_;          // the member whose value comes next
  size_t values_ = 0;
  bool stopped_ = false;
  bool id_is_string_ = false;
  std::string id_;
  bool modified_ = false;
  Member affected_;
  std::vector<ScannedEntry> entries_;
};

}  // namespace

Result<std::optional<facts::Advisory>> scan_osv_record(std::string_view text, const std::string& where,
                                                       const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) return std::optional<facts::Advisory>();
  Scanner scanner(limits);
  try {
    nlohmann::json::sax_parse(text.begin(), text.end(), &scanner);
  } catch (const std::exception&) {
    return std::optional<facts::Advisory>();  // parse_json says what
  }
  if (!scanner.osv()) return std::optional<facts::Advisory>();
  auto advisory = scanner.advisory(where);
  if (!advisory) return advisory.error();
  return std::optional<facts::Advisory>(std::move(advisory).value());
}

}  // namespace uprank::fetch
