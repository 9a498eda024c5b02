// `report --shard I/N`: after a shard's evaluations, the shard file instead of a report
// (docs/scale.md). The evaluation itself is run_analysis()'s, with the shard's subjects.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/base/date.h"
#include "engine/compiler/program.h"
#include "engine/evaluator/evaluator.h"
#include "engine/facts/facts.h"
#include "engine/inventory/component.h"

namespace uprank::cli {

struct ShardRun {
  std::pair<size_t, size_t> shard;     // 0-based index, count
  std::vector<std::string> arguments;  // GlobalOptions::arguments: the command line as given
  std::string format;                  // --format, merge's default
  Date today;                          // the day evaluated
  std::string output;                  // -o: the shard file; "" or "-" for stdout
  std::vector<int32_t> horizons;       // days ahead evaluated too (Coming due)
};

// Returns the command line `merge` replays: `arguments` without --shard, --format and -o
// (in any of their spellings), with --today DAY added when it was not given.
std::vector<std::string> replayed_arguments(const std::vector<std::string>& arguments, Date today);

// Evaluates every horizon day with `evaluate`, writes the shard file (`today` and the
// horizons) to run.output, and returns the exit code: 0, or 2 with the error printed.
int write_shard_file(const ShardRun& run, const std::vector<bool>& subjects, const evaluator::Evaluation& today,
                     const std::function<std::optional<evaluator::Evaluation>(Date)>& evaluate,
                     const inventory::Inventory& inventory, const facts::FactSet& facts, const compiler::Program& program);

}  // namespace uprank::cli
