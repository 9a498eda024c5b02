// Finding fingerprints: what makes two findings on two revisions of a repository "the
// same finding", for baselines, SARIF partialFingerprints and GitLab Code Quality.
#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "engine/report/report.h"

namespace uprank::report {
namespace {

// FNV-1a, 64 bits (http://www.isthe.com/chongo/tech/comp/fnv/): small, specified and the
// same on every platform, which is all a fingerprint needs; it is not a security boundary.
class Fnv1a64 {
 public:
  // Adds `field` and a NUL, so that ("ab", "c") and ("a", "bc") differ.
  void add(std::string_view field) {
    for (char ch : field) mix(static_cast<unsigned char>(ch));
    mix(0);
  }
  std::string hex() const {
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash_));
    return buffer;
  }

 private:
  void mix(unsigned char byte) {
    hash_ ^= byte;
    hash_ *= 0x100000001b3ULL;
  }
  uint64_t hash_ = 0xcbf29ce484222325ULL;
};

}  // namespace

std::string finding_fingerprint(const Report& report, const evaluator::Finding& finding) {
  Fnv1a64 hash;
  hash.add(finding.rule);
  if (!finding.components.empty() && finding.components.front() < report.inventory->components.size()) {
    const inventory::Component& component = report.inventory->components[finding.components.front()];
    const inventory::Identity& identity = component.identity;
    hash.add(component.location.file);
    hash.add(component.kind);
    hash.add(identity.osv_ecosystem());
    hash.add(identity.namespace_);
    hash.add(identity.name);
    hash.add(identity.label.empty() ? component.name : identity.label);
  }
  std::vector<std::string> advisory_ids;
  for (const evaluator::AdvisoryEvidence& evidence : finding.advisories) advisory_ids.push_back(evidence.match->advisory->id);
  std::sort(advisory_ids.begin(), advisory_ids.end());
  advisory_ids.erase(std::unique(advisory_ids.begin(), advisory_ids.end()), advisory_ids.end());
  for (const std::string& id : advisory_ids) hash.add(id);
  return hash.hex();
}

}  // namespace uprank::report
