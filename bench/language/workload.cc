// Deterministic generators for the rule-language benchmarks (see workload.h).
#include "bench/language/workload.h"

#include <sys/resource.h>

#include <algorithm>
#include <string>
#include <vector>

namespace uprank::bench {
namespace {

std::string product(size_t index) { return "p" + std::to_string(index % kProducts); }

// Spreads rule k over the products, so pinned rules do not all hit the same few.
std::string pinned_product(size_t k) { return product(k * 7919); }

Date date(const char* text) { return *Date::parse(text); }

void append_rule(std::string& out, size_t k, bool with_advisory_rules) {
  const std::string name = "r" + std::to_string(k);
  const std::string pinned = "c.product == \"" + pinned_product(k) + "\"";
  size_t kind = k % 10;
  if (kind == 7 && !with_advisory_rules) kind = 0;
  out += "rule " + name + " {\n";
  switch (kind) {
    case 0:
      out += "  title   \"Old release line\"\n";
      out += "  for c in components where " + pinned + " and c.version < \"" + std::to_string(2 + k % 4) + ".5\"\n";
      out += "  urgency medium\n  score   20 + c.version.major\n  reason  version_lag\n";
      out += "  message \"{c.name} runs {c.version}, older than the supported line\"\n";
      break;
    case 1:
      out += "  for c in components where " + pinned + "\n";
      out += "  when    c.version.major < 4 and c.exposure == \"internet\"\n";
      out += "  urgency high\n  score   40\n  reason  policy\n  message \"{c.name} faces the internet on {c.version}\"\n";
      break;
    case 2:
      out += "  title   \"Past vendor end of support\"\n";
      out += "  for c in components where " + pinned + " and c.eol.ended\n";
      out += "  urgency if exposed(c) then critical else high\n";
      out += "  score   60 + clamp(days(today - c.eol.ends) / 30, 0, 30)\n  reason  end_of_support\n";
      out += "  message \"{c.product} {c.eol.cycle} left vendor support on {c.eol.ends}\"\n  target  c.eol.latest\n";
      break;
    case 3:
      out += "  for c in components where " + pinned + " and not c.eol.ended and c.eol.ends <= today + warn_window\n";
      out += "  urgency medium\n  score   30\n  reason  end_of_support\n";
      out += "  message \"{c.product} {c.eol.cycle} leaves support in {days(c.eol.ends - today)} days\"\n";
      break;
    case 4:
      out += "  for c in components where " + pinned + " and c.name ~ /^svc-[0-9]*" + std::to_string(k % 10) +
             "-a$/\n";
      out += "  urgency low\n  score   5\n  reason  policy\n  message \"{c.name} matches the naming policy\"\n";
      break;
    case 5:
      out += "  for c in components where " + pinned + " and c.version in \">=2.0, <3.0\"\n";
      out += "  urgency low\n  score   10\n  reason  compatibility\n  message \"{c.name} {c.version} is in the 2.x line\"\n";
      break;
    case 6: {
      const std::string join = std::to_string(k % kJoinProducts);
      out += "  title   \"kubelet outside the supported skew\"\n";
      out += "  for node in components(\"kubelet-" + join + "\"), api in components(\"apiserver-" + join + "\")\n";
      out += "    where node.cluster == api.cluster\n";
      out += "  when    node.version > api.version or api.version.minor - node.version.minor > 2\n";
      out += "  urgency high\n  score   50\n  reason  compatibility\n";
      out += "  message \"kubelet {node.version} is outside the skew of apiserver {api.version}\"\n";
      break;
    }
    case 7:
      out += "  for c in components where " + pinned + " and any(a in c.advisories where a.cvss >= 7)\n";
      out += "  urgency high\n  score   count(a in c.advisories where a.cvss >= 7) * 10\n  reason  security\n";
      out += "  message \"{c.name} {c.version} has {count(a in c.advisories where a.cvss >= 7)} serious advisories\"\n";
      break;
    case 8:
      out += "  for c in components where " + pinned + " and \"pci\" in c.tags\n";
      out += "  urgency if exposed(c) then high else low\n  score   15\n  reason  policy\n";
      out += "  message \"{c.name} is in PCI scope\"\n";
      break;
    default:
      out += "  for c in components where " + pinned + " and c.environment == \"production\" and c.version.major >= 5\n";
      out += "  urgency info\n  score   1\n  reason  version_lag\n";
      out += "  message \"{c.name} ({c.environment}, {c.cluster}, {c.owner}) runs {c.product} {c.version}\"\n";
      break;
  }
  out += "}\n\n";
}

void append_fleet_rules(std::string& out, bool with_advisory_rules) {
  out += R"(rule past_end_of_life {
  for c in components where c.eol.ended
  urgency if exposed(c) then critical else high
  score   60 + clamp(days(today - c.eol.ends) / 30, 0, 30)
  reason  end_of_support
  message "{c.product} {c.eol.cycle} left vendor support on {c.eol.ends}"
  target  c.eol.latest
}

rule support_ends_soon {
  for c in components where not c.eol.ended and c.eol.ends <= today + warn_window
  urgency medium
  score   30
  reason  end_of_support
  message "{c.product} {c.eol.cycle} leaves vendor support on {c.eol.ends}"
}

)";
  if (with_advisory_rules) {
    out += R"(rule exploited_advisory {
  for c in components where any(a in c.advisories where a.exploited)
  urgency critical
  score   90
  reason  exploited
  message "{c.name} {c.version} has a known exploited vulnerability"
}

)";
  }
}

}  // namespace

