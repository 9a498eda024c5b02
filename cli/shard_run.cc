#include "cli/shard_run.h"

#include <cstdio>
#include <deque>
#include <filesystem>

#include "cli/command.h"
#include "engine/files/files.h"
#include "engine/shard/shard.h"

namespace uprank::cli {

std::vector<std::string> replayed_arguments(const std::vector<std::string>& arguments, Date today) {
  // Options whose value merge sets itself: the shard spec, the format and the output.
  static const char* const kLong[] = {"--shard", "--format", "--output"};
  static const char* const kShort[] = {"-f", "-o"};
  std::vector<std::string> out;
  bool has_today = false;
  for (size_t i = 0; i < arguments.size(); ++i) {
    const std::string& word = arguments[i];
    if (word == "--") {  // what follows is positional
      out.insert(out.end(), arguments.begin() + static_cast<std::ptrdiff_t>(i), arguments.end());
      break;
    }
    bool separate = false, joined = false;  // "--format json" / "-f json", "--format=json" / "-fjson"
    for (const char* name : kLong) {
      separate = separate || word == name;
      joined = joined || word.rfind(std::string(name) + "=", 0) == 0;
    }
    for (const char* name : kShort) {
      separate = separate || word == name;
      joined = joined || (word.size() > 2 && word.rfind(name, 0) == 0);
    }
    if (separate) ++i;  // and its value
    if (separate || joined) continue;
    has_today = has_today || word == "--today" || word.rfind("--today=", 0) == 0;
    out.push_back(word);
  }
  if (!has_today) {
    out.push_back("--today");
    out.push_back(today.to_string());
  }
  return out;
}

int write_shard_file(const ShardRun& run, const std::vector<bool>& subjects, const evaluator::Evaluation& today,
                     const std::function<std::optional<evaluator::Evaluation>(Date)>& evaluate,
                     const inventory::Inventory& inventory, const facts::FactSet& facts, const compiler::Program& program) {
  std::deque<evaluator::Evaluation> later;  // a deque: the days point into it
  std::vector<shard::Day> days = {{run.today, &today}};
  for (int32_t ahead : run.horizons) {
    auto evaluation = evaluate(run.today + ahead);
    if (!evaluation) return kExitBadInput;
    later.push_back(std::move(*evaluation));
    days.push_back({run.today + ahead, &later.back()});
  }
  shard::Header header;
  header.index = run.shard.first;
  header.count = run.shard.second;
  header.arguments = replayed_arguments(run.arguments, run.today);
  std::error_code error;
  header.directory = std::filesystem::current_path(error).string();
  header.format = run.format;
  header.today = run.today;
  header.data_hash = facts.content_hash;
  for (const auto& rule : program.rules()) header.rules.push_back(rule.qualified_name);
  header.components = inventory.components.size();
  header.identities_hash = shard::identities_hash(inventory);
  auto text = shard::write_shard(header, subjects, days, inventory, facts, program);
  if (!text) {
    std::fprintf(stderr, "error: %s\n", text.error().message.c_str());
    return kExitBadInput;
  }
  Status written = files::write_file_atomically(run.output.empty() ? "-" : run.output, *text);
  if (!written) {
    std::fprintf(stderr, "error: cannot write the shard: %s\n", written.error().to_string().c_str());
    return kExitBadInput;
  }
  return kExitClean;
}

}  // namespace uprank::cli
