#include "cli/pipeline.h"

#include <algorithm>
#include <cctype>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>

#include "cli/command.h"
#include "cli/config.h"
#include "cli/repository.h"
#include "engine/base/terminal_text.h"
#include "engine/evaluator/joins.h"
#include "engine/files/files.h"
#include "engine/inventory/readers.h"
#include "fetchers/bundled_eol.h"
#include "fetchers/snapshot.h"
#include "fetchers/store.h"

namespace uprank::cli {
namespace fs = std::filesystem;

void warn_stopped_rules(const evaluator::Evaluation& evaluation) {
  for (const evaluator::RuleStop& stop : evaluation.stopped) {
    std::fprintf(stderr, "warning: %s [uprank.evaluator.join_budget]\n", escape_for_terminal(evaluator::describe(stop)).c_str());
  }
}

void print_diagnostics(const std::vector<Diagnostic>& diagnostics, const std::vector<grammar::SourceFile>& sources,
                       const std::string& base_directory) {
  std::map<std::string, std::string> texts;
  for (const auto& source : sources) texts[source.path] = source.text;
  for (const Diagnostic& diagnostic : diagnostics) {
    const std::string& file = diagnostic.range.begin.file;
    auto it = texts.find(file);
    if (it == texts.end() && diagnostic.range.begin.line > 0 && !file.empty()) {
      // Inventory files: read again only to show the offending line.
      bool relative = !base_directory.empty() && file.front() != '/';
      // Through the bounded reader, so a file swapped for a FIFO since cannot hang this.
      auto text = files::read_regular_file(relative ? base_directory + "/" + file : file, size_t{64} << 20);
      it = texts.emplace(file, text.ok() ? std::move(*text) : std::string()).first;
    }
    std::string rendered = render_diagnostic(diagnostic, it == texts.end() ? std::string_view{} : it->second);
    std::fputs(rendered.c_str(), stderr);
  }
}

// Says, once, why a name may be declared twice when several packs are loaded: most often
// a pack named again with --rules though it is already loaded.
void explain_duplicates(const std::vector<Diagnostic>& diagnostics) {
  for (const Diagnostic& diagnostic : diagnostics) {
    if (diagnostic.code != "uprank.duplicate_name") continue;
    std::fputs("hint: each name is declared once across all packs loaded; the shipped packs (uprank/) load by "
               "default and --rules adds to them (--no-default-rules loads only the packs named)\n",
               stderr);
    return;
  }
}

std::optional<CompiledRules> compile_rules(const std::vector<grammar::RuleRoot>& roots,
                                           const std::map<std::string, std::string>& param_overrides,
                                           const std::string& dump_after) {
  CompiledRules rules;
  rules.loaded = grammar::load_rule_roots(roots);
  if (rules.loaded.files.empty() && !has_errors(rules.loaded.diagnostics)) {
    rules.loaded.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.no_rules", "no .upr rule files found",
                                                       SourceLocation{roots.empty() ? "" : roots[0].path, 0, 0}));
  }
  if (has_errors(rules.loaded.diagnostics)) {
    print_diagnostics(rules.loaded.diagnostics, rules.loaded.sources);
    return std::nullopt;
  }
  compiler::CompileOptions options;
  options.param_overrides = param_overrides;
  options.dump_after = dump_after;
  rules.compiled = compiler::compile(rules.loaded.files, options);
  std::vector<Diagnostic> all = rules.loaded.diagnostics;
  all.insert(all.end(), rules.compiled.diagnostics.begin(), rules.compiled.diagnostics.end());
  sort_diagnostics(all);
  print_diagnostics(all, rules.loaded.sources);
  if (roots.size() > 1) explain_duplicates(all);
  if (has_errors(all)) return std::nullopt;
  return rules;
}

std::optional<std::map<std::string, std::string>> parse_param_arguments(const std::vector<std::string>& arguments) {
  std::map<std::string, std::string> params;
  for (const std::string& argument : arguments) {
    size_t equals = argument.find('=');
    if (equals == std::string::npos || equals == 0) {
      std::fprintf(stderr, "error: --param takes NAME=VALUE, not '%s'\n", argument.c_str());
      return std::nullopt;
    }
    params[argument.substr(0, equals)] = argument.substr(equals + 1);
  }
  return params;
}

std::optional<inventory::Inventory> read_inventories(const std::vector<std::string>& paths, bool strict,
                                                     const inventory::ReadOptions& options, bool verbose,
                                                     const std::string& repository_root) {
  inventory::Inventory inventory = inventory::read_inventory_paths(paths, options);
  if (!repository_root.empty()) relative_to_root(inventory, repository_root);
  sort_diagnostics(inventory.diagnostics);
  std::vector<Diagnostic> shown;
  for (const auto& diagnostic : inventory.diagnostics) {
    if (verbose || diagnostic.severity != Severity::kNote) shown.push_back(diagnostic);
  }
  print_diagnostics(shown, {}, repository_root);
  if (size_t skipped = inventory::skipped_files(inventory); skipped > 0 && !verbose) {
    std::fprintf(stderr, "note: %zu inventory file%s skipped; --log-level info says why\n", skipped, skipped == 1 ? "" : "s");
  }
  // Values that name a version through something uprank cannot resolve (a workflow
  // expression, a variable without a default) are read as nothing: counted like skipped
  // files, so that a pin left unread is never silent.
  const size_t unresolved = static_cast<size_t>(std::count_if(
      inventory.diagnostics.begin(), inventory.diagnostics.end(),
      [](const Diagnostic& diagnostic) { return diagnostic.code == "uprank.inventory.unresolved"; }));
  if (unresolved > 0 && !verbose) {
    std::fprintf(stderr, "note: %zu pinned value%s not resolved (expressions, variables without a value); --log-level info says where\n",
                 unresolved, unresolved == 1 ? "" : "s");
  }
  bool failed = has_errors(inventory.diagnostics);
  if (inventory.components.empty() && failed) {
    std::fputs("error: no usable inventory was read\n", stderr);
    return std::nullopt;
  }
  if (strict && failed) {
    std::fputs("error: inventory errors are fatal with --strict\n", stderr);
    return std::nullopt;
  }
  return inventory;
}

