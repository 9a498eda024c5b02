// `uprank inventory PATH...`: what was read, from where, and what it maps to.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli/command.h"
#include "cli/config.h"
#include "engine/files/files.h"
#include "engine/inventory/extractors.h"
#include "engine/inventory/inventory_json.h"
#include "engine/inventory/readers.h"

namespace uprank::cli {
namespace {

struct InventoryOptions {
  std::vector<std::string> paths;
  std::string format = "table";
  std::string type;
  std::string output;
  bool strict = false;
  bool unmapped = false;
  bool allow_empty = false;
};

bool show(const Diagnostic& diagnostic, const std::string& log_level) {
  if (diagnostic.severity != Severity::kNote) return true;
  return log_level == "info" || log_level == "debug" || log_level == "trace";
}

int run_inventory(const InventoryOptions& options, const GlobalOptions& global) {
  auto config = load_config(global, options.strict);
  if (!config) return kExitBadInput;
  auto reading = inventory_reading(*config);
  inventory::ReadOptions& read_options = reading->options;
  read_options.unknown_format_hint = inventory::kTypeOptionHint;
  if (!options.type.empty()) {
    read_options.forced_format = inventory::parse_format(options.type);
    if (!read_options.forced_format) {
      std::fprintf(stderr, "error: unknown --type '%s'\n", options.type.c_str());
      return kExitBadInput;
    }
  }
  inventory::Inventory result = inventory::read_inventory_paths(options.paths, read_options);
  for (const Diagnostic& diagnostic : result.diagnostics) {
    if (show(diagnostic, global.log_level)) std::fprintf(stderr, "%s\n", render_diagnostic(diagnostic).c_str());
  }
  // "Nothing was read" is about the inputs, before --unmapped filters: a fleet where every
  // component is mapped is an empty list, not an error.
  const bool nothing_read = result.components.empty();
  // --unmapped: what the report counts on one line as not mapped (no product, no identity
  // advisories or end-of-life data can be joined on).
  if (options.unmapped) std::erase_if(result.components, [](const inventory::Component& c) { return c.mapped(); });
  // JSON is written as it is produced (a large SBOM's text is never held whole).
  files::OutputSet output;
  auto sink = output.add(options.output.empty() ? "-" : options.output);
  Status written = sink ? Status{} : Status(sink.error());
  if (sink) {
    if (options.format == "json") {
      inventory::write_inventory_json(result, **sink);
    } else {
      (*sink)->write(inventory::inventory_to_table(result));
    }
    written = output.commit();
  }
  if (!written) {
    std::fprintf(stderr, "error: %s\n", written.error().to_string().c_str());
    return kExitBadInput;
  }
  if (nothing_read && !options.allow_empty) {
    std::fputs("error: no component was read (--allow-empty accepts this)\n", stderr);
    return kExitBadInput;
  }
  bool errors = has_errors(result.diagnostics);
  if (errors && (options.strict || nothing_read)) return kExitBadInput;
  return kExitClean;
}

}  // namespace

Runner add_inventory_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<InventoryOptions>();
  app.add_option("paths", options->paths,
                 "Files (format detected from name and content) or directories (walked as an infrastructure repository)")
      ->required();
  app.add_option("--format", options->format, "Output format")->check(CLI::IsMember({"table", "json"}));
  std::string types;
  for (const std::string& name : inventory::format_names()) types += (types.empty() ? "" : ", ") + name;
  app.add_option("--type", options->type, "Read every file PATH as this format: " + types);
  app.add_option("-o,--output", options->output, "Write the result here instead of stdout");
  app.add_flag("--allow-empty", options->allow_empty, "Accept reading no component at all (otherwise exit 2)");
  app.add_flag("--strict", options->strict, "Exit 2 on any error (or unknown uprank.yaml key), even when other files were read");
  app.add_flag("--unmapped", options->unmapped,
               "List only the components mapped to no product (the report's collapsed \"not mapped\" line)");
  return [options, &global] { return run_inventory(*options, global); };
}

}  // namespace uprank::cli
