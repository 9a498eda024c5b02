// What uprank says about itself: `uprank --version` and the man page.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace uprank::cli {

// Returns what `uprank --version` and `uprank version` print, without a final newline:
// the version; where the shipped rule packs are read from (rule_packs.h); the bundled
// data snapshot (`share/uprank/data/snapshot.json` beside the binary) with its content
// hash, the SHA-256 over its responses that reports quote in data_sources (docs/snapshot.md).
// A missing or corrupt snapshot is said in place of the hash.
std::string version_text();

// Returns a man page (roff, man(7) macros) for `app` and every subcommand with its
// options, as `--help` describes them, plus exit status, files and environment.
std::string man_page(const CLI::App& app);

}  // namespace uprank::cli
