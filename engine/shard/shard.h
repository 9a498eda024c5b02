// Shards of one report run (`uprank report --shard I/N`, `uprank merge`; docs/scale.md):
// which components a shard evaluates, the shard file that carries its evaluations, and
// the evaluations of the whole run rebuilt from all N files, so that the merged report is
// the one the single run writes, byte for byte, in every format.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/date.h"
#include "engine/base/result.h"
#include "engine/compiler/program.h"
#include "engine/evaluator/evaluator.h"
#include "engine/facts/facts.h"
#include "engine/inventory/component.h"

namespace uprank::shard {

// Returns the shard (0..count-1) of `component`: FNV-1a 64 of its identity key
// (report::fingerprint_identity(): image, purl, package or name, never the version) modulo
// `count`, so that a component keeps its shard across upgrades and every component with
// one identity is in the same shard. `count` is at least 1.
size_t shard_of(const inventory::Component& component, size_t count);

// Returns one flag per inventory component: whether shard `index` of `count` evaluates it
// (evaluator::EvaluationOptions::subjects).
std::vector<bool> subjects_of(const inventory::Inventory& inventory, size_t index, size_t count);

// Parses "I/N" (0 <= I < N <= 10000; I is 0-based like a Kubernetes Indexed Job's
// JOB_COMPLETION_INDEX). Errors (uprank.shard.bad_spec) quote the text.
Result<std::pair<size_t, size_t>> parse_spec(std::string_view text);

// What a shard says about the run it belongs to. `merge` replays the run from it, and
// refuses shards that do not belong together or to the inputs it reads.
struct Header {
  size_t index = 0;                    // 0-based
  size_t count = 1;
  // The command line (global options, "report" and its options) without --shard, -o and
  // --format, which merge gives itself; with --today, so that a merge after midnight is
  // still that day's report.
  std::vector<std::string> arguments;
  std::string directory;               // the working directory the arguments are relative to
  std::string format;                  // the shard run's --format: merge's default
  Date today;
  std::string data_hash;               // the facts' content hash
  std::vector<std::string> rules;      // the program's qualified rule names, in program order
  size_t components = 0;               // inventory size
  std::string identities_hash;         // "fnv1a64:…" over every component's identity key, in order
};

// Returns Header::identities_hash of `inventory`.
std::string identities_hash(const inventory::Inventory& inventory);

// One evaluation a shard made: today's, or a Coming due horizon's.
struct Day {
  Date day;
  const evaluator::Evaluation* evaluation = nullptr;
};

// Renders a shard file (JSON, "uprank_shard": 1): the header, then per day the shard's
// findings and suppressed findings (their evidence as ids and positions that merge binds
// to its own facts), suppression counts, and per subject its advisory coverage, rank and
// VEX outcomes. `subjects` are subjects_of(); `facts` and `program` are those evaluated.
// Error uprank.shard.not_utf8 when a text is not UTF-8 (JSON could not carry it unchanged).
Result<std::string> write_shard(const Header& header, const std::vector<bool>& subjects, const std::vector<Day>& days,
                                const inventory::Inventory& inventory, const facts::FactSet& facts,
                                const compiler::Program& program);

// A shard file as read.
struct Shard {
  std::string path;
  Header header;
  std::shared_ptr<const void> body;  // the parsed days (shard.cc)
};

// Reads a shard file. Errors: uprank.shard.invalid (not a shard file, or a value of the
// wrong shape: `path` and what is wrong).
Result<Shard> read_shard(std::string_view text, const std::string& path);

// Checks that `shards` are the N shards of one run: same count, arguments, directory, day,
// data, rules and inventory, each index once. Errors (uprank.shard.mismatch) name the
// first file that differs from the first, or the missing index.
Status check_complete(const std::vector<Shard>& shards);

// Checks that the inputs the merge read are those the shards evaluated: the facts' content
// hash, the rules and the inventory's identities (uprank.shard.mismatch).
Status check_inputs(const Header& header, const inventory::Inventory& inventory, const facts::FactSet& facts,
                    const compiler::Program& program);

// Rebuilds the evaluation of `day` from all shards as evaluate_rules() makes it for the
// whole inventory: findings in rule then bound-component order, evidence bound to `facts`
// and `program` (records of one advisory list share one match, as in the single run),
// suppression counts summed, coverage, ranks and VEX outcomes from each subject's shard,
// unused VEX statements those no shard used. `advisory_index` is left null. Errors
// (uprank.shard.invalid) when a shard has no evaluation of `day` or names a fact that
// `facts` lacks.
Result<evaluator::Evaluation> merge_day(const std::vector<Shard>& shards, Date day, const inventory::Inventory& inventory,
                                        const facts::FactSet& facts, const compiler::Program& program);

}  // namespace uprank::shard
