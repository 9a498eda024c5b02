#include "fetchers/osv_stream.h"

#include <cstdint>
#include <string>
#include <vector>

#include "fetchers/osv.h"

namespace uprank::fetch::internal {
namespace {

using Json = nlohmann::json;

// RFC 3339 timestamps keep their date; Go's placeholder "0001-01-01T00:00:00Z" means
// unknown (parse_osv_document's timestamp_date, on the text).
std::optional<Date> timestamp_date(const std::string& text) {
  if (text.size() < 10 || text.compare(0, 4, "0001") == 0) return std::nullopt;
  return Date::parse(std::string_view(text).substr(0, 10));
}

// Where a value or member sits in the record: the containers the reader understands.
enum class In : uint8_t {
  kRecord, kAliases, kSeverityList, kSeverity, kRecordSpecific, kAffectedList, kAffected, kPackage, kVersions,
  kRanges, kRange, kEvents, kEvent, kAffectedSpecific, kReferences, kReference,
};

// What the value after a key (or the next item of an array) is for.
enum class Expect : uint8_t {
  kSkip,     // a member the record's reader does not read: any value, skipped whole
  kString,   // a string into `target_`
  kArray,    // an array holding `next_`
  kObject,   // an object of kind `next_`
};

// One affected[] entry as read, before its scheme and ranges are worked out.
struct AffectedRead {
  facts::AffectedPackage package;
  bool has_specific = false;  // database_specific present (an object)
  std::string informational;
};

class OsvHandler : public nlohmann::json_sax<Json> {
 public:
  OsvHandler(const JsonLimits& limits, facts::Advisory& advisory) : limits_(limits), advisory_(advisory) {}

  // A null member reads as a missing one (json_member): its field keeps its default. An
  // event's value must be a string, and no array the reader reads holds nulls.
  bool null() override {
    if (!count_value()) return false;
    if (skip_depth_ > 0) return true;
    if (in_array_value() || stack_.empty() || stack_.back().in == In::kEvent) return false;
    expect_ = Expect::kSkip;
    return true;
  }
  bool boolean(bool) override { return scalar(); }
  bool number_integer(number_integer_t) override { return scalar(); }
  bool number_unsigned(number_unsigned_t) override { return scalar(); }
  bool number_float(number_float_t, const string_t&) override { return scalar(); }
  bool binary(binary_t&) override { return false; }

  bool string(string_t& value) override {
    if (!count_value()) return false;
    if (skip_depth_ > 0) return true;
    if (!in_array_value()) {
      if (expect_ != Expect::kString && expect_ != Expect::kSkip) return false;
      if (expect_ == Expect::kString) *target_ = std::move(value);
      expect_ = Expect::kSkip;
      return true;
    }
    // An item of an array of strings.
    switch (stack_.back().in) {
      case In::kAliases: advisory_.aliases.push_back(std::move(value)); return true;
      case In::kVersions: affected_.back().package.versions.push_back(std::move(value)); return true;
      default: return false;
    }
  }

  bool start_object(std::size_t) override {
    if (!count_value() || !open()) return false;
    if (skip_depth_ > 0) {
      ++skip_depth_;
      return true;
    }
    In in;
    if (stack_.empty()) {
      in = In::kRecord;
    } else if (in_array_value()) {
      switch (stack_.back().in) {
        case In::kSeverityList: in = In::kSeverity; severity_list().emplace_back(); break;
        case In::kAffectedList: in = In::kAffected; affected_.emplace_back(); break;
        case In::kRanges: in = In::kRange; affected_.back().package.ranges.emplace_back(); break;
        case In::kEvents: in = In::kEvent; break;
        case In::kReferences: in = In::kReference; advisory_.references.emplace_back(); break;
        default: return false;
      }
    } else if (expect_ == Expect::kSkip) {
      skip_depth_ = 1;
      return true;
    } else if (expect_ == Expect::kObject) {
      in = next_;
      if (in == In::kAffectedSpecific) affected_.back().has_specific = true;
    } else {
      return false;
    }
    expect_ = Expect::kSkip;
    stack_.push_back(Level{in, 0, false, {}});
    return true;
  }

