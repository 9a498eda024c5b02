// CVSS v4.0 base scores (CVSS-B): MacroVector lookup and severity-distance interpolation,
// specification section 8.2, computed step by step as FIRST's cvss_score.js does.
#include <array>
#include <cmath>
#include <limits>
#include <string_view>
#include <vector>

#include "engine/facts/cvss_internal.h"

namespace uprank::facts::internal {
namespace {

struct MacroVectorScoreRow {
  std::string_view macrovector;  // six digits: EQ1 EQ2 EQ3 EQ4 EQ5 EQ6
  double score;
};
struct HighestSeverityRow {
  std::string_view eq;     // "eq1", "eq2", "eq3eq6", "eq4", "eq5"
  std::string_view level;  // "0", or "00".."21" for the joint EQ3+EQ6
  std::string_view vector;  // a partial vector, e.g. "AV:N/PR:N/UI:N"
};
struct DepthRow {
  std::string_view eq;
  std::string_view level;
  int depth;  // the MacroVector's depth in severity steps, +1
};

#include "engine/facts/cvss4_tables.inc"

// Severity levels of the metrics the distance is measured on; 0 is the most severe.
enum Metric { kAV, kPR, kUI, kAC, kAT, kVC, kVI, kVA, kSC, kSI, kSA, kCR, kIR, kAR, kMetricCount };
using Levels = std::array<int, kMetricCount>;

constexpr int kSlots = 3 * 2 * 3 * 3 * 3 * 2;

int slot(int eq1, int eq2, int eq3, int eq4, int eq5, int eq6) {
  return ((((eq1 * 2 + eq2) * 3 + eq3) * 3 + eq4) * 3 + eq5) * 2 + eq6;
}

struct Tables {
  std::array<double, kSlots> score;  // NaN where the MacroVector does not exist
  // Highest-severity partial vectors: [eq1 level], [eq2], [eq3 * 2 + eq6], [eq4]; a
  // partial vector leaves the metrics it does not name at -1.
  std::array<std::vector<Levels>, 3> eq1, eq4;
  std::array<std::vector<Levels>, 2> eq2;
  std::array<std::vector<Levels>, 6> eq3eq6;
  std::array<int, 3> depth_eq1{}, depth_eq4{};
  std::array<int, 2> depth_eq2{};
  std::array<int, 6> depth_eq3eq6{};
};

// Returns the level of `value` for `metric` as cvss_score.js orders them (SC/SI/SA put
// the environmental "S" at 0, so their H is 1).
int level_of(std::string_view metric, std::string_view value) {
  auto index = [&](std::initializer_list<std::string_view> order) {
    int i = 0;
    for (auto v : order) {
      if (v == value) return i;
      ++i;
    }
    return -1;
  };
  if (metric == "AV") return index({"N", "A", "L", "P"});
  if (metric == "PR") return index({"N", "L", "H"});
  if (metric == "UI") return index({"N", "P", "A"});
  if (metric == "AC") return index({"L", "H"});
  if (metric == "AT") return index({"N", "P"});
  if (metric == "VC" || metric == "VI" || metric == "VA") return index({"H", "L", "N"});
  if (metric == "SC" || metric == "SI" || metric == "SA") return index({"S", "H", "L", "N"});
  return index({"H", "M", "L"});  // CR, IR, AR
}

int metric_index(std::string_view metric) {
  static constexpr std::array<std::string_view, kMetricCount> kNames = {
      "AV", "PR", "UI", "AC", "AT", "VC", "VI", "VA", "SC", "SI", "SA", "CR", "IR", "AR"};
  for (int i = 0; i < kMetricCount; ++i) {
    if (kNames[i] == metric) return i;
  }
  return -1;  // E: the threat metric takes no part in the distance
}

Levels parse_partial(std::string_view vector) {
  Levels levels;
  levels.fill(-1);
  while (!vector.empty()) {
    size_t end = vector.find('/');
    std::string_view part = vector.substr(0, end);
    vector = end == std::string_view::npos ? std::string_view() : vector.substr(end + 1);
    size_t colon = part.find(':');
    int metric = metric_index(part.substr(0, colon));
    if (metric >= 0) levels[metric] = level_of(part.substr(0, colon), part.substr(colon + 1));
  }
  return levels;
}

int level_slot(std::string_view eq, std::string_view level) {
  if (eq == "eq3eq6") return (level[0] - '0') * 2 + (level[1] - '0');
  return level[0] - '0';
}

Tables build_tables() {
  Tables t;
  t.score.fill(std::numeric_limits<double>::quiet_NaN());
  for (const auto& row : kMacroVectorScores) {
    const auto& m = row.macrovector;
    t.score[slot(m[0] - '0', m[1] - '0', m[2] - '0', m[3] - '0', m[4] - '0', m[5] - '0')] = row.score;
  }
  for (const auto& row : kHighestSeverityVectors) {
    int at = level_slot(row.eq, row.level);
    Levels levels = parse_partial(row.vector);
    if (row.eq == "eq1") t.eq1[at].push_back(levels);
    if (row.eq == "eq2") t.eq2[at].push_back(levels);
    if (row.eq == "eq3eq6") t.eq3eq6[at].push_back(levels);
    if (row.eq == "eq4") t.eq4[at].push_back(levels);
  }
  for (const auto& row : kMaxSeverityDepths) {
    int at = level_slot(row.eq, row.level);
    if (row.eq == "eq1") t.depth_eq1[at] = row.depth;
    if (row.eq == "eq2") t.depth_eq2[at] = row.depth;
    if (row.eq == "eq3eq6") t.depth_eq3eq6[at] = row.depth;
    if (row.eq == "eq4") t.depth_eq4[at] = row.depth;
  }
  return t;
}

const Tables& tables() {
  static const Tables kTables = build_tables();
  return kTables;
}

// Returns the score of a MacroVector, NaN when it does not exist (a level past the last).
double lookup(const Tables& t, int eq1, int eq2, int eq3, int eq4, int eq5, int eq6) {
  if (eq1 > 2 || eq2 > 1 || eq3 > 2 || eq4 > 2 || eq5 > 2 || eq6 > 1) return std::numeric_limits<double>::quiet_NaN();
  return t.score[slot(eq1, eq2, eq3, eq4, eq5, eq6)];
}

// Rounds half up to one decimal; the 1e-6 nudge is the reference calculator's, so that
// 4.25 - 0.0000000000000004 still rounds to 4.3.
double round_to_tenth(double value) { return std::floor((value + 1e-6) * 10.0 + 0.5) / 10.0; }

}  // namespace

double cvss4_base_score(const Cvss4Base& base) {
  constexpr int kHigh = 0, kNone = 2;
  if (base.vc == kNone && base.vi == kNone && base.va == kNone && base.sc == kNone && base.si == kNone &&
      base.sa == kNone) {
    return 0.0;
  }
  // Threat and environmental metrics at "X": E:A, CR/IR/AR:H, no modified metrics.
  Levels current = {base.av, base.pr, base.ui, base.ac, base.at, base.vc, base.vi, base.va,
                    base.sc + 1, base.si + 1, base.sa + 1, 0, 0, 0};
  const bool any_high = base.vc == kHigh || base.vi == kHigh || base.va == kHigh;
  const int eq1 = (base.av == 0 && base.pr == 0 && base.ui == 0)                ? 0
                  : ((base.av == 0 || base.pr == 0 || base.ui == 0) && base.av != 3) ? 1
                                                                                    : 2;
  const int eq2 = (base.ac == 0 && base.at == 0) ? 0 : 1;
  const int eq3 = (base.vc == kHigh && base.vi == kHigh) ? 0 : any_high ? 1 : 2;
  const int eq4 = (base.sc == kHigh || base.si == kHigh || base.sa == kHigh) ? 1 : 2;  // MSI/MSA:S only
  const int eq5 = 0;
  const int eq6 = any_high ? 0 : 1;  // (CR:H and VC:H) or (IR:H and VI:H) or (AR:H and VA:H)

  const Tables& t = tables();
  double value = lookup(t, eq1, eq2, eq3, eq4, eq5, eq6);

  // 1a. The score of the next lower MacroVector along each EQ (NaN when there is none).
  const double lower_eq1 = lookup(t, eq1 + 1, eq2, eq3, eq4, eq5, eq6);
  const double lower_eq2 = lookup(t, eq1, eq2 + 1, eq3, eq4, eq5, eq6);
  double lower_eq3eq6;
  if (eq3 == 0 && eq6 == 0) {  // two ways down: take the higher
    double left = lookup(t, eq1, eq2, eq3, eq4, eq5, eq6 + 1);
    double right = lookup(t, eq1, eq2, eq3 + 1, eq4, eq5, eq6);
    lower_eq3eq6 = left > right ? left : right;
  } else if (eq3 == 1 && eq6 == 0) {
    lower_eq3eq6 = lookup(t, eq1, eq2, eq3, eq4, eq5, eq6 + 1);
  } else if (eq6 == 1 && eq3 < 2) {
    lower_eq3eq6 = lookup(t, eq1, eq2, eq3 + 1, eq4, eq5, eq6);
  } else {
    lower_eq3eq6 = lookup(t, eq1, eq2, eq3 + 1, eq4, eq5, eq6 + 1);
  }
  const double lower_eq4 = lookup(t, eq1, eq2, eq3, eq4 + 1, eq5, eq6);
  const double lower_eq5 = lookup(t, eq1, eq2, eq3, eq4, eq5 + 1, eq6);

  // 1b. The severity distance from the first highest-severity vector of the MacroVector
  // that the vector does not exceed on any metric (the last one tried when none fits).
  Levels distance{};
  const int joint = eq3 * 2 + eq6;
  bool found = false;
  for (const Levels& max1 : t.eq1[eq1]) {
    for (const Levels& max2 : t.eq2[eq2]) {
      for (const Levels& max36 : t.eq3eq6[joint]) {
        for (const Levels& max4 : t.eq4[eq4]) {
          bool fits = true;
          for (int m = 0; m < kMetricCount; ++m) {
            int highest = max1[m] >= 0 ? max1[m] : max2[m] >= 0 ? max2[m] : max36[m] >= 0 ? max36[m] : max4[m];
            distance[m] = current[m] - highest;
            fits = fits && distance[m] >= 0;
          }
          if (fits) {
            found = true;
            break;
          }
        }
        if (found) break;
      }
      if (found) break;
    }
    if (found) break;
  }
  const int distance_eq1 = distance[kAV] + distance[kPR] + distance[kUI];
  const int distance_eq2 = distance[kAC] + distance[kAT];
  const int distance_eq3eq6 =
      distance[kVC] + distance[kVI] + distance[kVA] + distance[kCR] + distance[kIR] + distance[kAR];
  const int distance_eq4 = distance[kSC] + distance[kSI] + distance[kSA];

  // 1c-d, 2. Each EQ with a lower MacroVector contributes its available score drop times
  // the proportion of its depth the vector is down; the mean of those is subtracted.
  int existing_lower = 0;
  double total = 0.0;
  auto add = [&](double lower, int distance_steps, int depth) {
    double available = value - lower;
    if (std::isnan(available)) return;
    ++existing_lower;
    total += available * (static_cast<double>(distance_steps) / static_cast<double>(depth));
  };
  add(lower_eq1, distance_eq1, t.depth_eq1[eq1]);
  add(lower_eq2, distance_eq2, t.depth_eq2[eq2]);
  add(lower_eq3eq6, distance_eq3eq6, t.depth_eq3eq6[joint]);
  add(lower_eq4, distance_eq4, t.depth_eq4[eq4]);
  add(lower_eq5, 0, 1);  // EQ5 (E) is always at its highest severity: distance 0
  if (existing_lower > 0) value -= total / existing_lower;

  // 3. Clamp and round to one decimal.
  if (value < 0.0) value = 0.0;
  if (value > 10.0) value = 10.0;
  return round_to_tenth(value);
}

}  // namespace uprank::facts::internal
