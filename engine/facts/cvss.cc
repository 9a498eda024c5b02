#include "engine/facts/cvss.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>

namespace uprank::facts {
namespace {

// Roundup as defined in CVSS v3.1 Appendix A: exact on decimal inputs.
double round_up(double value) {
  auto scaled = static_cast<int64_t>(std::llround(value * 100000.0));
  if (scaled % 10000 == 0) return static_cast<double>(scaled) / 100000.0;
  return (std::floor(static_cast<double>(scaled) / 10000.0) + 1.0) / 10.0;
}

}  // namespace

std::optional<double> cvss3_base_score(std::string_view vector) {
  if (vector.substr(0, 9) != "CVSS:3.1/" && vector.substr(0, 9) != "CVSS:3.0/") return std::nullopt;
  std::map<std::string, std::string> metrics;
  size_t start = 9;
  while (start <= vector.size()) {
    size_t end = vector.find('/', start);
    if (end == std::string_view::npos) end = vector.size();
    std::string_view part = vector.substr(start, end - start);
    size_t colon = part.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == part.size()) return std::nullopt;
    std::string name(part.substr(0, colon));
    if (metrics.count(name) != 0) return std::nullopt;  // a repeated metric is invalid
    metrics[name] = std::string(part.substr(colon + 1));
    start = end + 1;
  }
  auto pick = [&](const char* name, std::initializer_list<std::pair<const char*, double>> values) -> std::optional<double> {
    auto it = metrics.find(name);
    if (it == metrics.end()) return std::nullopt;
    for (const auto& [key, weight] : values) {
      if (it->second == key) return weight;
    }
    return std::nullopt;
  };
  auto scope = metrics.find("S");
  if (scope == metrics.end() || (scope->second != "U" && scope->second != "C")) return std::nullopt;
  const bool changed = scope->second == "C";
  auto attack_vector = pick("AV", {{"N", 0.85}, {"A", 0.62}, {"L", 0.55}, {"P", 0.2}});
  auto complexity = pick("AC", {{"L", 0.77}, {"H", 0.44}});
  auto privileges = pick("PR", {{"N", 0.85}, {"L", changed ? 0.68 : 0.62}, {"H", changed ? 0.5 : 0.27}});
  auto interaction = pick("UI", {{"N", 0.85}, {"R", 0.62}});
  auto confidentiality = pick("C", {{"H", 0.56}, {"L", 0.22}, {"N", 0.0}});
  auto integrity = pick("I", {{"H", 0.56}, {"L", 0.22}, {"N", 0.0}});
  auto availability = pick("A", {{"H", 0.56}, {"L", 0.22}, {"N", 0.0}});
  if (!attack_vector || !complexity || !privileges || !interaction || !confidentiality || !integrity ||
      !availability) {
    return std::nullopt;
  }
  double iss = 1.0 - (1.0 - *confidentiality) * (1.0 - *integrity) * (1.0 - *availability);
  double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  double exploitability = 8.22 * *attack_vector * *complexity * *privileges * *interaction;
  if (impact <= 0) return 0.0;
  double base = changed ? std::min(1.08 * (impact + exploitability), 10.0) : std::min(impact + exploitability, 10.0);
  return round_up(base);
}

}  // namespace uprank::facts