int exit_code_for(const Error& error) {
  return error.code == "uprank.store.missing" ? kExitDataUnavailable : kExitBadInput;
}

Result<facts::FactSet> load_facts(const std::string& snapshot_path, const std::string& store_path, Date today,
                                  const Config& config, const std::vector<std::string>* advisory_packages) {
  Result<facts::FactSet> facts =
      snapshot_path.empty()
          ? fetch::load_store_facts(store_path.empty() ? fetch::default_store_path() : store_path, advisory_packages)
          : fetch::load_snapshot_facts(snapshot_path);
  if (!facts.ok()) {
    std::fprintf(stderr, "error: %s\n", facts.error().to_string().c_str());
    if (facts.error().code == "uprank.store.missing") std::fputs("hint: or pass --snapshot FILE\n", stderr);
    return facts;
  }
  if (!facts->skipped.empty()) {
    // The rest is still good data: use it, and say what was left out.
    constexpr size_t kNamed = 5;
    const std::string from = snapshot_path.empty() ? "the store" : snapshot_path;
    std::fprintf(stderr, "warning: %zu response(s) in %s do not parse and were left out [uprank.facts.skipped]\n",
                 facts->skipped.size(), escape_for_terminal(from).c_str());
    for (size_t i = 0; i < facts->skipped.size() && i < kNamed; ++i) {
      std::fprintf(stderr, "  %s\n", escape_for_terminal(facts->skipped[i]).c_str());
    }
    if (facts->skipped.size() > kNamed) std::fprintf(stderr, "  +%zu more\n", facts->skipped.size() - kNamed);
  }
  // Retirement dates of GitHub-hosted runner images: no feed publishes them as data.
  fetch::add_bundled_eol(*facts);
  std::map<std::string, std::chrono::hours> limits;
  for (const auto& [name, settings] : config.sources) {
    // 168 h is SourceSettings' unset value; fetch replaces it with the source's default too.
    if (settings.stale_after != std::chrono::hours(168)) limits[name] = settings.stale_after;
  }
  fetch::mark_stale(*facts, std::chrono::system_clock::time_point(std::chrono::hours(24) * today.days_since_epoch()), limits);
  return facts;
}

std::optional<Date> parse_today(const std::string& text) {
  if (text.empty()) return Date::today_utc();
  auto date = Date::parse(text);
  if (!date) std::fprintf(stderr, "error: --today takes a date as YYYY-MM-DD, not '%s'\n", text.c_str());
  return date;
}

std::vector<const facts::Advisory*> find_advisories(const facts::FactSet& facts,
                                                    const std::vector<compiler::DeclaredAdvisory>& declared,
                                                    std::string_view id) {
  auto named = [&](const facts::Advisory& advisory) {
    for (const std::string& name : advisory.all_ids()) {
      if (name.size() == id.size() && std::equal(name.begin(), name.end(), id.begin(), [](char x, char y) {
            return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
          })) {
        return true;
      }
    }
    return false;
  };
  std::vector<const facts::Advisory*> found;
  for (const auto& [key, advisory] : facts.advisories) {
    if (named(advisory)) found.push_back(&advisory);
  }
  for (const compiler::DeclaredAdvisory& item : declared) {
    if (named(item.advisory)) found.push_back(&item.advisory);
  }
  return found;
}

std::string keep_published_by(std::vector<const facts::Advisory*>& records, std::string_view asked, Date today) {
  std::vector<const facts::Advisory*> later;
  std::erase_if(records, [&](const facts::Advisory* advisory) {
    if (evaluator::known_by(advisory->published, today)) return false;
    later.push_back(advisory);
    return true;
  });
  if (later.empty()) return "";
  std::string dates;
  for (const facts::Advisory* advisory : later) {
    bool is_asked = advisory->id.size() == asked.size() &&
                    std::equal(asked.begin(), asked.end(), advisory->id.begin(), [](char x, char y) {
                      return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
                    });
    bool named = !is_asked || later.size() > 1;
    dates += (dates.empty() ? "" : ", ") + (named ? advisory->id + " " : std::string()) + "published " +
             advisory->published->to_string();
  }
  return "not published by " + today.to_string() + " (" + dates + ")";
}

std::string advisory_ids_text(const std::vector<const facts::Advisory*>& advisories) {
  std::string text;
  for (size_t i = 0; i < advisories.size(); ++i) {
    if (i > 0) text += i + 1 == advisories.size() ? " and " : ", ";
    text += advisories[i]->id;
  }
  return text;
}

}  // namespace uprank::cli
