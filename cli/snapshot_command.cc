// `uprank snapshot export|import FILE`: move the fact store to an air-gapped machine as a
// file of raw responses with a content hash (docs/snapshot.md).
#include <cstdio>
#include <set>

#include "cli/command.h"
#include "cli/pipeline.h"
#include "fetchers/snapshot.h"
#include "fetchers/store.h"

namespace uprank::cli {
namespace {

struct SnapshotOptions {
  std::string file;
};

std::string store_path_of(const GlobalOptions& global) {
  return global.store_path.empty() ? fetch::default_store_path() : global.store_path;
}

int run_export(const SnapshotOptions& options, const GlobalOptions& global) {
  fetch::Store::Options store_options;
  store_options.read_only = true;
  auto store = fetch::Store::open(store_path_of(global), store_options);
  if (!store) {
    std::fprintf(stderr, "error: %s\n", store.error().message.c_str());
    return exit_code_for(store.error());
  }
  auto responses = store->responses();
  if (!responses) {
    std::fprintf(stderr, "error: %s\n", responses.error().message.c_str());
    return kExitBadInput;
  }
  if (responses->empty()) {
    std::fprintf(stderr, "error: %s: the store holds no data to export\n", store->path().c_str());
    return kExitDataUnavailable;
  }
  size_t count = responses->size();
  auto hash = fetch::write_snapshot(options.file, std::move(responses).value(), fetch::utc_now_iso());
  if (!hash) {
    std::fprintf(stderr, "error: %s\n", hash.error().message.c_str());
    return kExitBadInput;
  }
  std::printf("exported %zu responses to %s\ncontent hash %s\n", count, options.file.c_str(), hash->c_str());
  return kExitClean;
}

int run_import(const SnapshotOptions& options, const GlobalOptions& global) {
  auto facts = fetch::load_snapshot_facts(options.file);  // verifies the hash and every body
  if (!facts) {
    std::fprintf(stderr, "error: %s\n", facts.error().message.c_str());
    return kExitBadInput;
  }
  auto snapshot = fetch::read_snapshot(options.file);
  if (!snapshot) {
    std::fprintf(stderr, "error: %s\n", snapshot.error().message.c_str());
    return kExitBadInput;
  }
  auto store = fetch::Store::open(store_path_of(global));
  if (!store) {
    std::fprintf(stderr, "error: %s\n", store.error().message.c_str());
    return kExitBadInput;
  }
  std::set<std::string> sources;
  for (const auto& response : snapshot->responses) sources.insert(response.source);
  // The snapshot's sources replace the stored ones in one transaction; others stay.
  if (Status stored = store->put(snapshot->responses, fetch::utc_now_iso(),
                                 std::vector<std::string>(sources.begin(), sources.end()));
      !stored) {
    std::fprintf(stderr, "error: %s\n", stored.error().message.c_str());
    return kExitBadInput;
  }
  std::printf("imported %zu responses (%zu sources) into %s\ncontent hash %s\n", snapshot->responses.size(),
              sources.size(), store->path().c_str(), snapshot->content_hash.c_str());
  return kExitClean;
}

}  // namespace

Runner add_snapshot_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<SnapshotOptions>();
  app.require_subcommand(1);
  CLI::App* exporter = app.add_subcommand("export", "Write the store's responses to FILE");
  exporter->add_option("FILE", options->file, "Snapshot file to write")->required();
  CLI::App* importer = app.add_subcommand("import", "Replace the store's data of each source in FILE");
  importer->add_option("FILE", options->file, "Snapshot file to read")->required();
  return [options, &global, exporter] {
    return exporter->parsed() ? run_export(*options, global) : run_import(*options, global);
  };
}

}  // namespace uprank::cli