const char* const kAdvisoryProbeRule = R"(rule probe {
  for c in components where any(a in c.advisories where a.cvss >= 7 and a.exploited)
  urgency high
  reason  security
  message "{c.name}"
}
)";

std::vector<std::string> generate_rule_pack(const RulePackOptions& options) {
  std::vector<std::string> files;
  size_t per_file = options.rules_per_file == 0 ? options.rules : options.rules_per_file;
  for (size_t first = 0; first < options.rules || files.empty(); first += per_file) {
    std::string text = "package bench.rules\n\n";
    if (files.empty()) {
      text += "param warn_window = 120d\n\ndef exposed(c) = c.exposure == \"internet\"\n\n";
      append_fleet_rules(text, options.with_advisory_rules);
    }
    for (size_t k = first; k < std::min(options.rules, first + per_file); ++k) {
      append_rule(text, k, options.with_advisory_rules);
    }
    files.push_back(std::move(text));
    if (per_file == 0) break;
  }
  return files;
}

inventory::Inventory generate_inventory(size_t count) {
  inventory::Inventory fleet;
  fleet.components.reserve(count + 2 * kJoinProducts * kComponentsPerJoinProduct);
  static const char* const environments[] = {"production", "staging", "development"};
  for (size_t i = 0; i < count; ++i) {
    inventory::Component component;
    component.name = "svc-" + std::to_string(i) + (i % 2 == 0 ? "-a" : "-b");
    if (i % 100 != 99) component.product = product(i);
    component.version_text =
        std::to_string(1 + (i * 7) % 6) + "." + std::to_string(i % 10) + "." + std::to_string(i % 7);
    // Packages of one ecosystem, as an SBOM gives them, so that advisories meet them by
    // identity (ecosystem and name) the way OSV records do.
    component.kind = "package";
    component.identity.ecosystem = "crates.io";
    component.identity.name = product(i);
    component.identity.label = component.name;
    component.scheme = versions::Scheme::kSemver;
    auto version = versions::Version::parse(component.scheme, component.version_text);
    if (version.ok()) component.version = std::move(version.value());
    component.environment = environments[i % 3];
    component.exposure = i % 10 == 0 ? "internet" : "internal";
    component.criticality = i % 4 == 0 ? "high" : "medium";
    component.owner = "team-" + std::to_string(i % 50);
    component.cluster = "cl-" + std::to_string(i % 200);
    if (i % 20 == 0) component.tags.push_back("pci");
    fleet.components.push_back(std::move(component));
  }
  for (size_t join = 0; join < kJoinProducts; ++join) {
    for (size_t i = 0; i < 2 * kComponentsPerJoinProduct; ++i) {
      bool kubelet = i < kComponentsPerJoinProduct;
      inventory::Component component;
      component.product = (kubelet ? "kubelet-" : "apiserver-") + std::to_string(join);
      component.name = component.product + "-" + std::to_string(i);
      component.version_text = "1." + std::to_string(kubelet ? 25 + i % 5 : 26 + i % 4) + ".0";
      component.scheme = versions::Scheme::kGeneric;
      auto version = versions::Version::parse(component.scheme, component.version_text);
      if (version.ok()) component.version = std::move(version.value());
      component.cluster = "cl-" + std::to_string(i % 10);
      fleet.components.push_back(std::move(component));
    }
  }
  return fleet;
}

