// Differential test of CVSS base scores against ae-cvss-calculator (npm, pinned in
// reference/package-lock.json, installed by scripts/install-cvss-reference as the ctest
// fixture cvss.reference). Per version: every vector found in the shared fixtures, every
// combination of base metric values, 10,000 seeded random valid vectors (with threat,
// temporal, environmental and supplemental metrics, in shuffled order) and mutations that
// both must reject. Every answer must agree, to the last bit of the score. A missing
// reference fails. The case count is in each test's name: CvssDifferential.v3_1_23000_cases.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/facts/cvss.h"
#include "tests/support/reference_process.h"

namespace uprank::facts {
namespace {

namespace fs = std::filesystem;

const fs::path kReferenceScript = fs::path(UPRANK_SOURCE_DIR) / "tests/engine/facts/reference/cvss_reference.js";
const fs::path kReferenceModules = fs::path(UPRANK_CVSS_REFERENCE_DIR) / "node_modules";

struct Metric {
  std::string name;
  std::vector<std::string> values;  // for a base metric, only the defined values
  bool base;
};

// The metrics of each version, written out here apart from engine/facts/cvss.cc so that a
// slip in one shows up as a disagreement.
struct VersionSpec {
  std::string name;    // "2.0", "3.0", "3.1", "4.0"
  std::string prefix;  // "" for v2
  std::vector<Metric> metrics;
  uint64_t seed;
};

std::vector<Metric> v3_metrics() {
  return {{"AV", {"N", "A", "L", "P"}, true}, {"AC", {"L", "H"}, true}, {"PR", {"N", "L", "H"}, true},
          {"UI", {"N", "R"}, true}, {"S", {"U", "C"}, true}, {"C", {"N", "L", "H"}, true},
          {"I", {"N", "L", "H"}, true}, {"A", {"N", "L", "H"}, true},
          {"E", {"X", "U", "P", "F", "H"}, false}, {"RL", {"X", "O", "T", "W", "U"}, false},
          {"RC", {"X", "U", "R", "C"}, false}, {"CR", {"X", "L", "M", "H"}, false},
          {"IR", {"X", "L", "M", "H"}, false}, {"AR", {"X", "L", "M", "H"}, false},
          {"MAV", {"X", "N", "A", "L", "P"}, false}, {"MAC", {"X", "L", "H"}, false},
          {"MPR", {"X", "N", "L", "H"}, false}, {"MUI", {"X", "N", "R"}, false}, {"MS", {"X", "U", "C"}, false},
          {"MC", {"X", "N", "L", "H"}, false}, {"MI", {"X", "N", "L", "H"}, false},
          {"MA", {"X", "N", "L", "H"}, false}};
}

std::vector<VersionSpec> versions() {
  return {
      {"2.0", "",
       {{"AV", {"L", "A", "N"}, true}, {"AC", {"H", "M", "L"}, true}, {"Au", {"M", "S", "N"}, true},
        {"C", {"N", "P", "C"}, true}, {"I", {"N", "P", "C"}, true}, {"A", {"N", "P", "C"}, true},
        {"E", {"U", "POC", "F", "H", "ND"}, false}, {"RL", {"OF", "TF", "W", "U", "ND"}, false},
        {"RC", {"UC", "UR", "C", "ND"}, false}, {"CDP", {"N", "L", "LM", "MH", "H", "ND"}, false},
        {"TD", {"N", "L", "M", "H", "ND"}, false}, {"CR", {"L", "M", "H", "ND"}, false},
        {"IR", {"L", "M", "H", "ND"}, false}, {"AR", {"L", "M", "H", "ND"}, false}},
       20},
      {"3.0", "CVSS:3.0/", v3_metrics(), 30},
      {"3.1", "CVSS:3.1/", v3_metrics(), 31},
      {"4.0", "CVSS:4.0/",
       {{"AV", {"N", "A", "L", "P"}, true}, {"AC", {"L", "H"}, true}, {"AT", {"N", "P"}, true},
        {"PR", {"N", "L", "H"}, true}, {"UI", {"N", "P", "A"}, true}, {"VC", {"H", "L", "N"}, true},
        {"VI", {"H", "L", "N"}, true}, {"VA", {"H", "L", "N"}, true}, {"SC", {"H", "L", "N"}, true},
        {"SI", {"H", "L", "N"}, true}, {"SA", {"H", "L", "N"}, true}, {"E", {"X", "A", "P", "U"}, false},
        {"CR", {"X", "H", "M", "L"}, false}, {"IR", {"X", "H", "M", "L"}, false},
        {"AR", {"X", "H", "M", "L"}, false}, {"MAV", {"X", "N", "A", "L", "P"}, false},
        {"MAC", {"X", "L", "H"}, false}, {"MAT", {"X", "N", "P"}, false}, {"MPR", {"X", "N", "L", "H"}, false},
        {"MUI", {"X", "N", "P", "A"}, false}, {"MVC", {"X", "H", "L", "N"}, false},
        {"MVI", {"X", "H", "L", "N"}, false}, {"MVA", {"X", "H", "L", "N"}, false},
        {"MSC", {"X", "H", "L", "N"}, false}, {"MSI", {"X", "S", "H", "L", "N"}, false},
        {"MSA", {"X", "S", "H", "L", "N"}, false}, {"S", {"X", "N", "P"}, false},
        {"AU", {"X", "N", "Y"}, false}, {"R", {"X", "A", "U", "I"}, false}, {"V", {"X", "D", "C"}, false},
        {"RE", {"X", "L", "M", "H"}, false}, {"U", {"X", "Clear", "Green", "Amber", "Red"}, false}},
       40},
  };
}

std::string join(const std::string& prefix, const std::vector<std::string>& parts) {
  std::string out = prefix;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
  return out;
}

// --- Case sources --------------------------------------------------------------------

// Returns every distinct CVSS vector in the shared fixtures: "CVSS:x.y/..." and v2
// vectors ("AV:N/AC:L/Au:N/...") that stand alone (not inside a longer vector).
std::set<std::string> fixture_vectors() {
  std::set<std::string> found;
  auto vector_char = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == ':' || c == '/'; };
  for (const auto& entry : fs::recursive_directory_iterator(UPRANK_SHARED_FIXTURES)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    for (size_t at = text.find("CVSS:"); at != std::string::npos; at = text.find("CVSS:", at + 1)) {
      size_t end = at + 5;
      while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.')) ++end;
      if (end == at + 5 || end >= text.size() || text[end] != '/') continue;
      while (end < text.size() && vector_char(text[end])) ++end;
      found.insert(text.substr(at, end - at));
    }
    for (size_t at = text.find("AV:"); at != std::string::npos; at = text.find("AV:", at + 1)) {
      if (at > 0 && vector_char(text[at - 1])) continue;
      size_t end = at;
      while (end < text.size() && vector_char(text[end])) ++end;
      std::string vector = text.substr(at, end - at);
      if (vector.find("/Au:") != std::string::npos) found.insert(vector);
    }
  }
  return found;
}

void all_base_vectors(const VersionSpec& spec, size_t metric, std::vector<std::string>& parts,
                      std::vector<std::string>& out) {
  if (metric == spec.metrics.size() || !spec.metrics[metric].base) {
    out.push_back(join(spec.prefix, parts));
    return;
  }
  for (const auto& value : spec.metrics[metric].values) {
    parts.push_back(spec.metrics[metric].name + ":" + value);
    all_base_vectors(spec, metric + 1, parts, out);
    parts.pop_back();
  }
}

// A random valid vector as parts: every base metric, each other metric with chance 1/3,
// in the specification's order or (one time in four) shuffled.
std::vector<std::string> random_parts(const VersionSpec& spec, std::mt19937_64& rng) {
  auto below = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  std::vector<std::string> parts;
  for (const auto& metric : spec.metrics) {
    if (!metric.base && below(3) != 0) continue;
    parts.push_back(metric.name + ":" + metric.values[below(metric.values.size())]);
  }
  if (below(4) == 0) std::shuffle(parts.begin(), parts.end(), rng);
  return parts;
}

// Returns a vector that breaks exactly one rule of the specification.
std::string invalid_vector(const VersionSpec& spec, std::mt19937_64& rng) {
  auto below = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  std::vector<std::string> parts = random_parts(spec, rng);
  const size_t pick = below(parts.size());
  const std::string name = parts[pick].substr(0, parts[pick].find(':'));
  auto is_base = [&](const std::string& metric) {
    return std::any_of(spec.metrics.begin(), spec.metrics.end(),
                       [&](const Metric& m) { return m.name == metric && m.base; });
  };
  switch (below(12)) {
    case 0: {  // a base metric missing
      std::vector<std::string> bases;
      for (const auto& p : parts) {
        if (is_base(p.substr(0, p.find(':')))) bases.push_back(p);
      }
      parts.erase(std::find(parts.begin(), parts.end(), bases[below(bases.size())]));
      return join(spec.prefix, parts);
    }
    case 1: parts.push_back(parts[pick]); return join(spec.prefix, parts);  // repeated, same value
    case 2: parts.insert(parts.begin(), name + ":Q"); return join(spec.prefix, parts);  // repeated, other value
    case 3: parts.insert(parts.begin() + static_cast<long>(below(parts.size() + 1)), std::string("ZZ:N")); break;
    case 4: parts[pick] = name + ":" + (below(2) ? "Q" : "n"); break;  // an undefined value
    case 5: {  // a base metric not defined
      for (auto& p : parts) {
        if (is_base(p.substr(0, p.find(':')))) {
          p = p.substr(0, p.find(':') + 1) + (spec.prefix.empty() ? "ND" : "X");
          break;
        }
      }
      break;
    }
    case 6: {  // a wrong or missing version prefix
      // Another version's prefix is wrong too: its metrics differ (v3.0 and v3.1 share theirs).
      const std::string other = spec.name == "4.0" ? "CVSS:3.1/" : spec.name == "2.0" ? "CVSS:4.0/" : "CVSS:4.0/";
      const std::string prefixes[] = {"CVSS:3.2/", "cvss:3.1/", "CVSS:3/", "CVSS:2.0/", "CVSS:4.1/", "CVSS:3.1", other};
      return join(prefixes[below(std::size(prefixes))], parts);
    }
    case 7: return join(spec.prefix, parts) + "/";
    case 8: parts[pick] += "/"; break;                      // an empty part
    case 9: parts[pick] = name + parts[pick].substr(name.size() + 1); break;  // no colon
    case 10: parts[pick] += ":N"; break;                     // two colons
    default:
      if (spec.name == "4.0") {  // Safety belongs to MSI/MSA, not to SC/SI/SA
        for (auto& p : parts) {
          if (p.starts_with("SC:") || p.starts_with("SI:") || p.starts_with("SA:")) {
            p = p.substr(0, 3) + "S";
            break;
          }
        }
      } else {
        parts[pick] = " " + parts[pick];
      }
      break;
  }
  return join(spec.prefix, parts);
}

struct Case {
  std::string vector;
  std::string kind;  // "fixture", "all-base", "random", "invalid"
};

std::vector<Case> cases_for(const VersionSpec& spec, const std::set<std::string>& fixtures) {
  std::vector<Case> cases;
  for (const auto& vector : fixtures) {
    bool mine = spec.prefix.empty() ? !vector.starts_with("CVSS:") : vector.starts_with(spec.prefix);
    if (mine) cases.push_back({vector, "fixture"});
  }
  std::vector<std::string> parts, every;
  all_base_vectors(spec, 0, parts, every);
  for (auto& vector : every) cases.push_back({std::move(vector), "all-base"});
  std::mt19937_64 rng(spec.seed);
  for (int i = 0; i < 10000; ++i) cases.push_back({join(spec.prefix, random_parts(spec, rng)), "random"});
  for (int i = 0; i < 2000; ++i) cases.push_back({invalid_vector(spec, rng), "invalid"});
  return cases;
}

// --- Running the reference --------------------------------------------------------------

std::vector<std::string> ask_reference(const std::vector<Case>& cases, std::string& failure) {
  std::vector<std::string> lines;
  for (const auto& c : cases) lines.push_back(c.vector);
  return testing_support::ask_reference(
      lines, "NODE_PATH=" + kReferenceModules.string() + " node " + kReferenceScript.string() + " {in} {out}", failure);
}

bool agrees(const Result<CvssScore>& mine, const std::string& reference) {
  if (reference == "invalid") return !mine.ok();
  return mine.ok() && mine->base == std::strtod(reference.c_str(), nullptr);
}

class CvssDifferentialTest : public testing::Test {
 public:
  CvssDifferentialTest(VersionSpec spec, std::vector<Case> cases) : spec_(std::move(spec)), cases_(std::move(cases)) {}