  bool key(string_t& name) override {
    if (skip_depth_ > 0) return true;
    Level& level = stack_.back();
    expect_ = Expect::kSkip;
    // Each member the reader reads has a bit: given twice, the tree keeps the last one;
    // leave that to the tree.
    auto read = [&](int bit, Expect expect) {
      if (level.seen & (1u << bit)) return false;
      level.seen |= 1u << bit;
      expect_ = expect;
      return true;
    };
    auto text = [&](int bit, std::string& target) {
      target_ = &target;
      return read(bit, Expect::kString);
    };
    auto array = [&](int bit, In items) {
      next_ = items;
      return read(bit, Expect::kArray);
    };
    auto object = [&](int bit, In kind) {
      next_ = kind;
      return read(bit, Expect::kObject);
    };
    switch (level.in) {
      case In::kRecord:
        if (name == "id") return text(0, advisory_.id);
        if (name == "summary") return text(1, advisory_.summary);
        if (name == "details") return text(2, advisory_.details);
        if (name == "published") return text(3, published_);
        if (name == "modified") return text(4, modified_);
        if (name == "withdrawn") return text(5, withdrawn_);
        if (name == "aliases") return array(6, In::kAliases);
        if (name == "severity") {
          severity_target_ = &advisory_.severity;
          return array(7, In::kSeverityList);
        }
        if (name == "database_specific") return object(8, In::kRecordSpecific);
        if (name == "affected") return array(9, In::kAffectedList);
        if (name == "references") return array(10, In::kReferences);
        return true;
      case In::kRecordSpecific:
        if (name == "severity") return text(0, advisory_.severity_label);
        return true;
      case In::kSeverity:
        if (name == "type") return text(0, level.type);
        if (name == "score") return text(1, severity_list().back().second);
        return true;
      case In::kAffected:
        if (name == "package") return object(0, In::kPackage);
        if (name == "severity") {
          severity_target_ = &affected_.back().package.severity;
          return array(1, In::kSeverityList);
        }
        if (name == "versions") return array(2, In::kVersions);
        if (name == "ranges") return array(3, In::kRanges);
        if (name == "database_specific") return object(4, In::kAffectedSpecific);
        return true;
      case In::kPackage:
        if (name == "ecosystem") return text(0, affected_.back().package.ecosystem);
        if (name == "name") return text(1, affected_.back().package.name);
        if (name == "purl") return text(2, affected_.back().package.purl);
        return true;
      case In::kAffectedSpecific:
        if (name == "informational") return text(0, affected_.back().informational);
        return true;
      case In::kRange:
        if (name == "type") return text(0, affected_.back().package.ranges.back().type);
        if (name == "repo") return text(1, affected_.back().package.ranges.back().repo);
        if (name == "events") return array(2, In::kEvents);
        return true;
      case In::kEvent:
        // One member, a string: anything else is for the tree to refuse.
        if (level.seen != 0) return false;
        level.seen = 1;
        level.type = std::move(name);
        target_ = &event_value_;
        expect_ = Expect::kString;
        return true;
      case In::kReference:
        if (name == "type") return text(0, advisory_.references.back().type);
        if (name == "url") return text(1, advisory_.references.back().url);
        return true;
      default:
        return false;
    }
  }

  bool end_object() override {
    --open_;
    if (skip_depth_ > 0) {
      --skip_depth_;
      return true;
    }
    Level level = std::move(stack_.back());
    stack_.pop_back();
    expect_ = Expect::kSkip;
    switch (level.in) {
      case In::kSeverity: {
        // Kept only with both a type and a score, as read_severity does.
        auto& list = severity_list();
        list.back().first = std::move(level.type);
        if (list.back().first.empty() || list.back().second.empty()) list.pop_back();
        return true;
      }
      case In::kRange:
        return level.has_events;  // a range without events is the tree's to refuse
      case In::kEvent: {
        if (level.seen == 0) return false;
        affected_.back().package.ranges.back().events.push_back({std::move(level.type), std::move(event_value_)});
        event_value_.clear();
        return true;
      }
      case In::kReference:
        if (advisory_.references.back().url.empty()) advisory_.references.pop_back();
        return true;
      default:
        return true;
    }
  }

