// Evaluating a rule once per group of components that look alike to it (#12 item 7): a
// repository pins one image version in hundreds of files, and the SSVC and end-of-life
// packs gave each pin the same verdict from scratch. Internal to the evaluator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/compiler/program.h"

namespace uprank::evaluator::internal {

// What a rule's verdict on its component may depend on, found by reading its clauses.
struct RuleReads {
  bool groupable = false;  // one binding, and only pin fields of components are read
  // The attribute keys it reads (c.attribute("KEY")), sorted and unique: the group key
  // holds those, not every attribute (which tell each file's pin apart: job, service,
  // workload), so that a rule reading one attribute still groups.
  std::vector<std::string> attributes;
  bool all_attributes = false;  // a key that is not a constant: the group key holds them all
  bool reads_attributes() const { return all_attributes || !attributes.empty(); }
};

// Returns whether `rule` may be evaluated once per pin group. It may when it binds one
// component and every component value it meets (its own or one of `components`) is only
// read through fields pin_groups() keys by, passed to a def or to supported_target():
// never its name, file, line, releases, relations or text. Its verdict on two components
// of one group is then the same but for which component it names.
RuleReads rule_reads(const compiler::CompiledRule& rule);

// Returns per inventory component (same index) a group number, dense from 0: components
// with equal numbers agree in every field a groupable rule can read (product, version,
// scheme, purl, kind, context, tags, pin, and the attributes `reads` reads) and share their
// end-of-life cycle and advisory list. Reads the context's joined facts: call after the
// joins.
std::vector<uint32_t> pin_groups(const compiler::EvaluationContext& context, const RuleReads& reads);

// The first component of each group among a rule's candidates, in candidate order, and
// for each candidate the position of its group's representative in that list.
struct Representatives {
  std::vector<size_t> components;
  std::vector<size_t> of_candidate;
};

// Picks representatives rule after rule. Seen-marks carry a generation (one per pick) so
// that the table is reused across rules without clearing and a mark from an earlier
// rule is never taken for one of this rule.
class RepresentativePicker {
 public:
  Representatives pick(const std::vector<uint32_t>& groups, const std::vector<size_t>& candidates);

 private:
  struct Seen {
    uint64_t generation = 0;
    size_t representative = 0;
  };
  std::vector<Seen> seen_;  // by group
  uint64_t generation_ = 0;
};

}  // namespace uprank::evaluator::internal
