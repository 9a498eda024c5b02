// Format detection, globs and .gitignore handling in the directory walk.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "engine/inventory/extractors.h"
#include "engine/inventory/inventory_json.h"
#include "engine/inventory/readers.h"
#include "test_util.h"

namespace uprank::inventory {
namespace {

struct Detection {
  std::string path;
  std::string head;
  std::optional<Format> format;
};

class Detect : public ::testing::TestWithParam<Detection> {};

// RFC 8259 8.1: JSON exchanged between systems is UTF-8; Unicode's byte order marks tell
// UTF-16 (FF FE little-endian, FE FF big-endian) and UTF-32. CycloneDX's XML binding has
// the namespace http://cyclonedx.org/schema/bom/1.5 (CycloneDX specification, XML schema).
TEST(UnsupportedInput, NamesTheEncodingOrFormatAndWhatToDo) {
  using namespace std::string_literals;
  auto says = [](std::string head) { return unsupported_input("in/bom.json", head).value_or(""); };
  EXPECT_EQ(says("\xFF\xFE{\0\n\0"s).rfind("UTF-16LE text (byte order mark FF FE); uprank reads UTF-8 only", 0), 0u);
  EXPECT_NE(says("\xFF\xFE{\0\n\0"s).find("iconv -f UTF-16LE -t UTF-8 in/bom.json"), std::string::npos);
  EXPECT_EQ(says("\xFE\xFF\0{"s).rfind("UTF-16BE text (byte order mark FE FF)", 0), 0u);
  EXPECT_EQ(says("\xFF\xFE\0\0{\0\0\0"s).rfind("UTF-32LE", 0), 0u);
  EXPECT_EQ(says("{\0\"\0b\0"s).rfind("UTF-16LE text (no byte order mark", 0), 0u);
  std::string xml = says("<?xml version=\"1.0\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\">");
  EXPECT_EQ(xml.rfind("a CycloneDX XML document; uprank reads CycloneDX JSON only", 0), 0u);
  EXPECT_NE(xml.find("cyclonedx convert --input-file in/bom.json --output-format json"), std::string::npos);
  EXPECT_EQ(says("SPDXVersion: SPDX-2.3\n").rfind("an SPDX tag-value document", 0), 0u);
  // UTF-8 JSON, with or without its (tolerated) byte order mark, is read as before.
  EXPECT_EQ(says("{\"bomFormat\":\"CycloneDX\"}"), "");
  EXPECT_EQ(says("\xEF\xBB\xBF{\"bomFormat\":\"CycloneDX\"}"s), "");
  EXPECT_EQ(says(""), "");
}

TEST_P(Detect, FromNameAndContent) { EXPECT_EQ(detect_format(GetParam().path, GetParam().head), GetParam().format) << GetParam().path; }

INSTANTIATE_TEST_SUITE_P(
    Cases, Detect,
    ::testing::Values(Detection{"/var/lib/dpkg/status", "Package: a\nStatus: install ok installed\n", Format::kDpkgStatus},
                      Detection{"status.d/multiple", "Package:\n\nPackage: tzdata\n", Format::kDpkgStatus},
                      Detection{"a/Dockerfile", "", Format::kDockerfile},
                      Detection{"a/Dockerfile.prod", "", Format::kDockerfile},
                      Detection{"a/api.Dockerfile", "", Format::kDockerfile},
                      Detection{"docker-compose.yml", "", Format::kCompose},
                      Detection{"compose.yaml", "", Format::kCompose},
                      Detection{"chart/Chart.yaml", "", Format::kHelmChart},
                      Detection{"chart/values.yaml", "", Format::kHelmValues},
                      Detection{"x/.github/workflows/ci.yml", "", Format::kGithubActions},
                      Detection{"main.tf", "", Format::kTerraform},
                      Detection{".tool-versions", "", Format::kToolVersions},
                      Detection{".nvmrc", "", Format::kNvmrc},
                      Detection{"bom.json", "{\"bomFormat\": \"CycloneDX\"", Format::kCycloneDx},
                      Detection{"sbom.json", "{\"spdxVersion\": \"SPDX-2.3\"", Format::kSpdx},
                      Detection{"inventory.json", "{\"components\": []}", Format::kNative},
                      Detection{"fleet.yaml", "# x\ncomponents:\n  - name: a\n", Format::kNative},
                      Detection{"k8s/app.yaml", "apiVersion: v1\nkind: Pod\n", Format::kKubernetes},
                      // JSON manifests, as `kubectl get -o json` writes them.
                      Detection{"k8s/app.json", "{\n  \"apiVersion\" : \"apps/v1\",\n  \"kind\": \"Deployment\"", Format::kKubernetes},
                      Detection{"k8s/list.json", "{\"kind\":\"List\",\"apiVersion\":\"v1\",\"items\":[]}", Format::kKubernetes},
                      Detection{"schema.json", "{\"properties\": {\"apiVersion\": {}}, \"x\": \"kind\"}", std::nullopt},
                      Detection{"other.yaml", "a: 1\n", std::nullopt},
                      Detection{"README.md", "# readme", std::nullopt},
                      Detection{"package.json", "{\"name\": \"x\"}", std::nullopt}));

TEST(Format, NamesRoundTrip) {
  for (const std::string& name : format_names()) {
    auto format = parse_format(name);
    ASSERT_TRUE(format.has_value()) << name;
    EXPECT_EQ(format_name(*format), name);
  }
  EXPECT_FALSE(parse_format("excel").has_value());
}

TEST(Glob, Matching) {
  EXPECT_TRUE(glob_match("*.env", "a/b/x.env"));  // no '/': base name anywhere
  EXPECT_FALSE(glob_match("/*.env", "a/x.env"));
  EXPECT_TRUE(glob_match("/*.env", "x.env"));
  EXPECT_TRUE(glob_match("a/**/x.env", "a/x.env"));
  EXPECT_TRUE(glob_match("a/**/x.env", "a/b/c/x.env"));
  EXPECT_FALSE(glob_match("a/*/x.env", "a/b/c/x.env"));
  EXPECT_TRUE(glob_match("v[0-9].txt", "v1.txt"));
  EXPECT_FALSE(glob_match("v[!0-9].txt", "v1.txt"));
  EXPECT_TRUE(glob_match("f?o", "foo"));
  EXPECT_FALSE(glob_match("f?o", "f/o"));
  EXPECT_TRUE(glob_match("a.b", "a.b"));
  EXPECT_FALSE(glob_match("a.b", "axb"));  // '.' is literal
}

TEST(Walker, GitignoreRespected) {
  std::string root = testing::test_data() + "/repo";
  Inventory inventory = read_inventory_paths({root});
  for (const Component& component : inventory.components) {
    EXPECT_EQ(component.name.find("must-not-appear"), std::string::npos) << component.location.to_string();
  }
  bool kept = false;
  for (const Component& component : inventory.components) {
    kept = kept || component.location.file == root + "/k8s/generated-keep.yaml";  // re-included by '!'
  }
  EXPECT_TRUE(kept);
  EXPECT_FALSE(has_errors(inventory.diagnostics));
}

TEST(Walker, NamesAreUniqueAcrossFilesAndVersionsParsed) {
  Inventory inventory = read_inventory_paths({testing::fixtures() + "/infra", testing::test_data() + "/repo"},
                                             ReadOptions{.products = &ProductMap::bundled()});
  std::set<std::string> names;
  for (const Component& component : inventory.components) {
    EXPECT_TRUE(names.insert(component.name).second) << component.name;
    if (component.version_text == "16.1") EXPECT_TRUE(component.version.has_value());  // generic parses today
  }
}

TEST(Walker, BadFilesDoNotStopTheOthers) {
  std::string directory = ::testing::TempDir() + "/uprank_walker_bad";
  std::filesystem::create_directories(directory);
  { std::ofstream(directory + "/docker-compose.yml") << "services:\n  web:\n    image: [unclosed\n"; }
  { std::ofstream(directory + "/Dockerfile") << "FROM alpine:3.19\n"; }
  Inventory inventory = read_inventory_paths({directory, directory + "/missing.json"});
  EXPECT_EQ(inventory.components.size(), 1u);
  ASSERT_GE(inventory.diagnostics.size(), 2u);
  bool syntax = false;
  for (const Diagnostic& diagnostic : inventory.diagnostics) {
    if (diagnostic.code == "uprank.inventory.syntax") {
      syntax = true;
      EXPECT_EQ(diagnostic.range.begin.file, directory + "/docker-compose.yml");
      EXPECT_GT(diagnostic.range.begin.line, 0);
    }
  }
  EXPECT_TRUE(syntax);
  EXPECT_TRUE(testing::has_code(inventory, "uprank.inventory.unreadable"));
}

// gitignore(5): "Files already tracked by Git are not affected". A tracked file is read
// whatever .gitignore says, also in a folder .gitignore leaves out; an ignored file git
// does not track is left out with a note.
TEST(Walker, TrackedFilesAreReadWhateverGitignoreSays) {
  std::string directory = ::testing::TempDir() + "/uprank_walker_tracked";
  std::filesystem::remove_all(directory);
  std::filesystem::create_directories(directory + "/deploy/sub");
  { std::ofstream(directory + "/.gitignore") << "deploy/\nDockerfile.*\n"; }
  { std::ofstream(directory + "/Dockerfile") << "FROM alpine:3.22\n"; }
  { std::ofstream(directory + "/Dockerfile.local") << "FROM python:2.7\n"; }
  { std::ofstream(directory + "/Dockerfile.scratch") << "FROM ruby:2.5\n"; }
  { std::ofstream(directory + "/deploy/Dockerfile") << "FROM node:14\n"; }
  { std::ofstream(directory + "/deploy/sub/Dockerfile") << "FROM node:12\n"; }
  { std::ofstream(directory + "/deploy/sub/compose.yaml") << "services:\n  a:\n    image: redis:5\n"; }
  ReadOptions options;
  options.tracked_files = [&](const std::string& root) -> std::optional<std::vector<std::string>> {
    EXPECT_EQ(root, directory);
    return std::vector<std::string>{".gitignore", "Dockerfile", "Dockerfile.local", "deploy/Dockerfile",
                                    "deploy/sub/Dockerfile"};
  };
  Inventory inventory = read_inventory_paths({directory}, options);
  std::set<std::string> read;
  for (const Component& component : inventory.components) {
    read.insert(component.location.file.substr(directory.size() + 1) + " " + component.version_text);
  }
  EXPECT_EQ(read, (std::set<std::string>{"Dockerfile 3.22", "Dockerfile.local 2.7", "deploy/Dockerfile 14",
                                         "deploy/sub/Dockerfile 12"}));
  std::set<std::string> skipped;
  for (const Diagnostic& diagnostic : inventory.diagnostics) {
    if (diagnostic.code == kSkippedFileCode) skipped.insert(diagnostic.range.begin.file);
  }
  EXPECT_EQ(skipped, (std::set<std::string>{directory + "/Dockerfile.scratch", directory + "/deploy/sub/compose.yaml"}));

  // Not a git work tree: .gitignore alone decides, as before.
  options.tracked_files = [](const std::string&) { return std::optional<std::vector<std::string>>(); };
  Inventory untracked = read_inventory_paths({directory}, options);
  ASSERT_EQ(untracked.components.size(), 1u);
  EXPECT_EQ(untracked.components[0].name, "alpine");
}

// docs/check.md, "Inputs and outputs": a FIFO, socket or directory named like an
// inventory file is said, not dropped; inventory.md: every skipped file gets a note (and
// so counts as skipped). A FIFO is never opened: opening one with no writer blocks, so
// this test would hang if the walk read it.
TEST(Walker, SpecialFilesAndDirectoriesNamedLikeInventoryFilesAreNotedAndCounted) {
  std::string directory = ::testing::TempDir() + "/uprank_walker_fifo";
  std::filesystem::remove_all(directory);
  std::filesystem::create_directories(directory + "/values.yaml");
  std::filesystem::create_directories(directory + "/src");
  ASSERT_EQ(mkfifo((directory + "/Dockerfile").c_str(), 0600), 0);
  ASSERT_EQ(mkfifo((directory + "/docker-compose.yml").c_str(), 0600), 0);
  ASSERT_EQ(mkfifo((directory + "/notes.txt").c_str(), 0600), 0);  // not an inventory name
  int listening = socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(listening, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::string socket_path = directory + "/compose.json";
  ASSERT_LT(socket_path.size(), sizeof address.sun_path);
  std::snprintf(address.sun_path, sizeof address.sun_path, "%s", socket_path.c_str());
  ASSERT_EQ(bind(listening, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  close(listening);
  // Inside the directory named values.yaml: a compose file, read like any other.
  { std::ofstream(directory + "/values.yaml/compose.yaml") << "services:\n  a:\n    image: redis:7.2\n"; }
  Inventory inventory = read_inventory_paths({directory});
  ASSERT_EQ(inventory.components.size(), 1u);
  EXPECT_EQ(inventory.components[0].name, "redis");
  EXPECT_EQ(skipped_files(inventory), 4u);
  std::set<std::string> skipped;
  for (const Diagnostic& diagnostic : inventory.diagnostics) {
    if (diagnostic.code == kSkippedFileCode) skipped.insert(diagnostic.range.begin.file + ": " + diagnostic.message);
  }
  EXPECT_EQ(skipped, (std::set<std::string>{
                         directory + "/Dockerfile: file skipped: a FIFO (named pipe), not a regular file",
                         directory + "/compose.json: file skipped: a socket, not a regular file",
                         directory + "/docker-compose.yml: file skipped: a FIFO (named pipe), not a regular file",
                         directory + "/values.yaml: file skipped: a directory, not a file (what is in it is walked)"}));
}

TEST(Walker, ExtractorsRunOnMatchingFiles) {
  auto config = parse_inventory_config(
      "extractors:\n  - glob: 'uprank-versions.env'\n    pattern: '(?m)^(?P<name>[A-Z]+)_VERSION=(?P<version>\\S+)$'\n", "u.yaml");
  ASSERT_TRUE(config.diagnostics.empty());
  ReadOptions options;
  options.extractors = config.extractors;
  Inventory inventory = read_inventory_paths({testing::test_data() + "/repo"}, options);
  const Component* kafka = testing::find(inventory, "KAFKA");
  ASSERT_NE(kafka, nullptr);
  EXPECT_EQ(kafka->location.line, 2);
}


// Everything read, in order: the components as JSON, then each diagnostic.
std::string read_in_order(const std::vector<std::string>& paths, int threads) {
  ReadOptions options{.products = &ProductMap::bundled()};
  options.threads = threads;
  Inventory inventory = read_inventory_paths(paths, options);
  std::string out = inventory_to_json(inventory);
  for (const Diagnostic& diagnostic : inventory.diagnostics) {
    out += "\n" + diagnostic.code + " " + diagnostic.range.begin.to_string() + " " + diagnostic.message;
  }
  return out;
}

// Files are read on several threads and merged in walk order: the inventory, its
// component names (numbered in order when repeated) and its diagnostics are the same
// byte for byte whatever the thread count.
TEST(Walker, SameInventoryWhateverTheThreadCount) {
  namespace fs = std::filesystem;
  std::string directory = ::testing::TempDir() + "/uprank_walker_threads";
  fs::remove_all(directory);
  auto write = [&](const std::string& path, const std::string& text) {
    fs::create_directories(fs::path(directory + "/" + path).parent_path());
    std::ofstream(directory + "/" + path) << text;
  };
  write(".gitignore", "ignored/\n");
  write("ignored/Dockerfile", "FROM must-not-appear:1\n");
  for (int i = 0; i < 40; ++i) {
    std::string service = "svc" + std::to_string(i);
    std::string version = std::to_string(1 + i % 3) + ".2" + std::to_string(i % 5);
    write(service + "/Dockerfile", "FROM nginx:" + version + "\nFROM redis:7.2.3\n");  // same names: numbered in order
    write(service + "/docker-compose.yml", i % 7 == 3 ? "services:\n  web:\n    image: [unclosed\n"
                                                      : "services:\n  app:\n    image: postgres:16." + std::to_string(i) + "\n");
    write(service + "/notes.yaml", "a: 1\n");  // skipped, with a note
    write(service + "/infra/main.tf", "module \"x\" {\n  source = \"git::https://example.com/m.git?ref=v1." + std::to_string(i) +
                                          ".0\"\n}\nresource \"kubernetes_pod\" \"p\" {\n  spec {\n    container {\n"
                                          "      image = var.image\n    }\n  }\n}\n");
    write(service + "/infra/variables.tf", "variable \"image\" {\n  default = \"busybox:1." + std::to_string(30 + i) + "\"\n}\n");
    write(service + "/infra/empty.tf", "# nothing pinned\n");
  }
  fs::create_directory_symlink(directory + "/svc0", directory + "/svc-link");  // noted, not followed
  const std::vector<std::string> paths = {directory, testing::test_data() + "/repo", testing::fixtures() + "/infra"};
  const std::string one = read_in_order(paths, 1);
  EXPECT_NE(one.find("uprank.inventory.syntax"), std::string::npos);
  EXPECT_NE(one.find("busybox"), std::string::npos);
  EXPECT_EQ(one.find("must-not-appear"), std::string::npos);
  for (int threads : {2, 3, 8}) EXPECT_EQ(read_in_order(paths, threads), one) << threads << " threads";
}

}  // namespace
}  // namespace uprank::inventory
