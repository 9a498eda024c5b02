// Reads FILE and parses it with nlohmann::json::parse into a DOM, as the floor that
// bench/sbom/run compares `uprank inventory` with: the same JSON library, no model.
// Prints the number of top-level components so the work cannot be skipped.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fputs("usage: sbom_parse_floor FILE\n", stderr);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "sbom_parse_floor: cannot open %s\n", argv[1]);
    return 2;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  nlohmann::json document = nlohmann::json::parse(text);
  const auto components = document.find("components");
  std::printf("%zu\n", components == document.end() ? size_t{0} : components->size());
  return 0;
}