  bool start_array(std::size_t) override {
    if (!count_value() || !open()) return false;
    if (skip_depth_ > 0) {
      ++skip_depth_;
      return true;
    }
    if (in_array_value()) return false;  // no array of arrays in the record's schema
    if (expect_ == Expect::kSkip) {
      skip_depth_ = 1;
      return true;
    }
    if (expect_ != Expect::kArray) return false;
    expect_ = Expect::kSkip;
    if (next_ == In::kEvents) stack_.back().has_events = true;
    stack_.push_back(Level{next_, 0, false, {}});
    return true;
  }

  bool end_array() override {
    --open_;
    if (skip_depth_ > 0) {
      --skip_depth_;
      return true;
    }
    stack_.pop_back();
    expect_ = Expect::kSkip;
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

  // Completes the advisory once the text has been read whole: false when it is not one
  // the tree would read the same way.
  bool finish() {
    if (!stack_.empty() || advisory_.id.empty()) return false;
    advisory_.published = timestamp_date(published_);
    advisory_.modified = timestamp_date(modified_);
    advisory_.withdrawn = timestamp_date(withdrawn_);
    for (AffectedRead& read : affected_) {
      facts::AffectedPackage& package = read.package;
      package.scheme = scheme_for_ecosystem(package.ecosystem);
      for (facts::AffectedRange& range : package.ranges) {
        std::optional<versions::Scheme> scheme;
        if (range.type == "SEMVER") scheme = versions::Scheme::kSemver;
        if (range.type == "ECOSYSTEM") scheme = package.scheme;
        if (scheme) {
          auto parsed = versions::Range::from_osv_events(*scheme, range.events);
          if (parsed) range.range = std::move(parsed).value();
        }
      }
      // RustSec marks a notice per entry; the first entry with database_specific and a
      // kind decides, as parse_osv_document reads it.
      if (read.has_specific && advisory_.informational.empty()) advisory_.informational = read.informational;
      advisory_.affected.push_back(std::move(package));
    }
    return true;
  }

 private:
  struct Level {
    In in;
    uint32_t seen = 0;       // bits of the members read so far (see key())
    bool has_events = false; // kRange: an `events` array was given (not null)
    std::string type;        // kSeverity: its type; kEvent: its one key
  };

  bool in_array_value() const {
    if (stack_.empty()) return false;
    switch (stack_.back().in) {
      case In::kAliases: case In::kSeverityList: case In::kAffectedList: case In::kVersions: case In::kRanges:
      case In::kEvents: case In::kReferences:
        return true;
      default:
        return false;
    }
  }
  std::vector<std::pair<std::string, std::string>>& severity_list() { return *severity_target_; }

  bool scalar() {
    if (!count_value()) return false;
    if (skip_depth_ > 0) return true;
    if (in_array_value() || expect_ != Expect::kSkip) return false;  // a number where the schema has text
    return true;
  }
  // The value bound of parse_json: every value counts, keys do not.
  bool count_value() { return ++values_ <= limits_.max_values; }
  // The depth bound of parse_json.
  bool open() { return ++open_ <= static_cast<size_t>(limits_.max_depth); }

  const JsonLimits& limits_;
  facts::Advisory& advisory_;
  std::vector<Level> stack_;
  std::vector<AffectedRead> affected_;
  std::vector<std::pair<std::string, std::string>>* severity_target_ = nullptr;
  std::string* target_ = nullptr;
  Expect expect_ = Expect::kSkip;
  In next_ = In::kRecord;
  size_t skip_depth_ = 0;
  size_t values_ = 0;
  size_t open_ = 0;
  std::string published_, modified_, withdrawn_, event_value_;
};

}  // namespace

bool read_osv_stream(std::string_view text, const JsonLimits& limits, facts::Advisory& advisory) {
  if (text.size() > limits.max_bytes) return false;
  facts::Advisory read;
  OsvHandler handler(limits, read);
  try {
    if (!Json::sax_parse(text.begin(), text.end(), &handler)) return false;
  } catch (const std::exception&) {
    return false;
  }
  if (!handler.finish()) return false;
  advisory = std::move(read);
  return true;
}

}  // namespace uprank::fetch::internal
