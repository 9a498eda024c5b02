// The stages every reporting command shares: load and compile rules, read inventories,
// load facts. Each prints its own diagnostics and says whether the command can go on.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/base/date.h"
#include "engine/base/diagnostic.h"
#include "engine/base/result.h"
#include "engine/compiler/compiler.h"
#include "engine/evaluator/evaluator.h"
#include "engine/facts/facts.h"
#include "engine/inventory/component.h"
#include "engine/inventory/readers.h"
#include "grammar/parser.h"

namespace uprank::cli {

struct Config;  // cli/config.h

// Prints diagnostics to stderr, with source lines for files in `sources` (other files are
// read again, relative paths from `base_directory` when given).
void print_diagnostics(const std::vector<Diagnostic>& diagnostics, const std::vector<grammar::SourceFile>& sources = {},
                       const std::string& base_directory = "");

// Prints a warning for each join that met its budget (evaluator::JoinBudget), naming the
// rule and how many findings it kept.
void warn_stopped_rules(const evaluator::Evaluation& evaluation);

struct CompiledRules {
  grammar::LoadResult loaded;
  compiler::CompileResult compiled;
};

// Loads and compiles the rule files below `roots` (rule_packs.h); prints every diagnostic.
// Returns nullopt on errors.
std::optional<CompiledRules> compile_rules(const std::vector<grammar::RuleRoot>& roots,
                                           const std::map<std::string, std::string>& param_overrides,
                                           const std::string& dump_after = "");

// Parses "k=v" arguments of --param; prints an error and returns nullopt for a bad one.
std::optional<std::map<std::string, std::string>> parse_param_arguments(const std::vector<std::string>& arguments);

// Reads inventories; prints errors and warnings (notes, such as skipped Helm templates,
// only with `verbose`). With a `repository_root` (absolute, see repository.h) every path
// in components and diagnostics is made relative to it. Returns nullopt when nothing
// usable was read, or when `strict` and anything was wrong.
std::optional<inventory::Inventory> read_inventories(const std::vector<std::string>& paths, bool strict,
                                                     const inventory::ReadOptions& options, bool verbose = false,
                                                     const std::string& repository_root = "");

// Returns the exit code for a failure to read facts, the same in every command: 3 (data
// unavailable) when there is no store yet; 2 (bad input) when a named file is missing or a
// snapshot, store or feed is there but cannot be used.
int exit_code_for(const Error& error);

// Loads facts from a snapshot file when given, else from the store, and marks stale the
// sources whose oldest data is older than their limit (uprank.yaml's `stale_after` by
// source, else the source's default) as of `today` 00:00 UTC: the same facts and --today
// give the same marks whenever the run. Prints the error and returns its exit code
// (exit_code_for) when no facts could be read. With `advisory_packages`, the store's OSV
// records are read by need (fetch::load_store_facts); a snapshot is always read whole.
Result<facts::FactSet> load_facts(const std::string& snapshot_path, const std::string& store_path, Date today,
                                  const Config& config, const std::vector<std::string>* advisory_packages = nullptr);

// Returns every advisory known by `id` (its id or an alias, ASCII case ignored): the facts'
// advisories in id order, then the rule packs' declared ones; empty when none. One CVE is
// often the alias of several records (Bitnami's and the Go team's for a Go stdlib flaw,
// redis's and valkey's), each naming other packages: a caller that took only the first
// would miss the components the others affect.
std::vector<const facts::Advisory*> find_advisories(const facts::FactSet& facts,
                                                    const std::vector<compiler::DeclaredAdvisory>& declared,
                                                    std::string_view id);

// Leaves out of `records` (found for the id `asked`) every advisory published after `today`
// (evaluator::known_by: on a replayed day it did not exist yet) and returns what says so,
// "not published by 2021-10-01 (published 2021-10-07)", naming the records when one is not
// `asked` itself or several were left out ("(BIT-x published 2024-03-02, GO-y published
// 2024-03-05)"); "" when none was left out.
std::string keep_published_by(std::vector<const facts::Advisory*>& records, std::string_view asked, Date today);

// "A", "A and B", "A, B and C": the ids of `advisories`, for the sentences that name them.
std::string advisory_ids_text(const std::vector<const facts::Advisory*>& advisories);

// Parses --today, or returns today's UTC date when `text` is empty.
std::optional<Date> parse_today(const std::string& text);

}  // namespace uprank::cli