  void TestBody() override {
    ASSERT_TRUE(fs::exists(kReferenceModules / "ae-cvss-calculator/package.json"))
        << "the reference calculator is missing: run scripts/install-cvss-reference " << UPRANK_CVSS_REFERENCE_DIR
        << " (ctest runs it as the fixture cvss.reference)";
    ASSERT_EQ(std::system("command -v node >/dev/null 2>&1"), 0) << "node is missing: run scripts/bootstrap --test";
    std::string failure;
    auto reference = ask_reference(cases_, failure);
    ASSERT_TRUE(failure.empty()) << failure;
    ASSERT_EQ(reference.size(), cases_.size()) << "the reference answered " << reference.size() << " of "
                                               << cases_.size() << " vectors";
    std::map<std::string, std::pair<size_t, size_t>> by_kind;  // kind -> {cases, agree}
    size_t agree = 0, rejected = 0, shown = 0;
    for (size_t i = 0; i < cases_.size(); ++i) {
      auto mine = cvss_base_score(cases_[i].vector);
      bool same = agrees(mine, reference[i]);
      if (cases_[i].kind == "invalid" && reference[i] != "invalid") same = false;  // both must reject
      if (cases_[i].kind == "random" || cases_[i].kind == "all-base") {
        same = same && reference[i] != "invalid";  // both must accept
      }
      rejected += reference[i] == "invalid" && !mine.ok();
      auto& [count, agreed] = by_kind[cases_[i].kind];
      ++count;
      if (same) {
        ++agree, ++agreed;
      } else if (shown++ < 25) {
        ADD_FAILURE() << "cvss " << spec_.name << " " << cases_[i].kind << " '" << cases_[i].vector
                      << "': reference " << reference[i] << ", uprank "
                      << (mine.ok() ? std::to_string(mine->base) : mine.error().code);
      }
    }
    std::string kinds;
    for (const auto& [kind, counts] : by_kind) {
      kinds += (kinds.empty() ? "" : ", ") + std::to_string(counts.first) + " " + kind;
    }
    std::printf("cvss %s: %zu vectors (%s; %zu rejected by both), %zu agree, %.2f%% agreement\n", spec_.name.c_str(),
                cases_.size(), kinds.c_str(), rejected, agree,
                100.0 * static_cast<double>(agree) / static_cast<double>(cases_.size()));
    EXPECT_EQ(agree, cases_.size());
  }

 private:
  VersionSpec spec_;
  std::vector<Case> cases_;
};

// Registers one test per version, named with its case count.
const bool kRegistered = [] {
  const auto fixtures = fixture_vectors();
  for (auto& spec : versions()) {
    auto cases = cases_for(spec, fixtures);
    std::string name = "v" + spec.name.substr(0, 1) + "_" + spec.name.substr(2) + "_" + std::to_string(cases.size()) +
                       "_cases";
    testing::RegisterTest("CvssDifferential", name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                          [spec, cases]() -> testing::Test* { return new CvssDifferentialTest(spec, cases); });
  }
  return true;
}();

}  // namespace
}  // namespace uprank::facts
