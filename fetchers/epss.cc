#include "fetchers/epss.h"

#include <charconv>
#include <cmath>
#include <system_error>

#include "fetchers/json_input.h"

namespace uprank::fetch {
namespace {

using nlohmann::json;

std::optional<double> parse_probability(std::string_view text) {
  while (!text.empty() && (text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value) || value < 0 || value > 1) {
    return std::nullopt;
  }
  return value;
}

facts::Evidence evidence_for(const std::string& cve, const RawResponse& response) {
  return {"epss", cve, "https://api.first.org/data/v1/epss?cve=" + cve, response.fetched_at};
}

}  // namespace

bool valid_cve_id(std::string_view text) {
  if (text.size() < 13 || text.size() > 32 || text.substr(0, 4) != "CVE-" || text[8] != '-') return false;
  for (size_t i = 4; i < text.size(); ++i) {
    if (i == 8) continue;
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

Result<std::map<std::string, facts::EpssScore>> parse_epss_api(const RawResponse& response) {
  const std::string where = response.url.empty() ? "epss/" + response.key : response.url;
  auto parsed = parse_json(response.body, where);
  if (!parsed) return parsed.error();
  const json* data = json_member(*parsed, "data");
  if (data == nullptr || !data->is_array()) {
    return make_error("uprank.fetch.bad_shape", where + ": EPSS response has no 'data' array");
  }
  std::map<std::string, facts::EpssScore> scores;
  for (const json& item : *data) {
    facts::EpssScore score;
    score.cve = json_string(item, "cve");
    if (!valid_cve_id(score.cve)) return make_error("uprank.fetch.bad_field", where + ": invalid cve '" + score.cve + "'");
    // The API writes decimals as strings; accept plain numbers as well.
    auto number = [&](const char* key) -> std::optional<double> {
      const json* value = json_member(item, key);
      if (value == nullptr) return std::nullopt;
      if (value->is_number()) return parse_probability(std::to_string(value->get<double>()));
      if (value->is_string()) return parse_probability(value->get_ref<const std::string&>());
      return std::nullopt;
    };
    auto epss = number("epss");
    auto percentile = number("percentile");
    if (!epss || !percentile) {
      return make_error("uprank.fetch.bad_field", where + " (" + score.cve + "): epss and percentile must be in [0, 1]");
    }
    score.score = *epss;
    score.percentile = *percentile;
    if (auto date = Date::parse(json_string(item, "date"))) score.date = *date;
    score.evidence = evidence_for(score.cve, response);
    scores[score.cve] = std::move(score);
  }
  return scores;
}

Result<std::map<std::string, facts::EpssScore>> parse_epss_csv(const RawResponse& response) {
  const std::string where = response.url.empty() ? "epss/" + response.key : response.url;
  std::string_view text = response.body;
  std::map<std::string, facts::EpssScore> scores;
  std::string model_version;
  std::optional<Date> score_date;
  bool header_seen = false;
  size_t line_number = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const std::string at = where + ":" + std::to_string(line_number);
    if (line.front() == '#') {  // "#model_version:v2023.03.01,score_date:2025-02-20T00:00:00+0000"
      for (std::string_view rest = line.substr(1); !rest.empty();) {
        size_t comma = rest.find(',');
        std::string_view field = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        if (field.substr(0, 14) == "model_version:") model_version = std::string(field.substr(14));
        if (field.substr(0, 11) == "score_date:") score_date = Date::parse(field.substr(11, 10));
      }
      continue;
    }
    if (!header_seen) {
      if (line != "cve,epss,percentile") {
        return make_error("uprank.fetch.bad_shape", at + ": expected the header 'cve,epss,percentile'");
      }
      header_seen = true;
      continue;
    }
    size_t first = line.find(',');
    size_t second = first == std::string_view::npos ? first : line.find(',', first + 1);
    if (second == std::string_view::npos) return make_error("uprank.fetch.bad_shape", at + ": expected 3 fields");
    facts::EpssScore score;
    score.cve = std::string(line.substr(0, first));
    auto epss = parse_probability(line.substr(first + 1, second - first - 1));
    auto percentile = parse_probability(line.substr(second + 1));
    if (!valid_cve_id(score.cve) || !epss || !percentile) {
      return make_error("uprank.fetch.bad_field", at + ": invalid row '" + std::string(line.substr(0, 80)) + "'");
    }
    score.score = *epss;
    score.percentile = *percentile;
    score.date = score_date;
    score.model_version = model_version;
    score.evidence = evidence_for(score.cve, response);
    scores[score.cve] = std::move(score);
  }
  if (!header_seen) return make_error("uprank.fetch.bad_shape", where + ": empty EPSS CSV");
  return scores;
}

std::vector<std::string> epss_batches(const std::vector<std::string>& cves, size_t max_chars) {
  std::vector<std::string> batches;
  std::string current;
  for (const std::string& cve : cves) {
    if (!current.empty() && current.size() + 1 + cve.size() > max_chars) {
      batches.push_back(std::move(current));
      current.clear();
    }
    if (!current.empty()) current += ',';
    current += cve;
  }
  if (!current.empty()) batches.push_back(std::move(current));
  return batches;
}

}  // namespace uprank::fetch
