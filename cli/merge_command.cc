// `uprank merge SHARD.json...`: the report of a sharded run (docs/scale.md). Each shard
// file carries the report's command line; merge checks the shards belong together, then
// runs that command line where it ran, with the shards' evaluations in place of the
// rules': ranking, targets, Coming due, history and every writer are the single run's.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/command.h"
#include "engine/files/files.h"
#include "engine/shard/shard.h"

namespace uprank::cli {
namespace {

struct MergeOptions {
  std::vector<std::string> shards;
  std::string format;  // "" for the shards' --format
  std::string output;  // "" for stdout
};

constexpr size_t kMaxShardBytes = size_t{4} << 30;

int run_merge(const MergeOptions& options) {
  std::vector<shard::Shard> shards;
  for (const std::string& path : options.shards) {
    auto text = files::read_regular_file(path, kMaxShardBytes);
    if (!text) {
      std::fprintf(stderr, "error: %s\n", text.error().to_string().c_str());
      return kExitBadInput;
    }
    auto shard = shard::read_shard(*text, path);
    if (!shard) {
      std::fprintf(stderr, "error: %s\n", shard.error().message.c_str());
      return kExitBadInput;
    }
    shards.push_back(std::move(shard).value());
  }
  if (Status complete = shard::check_complete(shards); !complete) {
    std::fprintf(stderr, "error: %s\n", complete.error().message.c_str());
    return kExitBadInput;
  }
  const shard::Header& header = shards.front().header;
  std::vector<std::string> arguments = header.arguments;
  arguments.push_back("--format");
  arguments.push_back(options.format.empty() ? header.format : options.format);
  if (!options.output.empty() && options.output != "-") {
    // Named from here; the command line runs from the shards' directory.
    arguments.push_back("--output");
    arguments.push_back(std::filesystem::absolute(options.output).string());
  }
  std::error_code error;
  std::filesystem::current_path(header.directory, error);
  if (error) {
    std::fprintf(stderr, "error: the shards ran in %s, whose paths their command line names: %s\n",
                 header.directory.c_str(), error.message().c_str());
    return kExitBadInput;
  }
  return run_command_line(arguments, &shards);
}

}  // namespace

Runner add_merge_command(CLI::App& app, const GlobalOptions& /*global*/) {
  auto options = std::make_shared<MergeOptions>();
  app.add_option("shards", options->shards, "The shard files of one `report --shard I/N` run, all N of them")
      ->required()
      ->check(kNonEmpty);
  app.add_option("-f,--format", options->format,
                 "Output format(s), as report takes them (default: the shards' --format)")
      ->check(kNonEmpty);
  app.add_option("-o,--output", options->output, "Write the report here instead of stdout (a directory with several formats)")
      ->check(kNonEmpty);
  return [options] { return run_merge(*options); };
}

}  // namespace uprank::cli