facts::FactSet generate_facts(size_t advisories) {
  facts::FactSet facts;
  // Cycles 1 and 2 have ended by the benchmark's today (2025-06-01), 3 ends within the
  // warning window, 4 later, 5 has no announced end; major version 6 has no EOL data.
  static const char* const ends[] = {"2022-01-01", "2024-06-01", "2025-08-01", "2027-01-01", nullptr};
  for (size_t p = 0; p < kProducts; ++p) {
    facts::EolProduct eol;
    eol.name = product(p);
    for (int cycle = 5; cycle >= 1; --cycle) {
      facts::EolCycle item;
      item.product = eol.name;
      item.cycle = std::to_string(cycle);
      item.released = date("2020-01-01");
      if (ends[cycle - 1] != nullptr) item.security_ends = date(ends[cycle - 1]);
      item.latest = std::to_string(cycle) + ".9.9";
      item.evidence = {"endoflife", eol.name + "/" + item.cycle, "", "2025-05-31T00:00:00Z"};
      eol.cycles.push_back(std::move(item));
    }
    // Every release x.y.z of majors 1-6 (600 per product), for the target solver.
    facts::ProductReleases& released = facts.released[eol.name];
    released.product = eol.name;
    for (int major = 6; major >= 1; --major) {
      for (int minor = 9; minor >= 0; --minor) {
        for (int patch = 9; patch >= 0; --patch) {
          released.versions.push_back(facts::ProductRelease{
              std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch), date("2020-01-01")});
        }
      }
    }
    facts.products.emplace(eol.name, std::move(eol));
  }
  for (size_t j = 0; j < advisories; ++j) {
    facts::Advisory advisory;
    advisory.id = "BENCH-" + std::to_string(j);
    const std::string cve = "CVE-2024-" + std::to_string(100000 + j);
    advisory.aliases.push_back(cve);
    advisory.summary = "generated advisory " + std::to_string(j);
    advisory.cvss_score = 1.0 + static_cast<double>(j % 90) / 10.0;
    advisory.severity.emplace_back("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    facts::AffectedPackage package;
    package.ecosystem = "crates.io";
    package.name = product(j * 7);
    package.scheme = versions::Scheme::kSemver;
    facts::AffectedRange range;
    const std::string major = std::to_string(1 + j % 5);
    range.events = {{"introduced", major + ".0.0"}, {"fixed", major + "." + std::to_string(1 + (j / 5) % 9) + ".0"}};
    range.type = "SEMVER";
    auto parsed = versions::Range::from_osv_events(versions::Scheme::kSemver, range.events);
    if (parsed.ok()) range.range = std::move(parsed.value());
    package.ranges.push_back(std::move(range));
    advisory.affected.push_back(std::move(package));
    advisory.evidence = {"osv", advisory.id, "https://osv.dev/" + advisory.id, "2025-05-31T00:00:00Z"};
    if (j % 50 == 0) {
      facts::KevEntry kev;
      kev.cve = cve;
      kev.date_added = date("2025-01-15");
      kev.evidence = {"kev", cve, "", "2025-05-31T00:00:00Z"};
      facts.kev.emplace(cve, std::move(kev));
    }
    if (j % 5 == 0) {
      facts::EpssScore epss;
      epss.cve = cve;
      epss.score = static_cast<double>(j % 100) / 100.0;
      epss.percentile = epss.score;
      epss.evidence = {"epss", cve, "", "2025-05-31T00:00:00Z"};
      facts.epss.emplace(cve, std::move(epss));
    }
    facts.advisories.emplace(advisory.id, std::move(advisory));
  }
  return facts;
}

double peak_rss_mib() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

}  // namespace uprank::bench
