// Fuzzes the .gitignore matcher: the input up to the first NUL byte is a .gitignore, the
// rest a list of paths, one a line, each matched as a file and as a directory. Any input
// must compile or be refused, and every match must end, in time linear in the path.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/inventory/gitignore.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t split = input.find('\0');
  std::string_view rules_text = input.substr(0, split);
  std::string_view paths = split == std::string_view::npos ? std::string_view("a/b/c\nx.log\nd/") : input.substr(split + 1);
  auto rules = uprank::inventory::GitignoreRules::compile(rules_text);
  if (!rules.ok()) return 0;
  while (!paths.empty()) {
    size_t end = paths.find('\n');
    std::string_view path = paths.substr(0, end);
    (void)rules->match(path, false);
    (void)rules->match(path, true);
    if (end == std::string_view::npos) break;
    paths.remove_prefix(end + 1);
  }
  return 0;
}
