// Reading baselines: uprank JSON reports and SARIF 2.1.0 logs, by fingerprint.
#include <cctype>
#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/baseline/baseline.h"
#include "engine/files/files.h"
#include "engine/report/fingerprint.h"

namespace uprank::baseline {
namespace {

using Json = nlohmann::json;

constexpr size_t kMaxBytes = size_t{256} << 20;
constexpr int kMaxDepth = 64;

Error invalid(const std::string& path, const std::string& pointer, const std::string& problem) {
  return make_error("uprank.baseline.invalid", path + ": " + (pointer.empty() ? "" : pointer + ": ") + problem);
}

// Returns the member `key` of `object` when it is a string, else nullptr.
const std::string* string_member(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return nullptr;
  return it->get_ptr<const std::string*>();
}

bool is_fingerprint(const std::string& text) {
  return text.size() == 32 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// Decodes %XX escapes of a URI reference (SARIF artifactLocation.uri, RFC 3986).
std::string percent_decoded(std::string_view uri) {
  std::string out;
  for (size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && std::isxdigit(static_cast<unsigned char>(uri[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(uri[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(uri.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += uri[i];
    }
  }
  return out;
}

// Returns whether a report's schema_version ("MAJOR.MINOR") is 1.4 or later.
bool has_fingerprints(const std::string& version) {
  int major = 0, minor = 0;
  char dot = 0;
  std::istringstream in(version);
  if (!(in >> major >> dot >> minor) || dot != '.') return false;
  return major > 1 || (major == 1 && minor >= 4);
}

Result<Baseline> read_report(const Json& root, const std::string& path) {
  Baseline baseline{path, "report", {}, 0};
  const std::string* version = string_member(root, "schema_version");
  if (version == nullptr) return invalid(path, "/schema_version", "expected a string");
  // Fingerprints arrived in 1.4: an older report cannot be compared, and saying so once
  // beats failing on its first finding.
  if (!has_fingerprints(*version)) {
    return invalid(path, "/schema_version",
                   "\"" + *version + "\": reports before schema_version 1.4 carry no fingerprints to compare; "
                   "write a new baseline with --write-baseline");
  }
  auto components = root.find("components");
  if (components == root.end() || !components->is_array()) return invalid(path, "/components", "expected an array");
  for (size_t c = 0; c < components->size(); ++c) {
    const Json& component = (*components)[c];
    std::string at = "/components/" + std::to_string(c);
    if (!component.is_object()) return invalid(path, at, "expected an object");
    auto findings = component.find("findings");
    if (findings == component.end() || !findings->is_array()) return invalid(path, at + "/findings", "expected an array");
    const std::string* name = string_member(component, "name");
    // Its advisory coverage (`advisories`: null when no rule read advisories).
    std::optional<bool> checked;
    if (auto advisories = component.find("advisories"); advisories != component.end() && advisories->is_object()) {
      auto value = advisories->find("checked");
      if (value != advisories->end()) {
        if (!value->is_boolean()) return invalid(path, at + "/advisories/checked", "expected true or false");
        checked = value->get<bool>();
      }
    }
    for (size_t f = 0; f < findings->size(); ++f) {
      const Json& finding = (*findings)[f];
      std::string where = at + "/findings/" + std::to_string(f);
      if (!finding.is_object()) return invalid(path, where, "expected an object");
      const std::string* fingerprint = string_member(finding, "fingerprint");
      if (fingerprint == nullptr) {
        return invalid(path, where + "/fingerprint",
                       "missing: every finding of a report of schema_version " + *version +
                           " has one; was the file edited? Write a new baseline with --write-baseline");
      }
      if (!is_fingerprint(*fingerprint)) return invalid(path, where + "/fingerprint", "expected 32 hexadecimal digits");
      const std::string* rule = string_member(finding, "rule");
      if (rule == nullptr) return invalid(path, where + "/rule", "expected a string");
      const std::string* urgency_text = string_member(finding, "urgency");
      compiler::Level urgency;
      if (urgency_text == nullptr || !compiler::parse_level(*urgency_text, urgency)) {
        return invalid(path, where + "/urgency", "expected critical, high, medium, low or info");
      }
      BaselineFinding entry;
      entry.fingerprint = *fingerprint;
      entry.rule = *rule;
      entry.urgency = urgency;
      entry.component = name ? *name : "";
      entry.checked = checked;
      if (const std::string* message = string_member(finding, "message")) entry.message = *message;
      auto location = finding.find("location");
      if (location != finding.end() && location->is_object()) {
        if (const std::string* file = string_member(*location, "file")) entry.location.file = *file;
        auto line = location->find("line");
        if (line != location->end() && line->is_number_integer()) entry.location.line = line->get<int>();
        auto column = location->find("column");
        if (column != location->end() && column->is_number_integer()) entry.location.column = column->get<int>();
      }
      baseline.findings.push_back(std::move(entry));
    }
  }
  return baseline;
}

Result<Baseline> read_sarif(const Json& root, const std::string& path) {
  Baseline baseline{path, "sarif", {}, 0};
  const std::string* version = string_member(root, "version");
  if (version == nullptr || *version != "2.1.0") return invalid(path, "/version", "expected SARIF \"2.1.0\"");
  auto runs = root.find("runs");
  if (runs == root.end() || !runs->is_array()) return invalid(path, "/runs", "expected an array");
  const std::string key(report::kFingerprintKey);
  for (size_t r = 0; r < runs->size(); ++r) {
    std::string at = "/runs/" + std::to_string(r);
    const Json& run = (*runs)[r];
    if (!run.is_object()) return invalid(path, at, "expected an object");
    auto results = run.find("results");
    if (results == run.end() || results->is_null()) continue;  // §3.14.23: absent when not run
    // A result without `level` takes its rule's defaultConfiguration.level, else
    // "warning" (§3.27.10, §3.49.14): rules by ruleIndex into tool.driver.rules, else by id.
    const Json* rules = nullptr;
    if (auto tool = run.find("tool"); tool != run.end() && tool->is_object()) {
      if (auto driver = tool->find("driver"); driver != tool->end() && driver->is_object()) {
        if (auto found = driver->find("rules"); found != driver->end() && found->is_array()) rules = &*found;
      }
    }
    auto default_level = [&](const Json& result, const std::string& rule_id) -> std::string {
      if (rules == nullptr) return "warning";
      const Json* rule = nullptr;
      if (auto index = result.find("ruleIndex"); index != result.end() && index->is_number_unsigned() &&
                                                 index->get<size_t>() < rules->size()) {
        rule = &(*rules)[index->get<size_t>()];
      } else {
        for (const Json& candidate : *rules) {
          const std::string* id = candidate.is_object() ? string_member(candidate, "id") : nullptr;
          if (id != nullptr && *id == rule_id) rule = &candidate;
        }
      }
      if (rule == nullptr || !rule->is_object()) return "warning";
      auto configuration = rule->find("defaultConfiguration");
      if (configuration == rule->end() || !configuration->is_object()) return "warning";
      const std::string* level = string_member(*configuration, "level");
      return level != nullptr ? *level : "warning";
    };
    if (!results->is_array()) return invalid(path, at + "/results", "expected an array");
    for (size_t i = 0; i < results->size(); ++i) {
      std::string where = at + "/results/" + std::to_string(i);
      const Json& result = (*results)[i];
      if (!result.is_object()) return invalid(path, where, "expected an object");
      auto partial = result.find("partialFingerprints");
      if (partial != result.end() && !partial->is_object()) {
        return invalid(path, where + "/partialFingerprints", "expected an object");
      }
      const std::string* fingerprint = partial == result.end() ? nullptr : string_member(*partial, key.c_str());
      if (fingerprint == nullptr) {
        ++baseline.skipped;  // another tool's result, or one without uprank's key
        continue;
      }
      if (!is_fingerprint(*fingerprint)) {
        return invalid(path, where + "/partialFingerprints/" + key.substr(0, key.find('/')) + "~1v1",
                       "expected 32 hexadecimal digits");
      }
      BaselineFinding entry;
      entry.fingerprint = *fingerprint;
      const std::string* rule = string_member(result, "ruleId");
      if (rule == nullptr) return invalid(path, where + "/ruleId", "expected a string");
      entry.rule = *rule;
      entry.sarif_level = default_level(result, *rule);
      if (entry.sarif_level != "error" && entry.sarif_level != "warning" && entry.sarif_level != "note" &&
          entry.sarif_level != "none") {
        return invalid(path, where + "/ruleId", "its rule's defaultConfiguration.level is not error, warning, note or none");
      }
      if (result.contains("level")) {
        const std::string* level = string_member(result, "level");
        if (level == nullptr || (*level != "error" && *level != "warning" && *level != "note" && *level != "none")) {
          return invalid(path, where + "/level", "expected error, warning, note or none");
        }
        entry.sarif_level = *level;
      }
      auto properties = result.find("properties");
      if (properties != result.end() && properties->is_object()) {
        if (const std::string* urgency_text = string_member(*properties, "urgency")) {
          compiler::Level urgency;
          if (!compiler::parse_level(*urgency_text, urgency)) {
            return invalid(path, where + "/properties/urgency", "expected critical, high, medium, low or info");
          }
          entry.urgency = urgency;
        }
      }
      auto message = result.find("message");
      if (message != result.end() && message->is_object()) {
        if (const std::string* text = string_member(*message, "text")) entry.message = *text;
      }
      auto locations = result.find("locations");
      if (locations != result.end() && locations->is_array() && !locations->empty()) {
        const Json& physical = (*locations)[0].value("physicalLocation", Json::object());
        if (physical.is_object()) {
          const Json& artifact = physical.value("artifactLocation", Json::object());
          if (artifact.is_object()) {
            if (const std::string* uri = string_member(artifact, "uri")) entry.location.file = percent_decoded(*uri);
          }
          const Json& region = physical.value("region", Json::object());
          if (region.is_object() && region.contains("startLine") && region["startLine"].is_number_integer()) {
            entry.location.line = region["startLine"].get<int>();
          }
          if (region.is_object() && region.contains("startColumn") && region["startColumn"].is_number_integer()) {
            entry.location.column = region["startColumn"].get<int>();
          }
        }
      }
      baseline.findings.push_back(std::move(entry));
    }
  }
  if (baseline.findings.empty() && baseline.skipped > 0) {
    return invalid(path, "/runs", std::to_string(baseline.skipped) + " results and none with partialFingerprints \"" + key +
                                      "\": not a SARIF log uprank wrote");
  }
  return baseline;
}

}  // namespace

Result<Baseline> parse_baseline(std::string_view text, const std::string& path) {
  if (text.size() > kMaxBytes) return invalid(path, "", "larger than 256 MiB");
  bool too_deep = false;
  // nlohmann's parser keeps its own stack; the callback stops the tree from growing
  // past the depth limit.
  Json::parser_callback_t limit = [&too_deep](int depth, Json::parse_event_t, Json&) {
    if (depth > kMaxDepth) too_deep = true;
    return !too_deep;
  };
  Json root = Json::parse(text.begin(), text.end(), limit, /*allow_exceptions=*/false);
  if (too_deep) return invalid(path, "", "nested deeper than 64 levels");
  if (root.is_discarded()) {
    // Parse again for the position of the error only.
    try {
      Json reparsed = Json::parse(text.begin(), text.end());
      (void)reparsed;
    } catch (const Json::parse_error& error) {
      return invalid(path, "", "not JSON: byte " + std::to_string(error.byte) + ": " + error.what());
    } catch (...) {
    }
    return invalid(path, "", "not JSON");
  }
  if (!root.is_object()) return invalid(path, "", "expected an object (a uprank JSON report or a SARIF log)");
  if (root.contains("runs")) return read_sarif(root, path);
  if (root.contains("schema_version")) return read_report(root, path);
  return invalid(path, "", "neither a uprank JSON report (schema_version) nor a SARIF log (runs)");
}

Result<Baseline> load_baseline(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return make_error("uprank.baseline.unreadable",
                      path + ": is a directory; --baseline takes a file (a JSON report or SARIF log uprank wrote)");
  }
  if (!std::filesystem::exists(path, error)) {
    return make_error("uprank.baseline.unreadable", path + ": no such file; write one first with --write-baseline");
  }
  auto text = files::read_regular_file(path, kMaxBytes);
  if (!text.ok()) return make_error("uprank.baseline.unreadable", path + ": cannot read the baseline: " + text.error().message);
  return parse_baseline(*text, path);
}

}  // namespace uprank::baseline
