// Pin extraction at Renovate's level (issue 12, item 5): one test per kind of pin, each on
// a small example written for it, with the line and column that pins the version.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "engine/inventory/compose_env.h"
#include "engine/inventory/extractors.h"
#include "engine/inventory/readers.h"
#include "test_util.h"
#include "tests/test_folder.h"

namespace uprank::inventory {
namespace {

using testing::find;
using testing::has_code;
using testing::names;


// ---- GitHub Actions ---------------------------------------------------------------------

TEST(ActionsExtraction, ShaPinsTakeTheVersionFromEveryCommentStyle) {
  const std::string sha = "1e204e9a9253d643386038d443f96446fa156a97";
  std::string text = "jobs:\n  build:\n    steps:\n"
                     "      - uses: o/a@" + sha + " # tag=v3.1.1\n"
                     "      - uses: o/b@" + sha + " # renovate: tag=v2\n"
                     "      - uses: o/c@" + sha + " # pin @v1\n"
                     "      - uses: o/d@" + sha + " # v4.2.0 (latest)\n"
                     "      - uses: o/e@1e204e # v2.1.0\n"
                     "      - uses: o/f@" + sha + " # ratchet:o/f@v5.0.1\n"
                     "      - uses: o/g@" + sha + " # a comment that names no version\n"
                     "      - uses: \"o/h@" + sha + "\" # v6\n";
  Inventory inventory = read_github_actions(text, "w.yml");
  EXPECT_EQ(names(inventory), (std::vector<std::string>{"o/a v3.1.1", "o/b v2", "o/c v1", "o/d v4.2.0", "o/e v2.1.0",
                                                         "o/f v5.0.1", "o/g " + sha, "o/h v6"}));
  EXPECT_EQ(inventory.components[4].attributes.at("pinned"), "short-sha");
  EXPECT_EQ(inventory.components[0].attributes.at("version.from"), "comment");
  EXPECT_EQ(inventory.components[0].location, (SourceLocation{"w.yml", 4, 15}));
  EXPECT_EQ(inventory.components[6].attributes.count("version.from"), 0u);
}

TEST(ActionsExtraction, ServiceAndContainerGivenAsPlainStrings) {
  Inventory inventory = read_github_actions(
      "jobs:\n  test:\n    container: node:20.11.1\n    services:\n      db: postgres:15.4\n      cache:\n        image: redis:7.2\n",
      "w.yml");
  EXPECT_EQ(names(inventory), (std::vector<std::string>{"node 20.11.1", "postgres 15.4", "redis 7.2"}));
  EXPECT_EQ(find(inventory, "postgres")->location, (SourceLocation{"w.yml", 5, 11}));
  EXPECT_EQ(find(inventory, "postgres")->attributes.at("service"), "db");
}

TEST(ActionsExtraction, SetupActionInputsPinRuntimes) {
  std::string text =
      "jobs:\n  build:\n    steps:\n"
      "      - uses: actions/setup-node@v4\n        with:\n          node-version: 16\n"
      "      - uses: actions/setup-python@v5\n        with:\n          python-version: \"3.8\"\n"
      "      - uses: actions/setup-go@v5\n        with:\n          go-version: 1.21.5\n"
      "      - uses: actions/setup-java@v4\n        with:\n          distribution: temurin\n          java-version: 17\n"
      "      - uses: actions/setup-node@v4\n        with:\n          node-version: ${{ matrix.node }}\n";
  ReadOptions options;
  options.products = &ProductMap::bundled();
  Inventory inventory = read_text(Format::kGithubActions, text, "w.yml", options);
  options.products->apply(inventory);
  std::vector<const Component*> tools;
  for (const Component& component : inventory.components) {
    if (component.kind == "tool") tools.push_back(&component);
  }
  ASSERT_EQ(tools.size(), 4u);
  EXPECT_EQ(tools[0]->product, "nodejs");
  EXPECT_EQ(tools[0]->cycle, "16");
  EXPECT_EQ(tools[0]->location, (SourceLocation{"w.yml", 6, 25}));
  EXPECT_EQ(tools[1]->product, "python");
  EXPECT_EQ(tools[1]->cycle, "3.8");
  EXPECT_EQ(tools[2]->product, "go");
  EXPECT_EQ(tools[2]->version_text, "1.21.5");
  EXPECT_EQ(tools[3]->name, "java");
  EXPECT_EQ(tools[3]->product, "eclipse-temurin");  // the distribution decides the product
  EXPECT_EQ(tools[3]->cycle, "17");
  EXPECT_TRUE(has_code(inventory, "uprank.inventory.unresolved"));  // matrix expression
}

TEST(ActionsExtraction, RunnerLabelsPinOperatingSystems) {
  std::string text = "jobs:\n"
                     "  a:\n    runs-on: ubuntu-20.04\n"
                     "  b:\n    runs-on: [self-hosted, windows-2019]\n"
                     "  c:\n    runs-on:\n      labels: macos-12\n"
                     "  d:\n    runs-on: ubuntu-latest\n"
                     "  e:\n    runs-on: ubuntu-24.04-arm\n"
                     "  f:\n    runs-on: [windows-2022]\n";
  Inventory inventory = read_github_actions(text, "w.yml");
  ProductMap::bundled().apply(inventory);
  ASSERT_EQ(inventory.components.size(), 4u);
  EXPECT_EQ(inventory.components[0].attributes.at("runner"), "ubuntu-20.04");
  EXPECT_EQ(inventory.components[0].location, (SourceLocation{"w.yml", 3, 14}));
  // b: GitHub runs a job on a runner with every listed label; a hosted runner has one
  // image label and never "self-hosted": the owner's own machine, not a hosted image.
  EXPECT_TRUE(has_code(inventory, "uprank.actions.self_hosted_runner"));
  EXPECT_EQ(inventory.components[1].attributes.at("runner"), "macos-12");
  EXPECT_EQ(inventory.components[2].attributes.at("runner"), "ubuntu-24.04-arm");
  EXPECT_EQ(inventory.components[3].attributes.at("runner"), "windows-2022");  // a one-label list
  EXPECT_TRUE(has_code(inventory, "uprank.actions.floating_runner"));  // ubuntu-latest is not a pin
}

// A matrix is the usual way a workflow pins runners and toolchains: each literal value
// the job reads is a pin, at the matrix line that writes it.
TEST(ActionsExtraction, MatrixValuesExpandIntoOnePinEach) {
  std::string text =
      "jobs:\n"                                         // 1
      "  test:\n"                                       // 2
      "    strategy:\n"                                 // 3
      "      matrix:\n"                                 // 4
      "        node: [14, 16, 20]\n"                    // 5
      "        os: [ubuntu-20.04, windows-2019]\n"      // 6
      "        pg: ['13']\n"                            // 7
      "        include:\n"                              // 8
      "          - os: macos-12\n"                      // 9
      "            node: 18\n"                          // 10
      "          - node: 16\n"                          // 11: repeats a listed value
      "        exclude:\n"                              // 12
      "          - {os: windows-2019, node: 14}\n"      // 13
      "    runs-on: ${{ matrix.os }}\n"                 // 14
      "    container: node:${{ matrix.node }}-alpine\n"  // 15
      "    services:\n"                                 // 16
      "      db: {image: 'postgres:${{ matrix.pg }}'}\n"  // 17
      "    steps:\n"                                    // 18
      "      - uses: actions/setup-node@v4\n"           // 19
      "        with:\n"                                 // 20
      "          node-version: ${{ matrix.node }}\n"    // 21
      "      - uses: actions/setup-python@v5\n"         // 22
      "        with:\n"                                 // 23
      "          python-version: ${{ matrix.python }}\n"  // 24: no such matrix key
      "  dyn:\n"                                        // 25
      "    strategy:\n"                                 // 26
      "      matrix: ${{ fromJSON(needs.plan.outputs.matrix) }}\n"  // 27
      "    runs-on: ${{ matrix.os }}\n";                // 28
  Inventory inventory = read_github_actions(text, "w.yml");
  std::vector<std::string> runners, containers, nodes, services;
  for (const Component& component : inventory.components) {
    if (component.kind == "github-runner") runners.push_back(component.attributes.at("runner"));
    if (component.kind == "container-image" && component.attributes.count("service")) services.push_back(component.version_text);
    else if (component.kind == "container-image") containers.push_back(component.attributes.at("image"));
    if (component.kind == "tool") nodes.push_back(component.version_text);
  }
  EXPECT_EQ(runners, (std::vector<std::string>{"ubuntu-20.04", "windows-2019", "macos-12"}));
  EXPECT_EQ(containers, (std::vector<std::string>{"node:14-alpine", "node:16-alpine", "node:20-alpine", "node:18-alpine"}));
  EXPECT_EQ(nodes, (std::vector<std::string>{"14", "16", "20", "18"}));
  EXPECT_EQ(services, (std::vector<std::string>{"13"}));
  // Each pin is where the matrix writes its value.
  for (const Component& component : inventory.components) {
    if (component.kind == "github-runner" && component.attributes.at("runner") == "windows-2019") {
      EXPECT_EQ(component.location, (SourceLocation{"w.yml", 6, 28}));
      EXPECT_EQ(component.attributes.at("matrix"), "os=windows-2019");
    }
    if (component.kind == "tool" && component.version_text == "18") EXPECT_EQ(component.location, (SourceLocation{"w.yml", 10, 19}));
  }
  // What cannot be resolved is a note, each at the expression.
  std::vector<int> unresolved;
  for (const Diagnostic& diagnostic : inventory.diagnostics) {
    if (diagnostic.code == "uprank.inventory.unresolved") unresolved.push_back(diagnostic.range.begin.line);
  }
  EXPECT_EQ(unresolved, (std::vector<int>{24, 28}));
}

// ---- Compose ------------------------------------------------------------------------------

TEST(ComposeExtraction, OldLayoutWithoutServicesKey) {
  Inventory inventory = read_compose("web:\n  image: nginx:1.25.3\ndb:\n  image: \"postgres:15.4\"\n", "docker-compose.yml");
  EXPECT_EQ(names(inventory), (std::vector<std::string>{"nginx 1.25.3", "postgres 15.4"}));
  EXPECT_EQ(inventory.components[1].location, (SourceLocation{"docker-compose.yml", 4, 10}));
}

TEST(ComposeExtraction, ImagesInheritedThroughAnchorsAndMergeKeys) {
  std::string text = "x-img: &img valkey/valkey:8.0\n"
                     "x-base: &base\n  image: redis:7.2.4\n  restart: always\n"
                     "x-more: &more\n  image: memcached:1.6\n"
                     "services:\n"
                     "  cache:\n    <<: *base\n"
                     "  both:\n    <<: [*more, *base]\n"
                     "  own:\n    <<: *base\n    image: redis:6.2\n"
                     "  alias:\n    image: *img\n";
  Inventory inventory = read_compose(text, "compose.yaml");
  // Two redis pins: their names are made unique, as everywhere.
  EXPECT_EQ(names(inventory),
            (std::vector<std::string>{"redis@7.2.4 7.2.4", "memcached 1.6", "redis@6.2 6.2", "valkey/valkey 8.0"}));
  EXPECT_EQ(inventory.components[0].location.line, 3);  // where the anchor's image is written
  EXPECT_EQ(inventory.components[0].attributes.at("service"), "cache");
}

TEST(ComposeExtraction, BuiltImagesAreLocalNotPins) {
  Inventory inventory = read_compose(
      "services:\n  app:\n    build: .\n    image: app-local:dev\n  db:\n    image: postgres:16.1\n", "compose.yaml");
  EXPECT_EQ(names(inventory), (std::vector<std::string>{"postgres 16.1"}));
  ASSERT_TRUE(has_code(inventory, "uprank.compose.local_build"));
}

// Compose interpolation (Compose specification, "Interpolation"; .env syntax from the
// Compose docs' "Variable interpolation" page): the values Compose itself would give.
TEST(ComposeInterpolation, SpecForms) {
  internal::Dotenv env = internal::parse_dotenv(
      "# comment\n\nPG=9.6\nexport TAG=1.25.3\nEMPTY=\nQUOTED=\"16.1\" # after quotes\nLITERAL='$x'\n"
      "INLINE=7.2 # a comment\nHASH=a#b\nnot an assignment\nPG=9.6.24\n");
  EXPECT_EQ(env.at("PG").value, "9.6.24");  // a later line wins
  EXPECT_EQ(env.at("PG").line, 11);
  EXPECT_EQ(env.at("TAG").value, "1.25.3");
  EXPECT_EQ(env.at("EMPTY").value, "");
  EXPECT_EQ(env.at("QUOTED").value, "16.1");
  EXPECT_EQ(env.at("LITERAL").value, "$x");
  EXPECT_EQ(env.at("INLINE").value, "7.2");
  EXPECT_EQ(env.at("HASH").value, "a#b");  // `#` starts a comment only after a space
  EXPECT_EQ(env.size(), 7u);
  auto expand = [&](const std::string& text) {
    bool unresolved = false;
    std::string out = internal::compose_interpolate(text, env, unresolved);
    return unresolved ? "<unresolved>" : out;
  };
  EXPECT_EQ(expand("postgres:${PG:-17.2}"), "postgres:9.6.24");
  EXPECT_EQ(expand("nginx:$TAG"), "nginx:1.25.3");
  EXPECT_EQ(expand("nginx:${TAG}-alpine"), "nginx:1.25.3-alpine");
  EXPECT_EQ(expand("x:${EMPTY:-1}"), "x:1");   // `:-`: unset or empty
  EXPECT_EQ(expand("x:${EMPTY-1}"), "x:");     // `-`: unset only
  EXPECT_EQ(expand("x:${NONE-1}"), "x:1");
  EXPECT_EQ(expand("x:${NONE:-${TAG}}"), "x:1.25.3");  // a default is interpolated too
  EXPECT_EQ(expand("x:${TAG:+on}"), "x:on");
  EXPECT_EQ(expand("x:${NONE:+on}1"), "x:1");
  EXPECT_EQ(expand("x:${EMPTY:?required}"), "<unresolved>");
  EXPECT_EQ(expand("x:${NONE}"), "<unresolved>");
  EXPECT_EQ(expand("x:$NONE"), "<unresolved>");
  EXPECT_EQ(expand("x:${TAG"), "<unresolved>");
  EXPECT_EQ(expand("a$$b"), "a$b");
  std::vector<std::string> used;
  bool unresolved = false;
  internal::compose_interpolate("${TAG}-${PG}-${TAG}-${NONE:-x}", env, unresolved, &used);
  EXPECT_EQ(used, (std::vector<std::string>{"TAG", "PG"}));
}

// The `.env` beside a compose file sets its variables, as `docker compose` reads it from
// the project directory: the image runs 9.6 (past its end of life), not the default 17.2.
TEST(ComposeExtraction, ProjectDotenvSetsVariables) {
  test_support::TestFolder folder("uprank-compose-env");
  std::string compose = (folder.path() / "compose.yaml").string();
  std::ofstream(folder.path() / ".env") << "# versions\nPG=9.6\n";
  Inventory inventory = read_compose("services:\n  db:\n    image: postgres:${PG:-17.2}\n  cache:\n    image: redis:${R:-7.2}\n",
                                     compose);
  ASSERT_EQ(inventory.components.size(), 2u);
  EXPECT_EQ(inventory.components[0].version_text, "9.6");
  EXPECT_EQ(inventory.components[0].attributes.at("compose.env"), "PG=9.6 (.env:2)");
  EXPECT_EQ(inventory.components[0].attributes.at("written"), "postgres:${PG:-17.2}");
  EXPECT_EQ(inventory.components[0].location, (SourceLocation{compose, 3, 12}));
  EXPECT_EQ(inventory.components[1].version_text, "7.2");
  EXPECT_EQ(inventory.components[1].attributes.count("compose.env"), 0u);
  // Without a .env, the default applies.
  Inventory elsewhere = read_compose("services:\n  db:\n    image: postgres:${PG:-17.2}\n", "nowhere/compose.yaml");
  ASSERT_EQ(elsewhere.components.size(), 1u);
  EXPECT_EQ(elsewhere.components[0].version_text, "17.2");
}

// A key given twice in a mapping: YAML requires unique keys (YAML 1.2.2 §3.2.1.1) and
// kubectl and docker compose refuse the file, so it is a warning at the second key that
// names the first; merge keys may repeat. Large mappings are checked too.
TEST(YamlDuplicateKeys, WarnedAtTheSecondKey) {
  Inventory manifest = read_kubernetes(
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: nginx:1.14\n"
      "      image: nginx:1.27\n",
      "pod.yaml");
  std::vector<const Diagnostic*> warnings;
  for (const Diagnostic& d : manifest.diagnostics) {
    if (d.code == "uprank.inventory.duplicate_key") warnings.push_back(&d);
  }
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0]->severity, Severity::kWarning);
  EXPECT_EQ(warnings[0]->range.begin, (SourceLocation{"pod.yaml", 9, 7}));
  EXPECT_NE(warnings[0]->message.find("'image' (first at line 8)"), std::string::npos) << warnings[0]->message;
  EXPECT_EQ(manifest.components.back().version_text, "1.14");  // the first is read

  std::string many = "services:\n";
  for (int i = 0; i < 40; ++i) many += "  s" + std::to_string(i) + ":\n    image: redis:7.2\n";
  many += "  s7:\n    image: redis:6.0\n";
  many += "x-a: &a\n  restart: always\nx-b: &b\n  init: true\nx-m:\n  <<: *a\n  <<: *b\n";
  Inventory compose = read_compose(many, "compose.yaml");
  size_t count = 0;
  for (const Diagnostic& d : compose.diagnostics) {
    if (d.code != "uprank.inventory.duplicate_key") continue;
    ++count;
    EXPECT_EQ(d.range.begin.line, 82);
    EXPECT_NE(d.message.find("'s7' (first at line 16)"), std::string::npos) << d.message;
  }
  EXPECT_EQ(count, 1u);
}

// A Kubernetes manifest written in JSON is read like its YAML form, with lines and columns.
TEST(KubernetesExtraction, JsonManifest) {
  Inventory inventory = read_kubernetes(
      "{\n  \"apiVersion\": \"batch/v1beta1\",\n  \"kind\": \"CronJob\",\n  \"metadata\": {\"name\": \"nightly\"},\n"
      "  \"spec\": {\"jobTemplate\": {\"spec\": {\"template\": {\"spec\": {\"containers\": [\n"
      "    {\"name\": \"run\", \"image\": \"python:3.7-slim\"}]}}}}}\n}\n",
      "k8s/cron.json");
  std::vector<std::string> got;
  for (const Component& c : inventory.components) got.push_back(c.kind + " " + c.name + " " + c.version_text + " @" + std::to_string(c.location.line));
  EXPECT_EQ(got, (std::vector<std::string>{"kubernetes-api batch/v1beta1 CronJob batch/v1beta1 @2",
                                           "container-image python 3.7-slim @6"}));
}

// ---- Dockerfile ---------------------------------------------------------------------------

TEST(DockerfileExtraction, EmptyArgDefaultExpandsToNothing) {
  Inventory inventory = read_dockerfile("ARG SUFFIX=\nFROM nginx:1.25${SUFFIX}\n", "Dockerfile");
  ASSERT_EQ(inventory.components.size(), 1u);
  EXPECT_EQ(inventory.components[0].version_text, "1.25");
  EXPECT_EQ(inventory.components[0].location, (SourceLocation{"Dockerfile", 2, 6}));
}

TEST(DockerfileExtraction, QuotedDefaultInsideArgDefault) {
  Inventory inventory = read_dockerfile("ARG V=${V:-\"1.2\"}\nFROM busybox:${V}\n", "Dockerfile");
  ASSERT_EQ(inventory.components.size(), 1u);
  EXPECT_EQ(inventory.components[0].version_text, "1.2");
}

TEST(DockerfileExtraction, ByteOrderMarkIsNotPartOfTheFirstInstruction) {
  Inventory inventory = read_text(Format::kDockerfile, "\xEF\xBB\xBF" "FROM alpine:3.19\n", "Dockerfile");
  ASSERT_EQ(inventory.components.size(), 1u);
  EXPECT_EQ(inventory.components[0].location, (SourceLocation{"Dockerfile", 1, 6}));
}

TEST(DockerfileExtraction, EscapeDirectiveMakesBacktickTheContinuation) {
  Inventory inventory = read_dockerfile("# escape=`\nFROM `\n  mcr.microsoft.com/windows/servercore:ltsc2022 AS base\n"
                                        "RUN dir c:\\\n",
                                        "Dockerfile");
  ASSERT_EQ(inventory.components.size(), 1u);
  EXPECT_EQ(inventory.components[0].name, "mcr.microsoft.com/windows/servercore");
  EXPECT_EQ(inventory.components[0].attributes.at("stage"), "base");
  EXPECT_EQ(inventory.components[0].location, (SourceLocation{"Dockerfile", 3, 3}));
}

TEST(DockerfileExtraction, SyntaxDirectiveImageIsAPin) {
  Inventory inventory = read_dockerfile("# syntax=docker/dockerfile:1.6\nFROM alpine:3.19\n", "Dockerfile");
  ASSERT_EQ(inventory.components.size(), 2u);
  EXPECT_EQ(inventory.components[0].name, "docker/dockerfile");
  EXPECT_EQ(inventory.components[0].version_text, "1.6");
  EXPECT_EQ(inventory.components[0].attributes.at("stage"), "syntax");
  EXPECT_EQ(inventory.components[0].location, (SourceLocation{"Dockerfile", 1, 10}));
  // A directive only counts at the top: after an instruction it is a comment.
  EXPECT_EQ(read_dockerfile("FROM alpine:3.19\n# syntax=docker/dockerfile:1.6\n", "Dockerfile").components.size(), 1u);
}

TEST(DockerfileExtraction, LocalBuildStagesAreNotPins) {
  Inventory inventory = read_dockerfile(
      "FROM golang:1.22 AS Build\nFROM build AS test\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=test /a /a\n",
      "Dockerfile");
  EXPECT_EQ(names(inventory), (std::vector<std::string>{"golang 1.22", "gcr.io/distroless/static nonroot"}));
}

// ---- .tool-versions ------------------------------------------------------------------------

TEST(ToolVersionsExtraction, FlavoursAndChannelsAroundTheRelease) {
  Inventory inventory = read_version_file(Format::kToolVersions,
                                          "java temurin-17.0.9+9\nhugo extended_0.121.0\nflutter 3.16.0-stable\n"
                                          "java corretto-21.0.1.12.1\n",
                                          ".tool-versions");
  ASSERT_EQ(inventory.components.size(), 4u);
  EXPECT_EQ(inventory.components[0].version_text, "17.0.9+9");
  EXPECT_EQ(inventory.components[0].attributes.at("written"), "temurin-17.0.9+9");
  ProductMap::bundled().apply(inventory);
  EXPECT_EQ(inventory.components[0].attributes.at("flavour"), "temurin");
  EXPECT_EQ(inventory.components[0].product, "eclipse-temurin");
  EXPECT_EQ(inventory.components[0].cycle, "17");
  EXPECT_EQ(inventory.components[0].location, (SourceLocation{".tool-versions", 1, 6}));
  EXPECT_EQ(inventory.components[1].version_text, "0.121.0");
  EXPECT_EQ(inventory.components[1].attributes.at("flavour"), "extended");
  EXPECT_EQ(inventory.components[2].version_text, "3.16.0");
  EXPECT_EQ(inventory.components[2].attributes.at("channel"), "stable");
  EXPECT_EQ(inventory.components[3].product, "amazon-corretto");
}

// ---- Helm values -----------------------------------------------------------------------------

TEST(HelmValuesExtraction, TagWithDigest) {
  Inventory inventory = read_helm_values(
      "image:\n  repository: bitnami/redis\n  tag: 7.2.4@sha256:" + std::string(64, 'a') + "\n", "values.yaml");
  ASSERT_EQ(inventory.components.size(), 1u);
  EXPECT_EQ(inventory.components[0].version_text, "7.2.4");
  EXPECT_EQ(inventory.components[0].attributes.at("digest"), "sha256:" + std::string(64, 'a'));
  EXPECT_EQ(inventory.components[0].location, (SourceLocation{"values.yaml", 3, 8}));
}

TEST(HelmValuesExtraction, RepositoryWithVersion) {
  Inventory inventory = read_helm_values("coreImage:\n  registry: docker.io\n  repository: bitnami/harbor-core\n"
                                         "  version: 2.1.3\nchart:\n  repository: https://charts.example\n  version: 1.0.0\n",
                                         "values.yaml");
  EXPECT_EQ(names(inventory), (std::vector<std::string>{"bitnami/harbor-core 2.1.3"}));  // only under an *image key
  EXPECT_EQ(inventory.components[0].location.line, 4);
}

TEST(HelmValuesExtraction, ImageStringsUnderKeysEndingInImage) {
  Inventory inventory = read_helm_values(
      "sidecarImage: envoyproxy/envoy:v1.29.1\nbackup:\n  initImage: busybox:1.36\npullPolicyName: Always\n", "values.yaml");
  EXPECT_EQ(names(inventory), (std::vector<std::string>{"envoyproxy/envoy v1.29.1", "busybox 1.36"}));
  EXPECT_EQ(inventory.components[0].location, (SourceLocation{"values.yaml", 1, 15}));
}

// ---- Kubernetes ---------------------------------------------------------------------------------

TEST(KubernetesExtraction, ImageVolumesAndEphemeralContainers) {
  Inventory inventory = read_kubernetes("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n"
                                        "  ephemeralContainers:\n  - name: debug\n    image: busybox:1.36\n"
                                        "  initContainers:\n  - name: init\n    image: alpine:3.19\n"
                                        "  volumes:\n  - name: models\n    image:\n      reference: quay.io/org/models:v2\n",
                                        "pod.yaml");
  // Only the images: the resource's API component is tested in infra_test.cc.
  std::erase_if(inventory.components, [](const Component& c) { return c.kind == "kubernetes-api"; });
  EXPECT_EQ(names(inventory), (std::vector<std::string>{"alpine 3.19", "busybox 1.36", "quay.io/org/models v2"}));
  EXPECT_EQ(find(inventory, "quay.io/org/models")->location, (SourceLocation{"pod.yaml", 15, 18}));
  EXPECT_EQ(find(inventory, "quay.io/org/models")->attributes.at("volume"), "models");
}

TEST(KubernetesExtraction, ImagesAnywhereInCustomResources) {
  Inventory inventory = read_kubernetes("apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: db\n"
                                        "  annotations:\n    image: not/this:1\nspec:\n  imageName: ignored:1\n"
                                        "  image: ghcr.io/cloudnative-pg/postgresql:16.1\n"
                                        "  backup:\n    tools:\n    - image: amazon/aws-cli:2.15.0\n"
                                        "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  image: nginx:1\n",
                                        "cr.yaml");
  // Only the images: the resource's API component is tested in infra_test.cc.
  std::erase_if(inventory.components, [](const Component& c) { return c.kind == "kubernetes-api"; });
  EXPECT_EQ(names(inventory), (std::vector<std::string>{"ghcr.io/cloudnative-pg/postgresql 16.1", "amazon/aws-cli 2.15.0"}));
  EXPECT_EQ(inventory.components[1].attributes.at("field"), "spec.backup.tools[0].image");
  EXPECT_EQ(inventory.components[0].location, (SourceLocation{"cr.yaml", 9, 10}));
}

// ---- Terraform ------------------------------------------------------------------------------------

Inventory terraform(const std::string& text) { return read_terraform_module({TerraformFile{"main.tf", text}}); }

TEST(TerraformExtraction, GitModuleSourcesPinTheirRef) {
  Inventory inventory = terraform(
      "module \"vpc\" {\n  source = \"git::https://github.com/org/tf-vpc.git//modules/vpc?ref=v1.2.3\"\n}\n"
      "module \"dns\" {\n  source = \"github.com/org/tf-dns?ref=v0.4.0\"\n}\n"
      "module \"eks\" {\n  source  = \"terraform-aws-modules/eks/aws\"\n  version = \"20.8.4\"\n}\n"
      "module \"loose\" {\n  source = \"git::https://example.com/org/x.git\"\n}\n");
  EXPECT_EQ(names(inventory), (std::vector<std::string>{"github.com/org/tf-vpc v1.2.3", "github.com/org/tf-dns v0.4.0",
                                                         "terraform-aws-modules/eks/aws 20.8.4"}));
  EXPECT_EQ(inventory.components[0].attributes.at("subdirectory"), "modules/vpc");
  EXPECT_EQ(inventory.components[0].location, (SourceLocation{"main.tf", 2, 69}));  // at "v1.2.3"
  EXPECT_TRUE(has_code(inventory, "uprank.terraform.floating_module"));
}

TEST(TerraformExtraction, DockerAndKubernetesResourceImages) {
  Inventory inventory = terraform(
      "resource \"docker_image\" \"web\" {\n  name = \"nginx:1.25.3\"\n}\n"
      "resource \"docker_container\" \"db\" {\n  name  = \"db\"\n  image = \"postgres:15.4\"\n}\n"
      "resource \"kubernetes_deployment\" \"app\" {\n  spec {\n    template {\n      spec {\n"
      "        init_container {\n          image = \"busybox:1.36\"\n        }\n"
      "        container {\n          image = \"redis:7.2\"\n        }\n      }\n    }\n  }\n}\n");
  EXPECT_EQ(names(inventory), (std::vector<std::string>{"nginx 1.25.3", "postgres 15.4", "busybox 1.36", "redis 7.2"}));
  EXPECT_EQ(inventory.components[3].attributes.at("terraform.resource"), "kubernetes_deployment");
  EXPECT_EQ(inventory.components[1].location, (SourceLocation{"main.tf", 6, 11}));
}

TEST(TerraformExtraction, HelmReleaseChartAndImage) {
  Inventory inventory = terraform(
      "resource \"helm_release\" \"redis\" {\n  repository = \"https://charts.bitnami.com/bitnami\"\n"
      "  chart      = \"redis\"\n  version    = \"18.6.1\"\n"
      "  set {\n    name  = \"image.repository\"\n    value = \"bitnami/redis\"\n  }\n"
      "  set {\n    name  = \"image.tag\"\n    value = \"7.2.4\"\n  }\n}\n"
      "resource \"helm_release\" \"local\" {\n  chart = \"./charts/app\"\n}\n");
  EXPECT_EQ(names(inventory), (std::vector<std::string>{"redis 18.6.1", "bitnami/redis 7.2.4"}));
  EXPECT_EQ(inventory.components[0].kind, "helm-chart");
  ProductMap::bundled().apply(inventory);
  EXPECT_EQ(inventory.components[0].product, "");  // chart 18.6.1 is not Redis 18.6
  EXPECT_EQ(inventory.components[1].product, "redis");  // the image is
  EXPECT_EQ(inventory.components[0].attributes.at("repository"), "https://charts.bitnami.com/bitnami");
  EXPECT_EQ(inventory.components[1].location.line, 11);
  EXPECT_TRUE(has_code(inventory, "uprank.terraform.local_chart"));
}

// ---- Skipped files -----------------------------------------------------------------------------------

// Every file a reader opens and gets nothing from is noted, with the reason, and counted.
TEST(SkippedFiles, EachOpenedFileThatGivesNothingIsNotedWithItsReason) {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / "uprank-skipped-files-test";
  fs::remove_all(root);
  fs::create_directories(root / ".github/workflows");
  auto write = [&](const std::string& relative, const std::string& text) { std::ofstream(root / relative) << text; };
  write("Dockerfile", "RUN echo no FROM here\n");                                  // dockerfile without FROM
  write("docker-compose.yml", "services:\n  app:\n    build: .\n    image: app\n");  // only a local build
  write("values.yaml", "replicaCount: 2\n");                                      // values without images
  write("svc.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n");     // manifest without images: read, it pins its API
  write(".github/workflows/ci.yml", "on: push\n");                                // workflow without jobs
  write("mkdocs.yml", "site_name: x\n");                                          // YAML of no known kind
  write("package.json", "{\"name\": \"x\"}\n");                                   // JSON of no known kind
  write("variables.tf", "variable \"x\" {}\n");                                   // Terraform without pins
  write(".tool-versions", "\n");                                                  // empty version file
  write("ok.Dockerfile", "FROM alpine:3.19\n");
  fs::create_symlink(root / "ok.Dockerfile", root / "link.Dockerfile");
  Inventory inventory = read_inventory_paths({root.string()});
  // ok.Dockerfile's image, and svc.yaml's API (v1 Service): a manifest always pins its API.
  EXPECT_EQ(inventory.components.size(), 2u);
  std::vector<std::string> skipped;
  for (const Diagnostic& diagnostic : inventory.diagnostics) {
    if (diagnostic.code != kSkippedFileCode) continue;
    EXPECT_EQ(diagnostic.severity, Severity::kNote);
    EXPECT_FALSE(diagnostic.message.empty());
    skipped.push_back(fs::path(diagnostic.range.begin.file).lexically_relative(root).string());
  }
  std::sort(skipped.begin(), skipped.end());
  EXPECT_EQ(skipped, (std::vector<std::string>{".github/workflows/ci.yml", ".tool-versions", "Dockerfile", "docker-compose.yml",
                                               "link.Dockerfile", "mkdocs.yml", "package.json", "values.yaml",
                                               "variables.tf"}));
  EXPECT_EQ(skipped_files(inventory), 9u);
  fs::remove_all(root);
}

// uprank.yaml is configuration, not a skipped inventory; .git/info/exclude ignores files
// like .gitignore does; columns count code points, not bytes.
TEST(WalkedFiles, ConfigurationExcludesAndCodePointColumns) {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / "uprank-walked-files-test";
  fs::remove_all(root);
  fs::create_directories(root / ".git/info");
  auto write = [&](const std::string& relative, const std::string& text) { std::ofstream(root / relative) << text; };
  write("uprank.yaml", "params:\n  warn_window: 30d\n");
  write(".git/info/exclude", "scratch/\n");
  fs::create_directories(root / "scratch");
  write("scratch/Dockerfile", "FROM alpine:3.18\n");
  // The same column in bytes on both lines; on the second an é (2 bytes, 1 code point)
  // comes before the image, so it starts one code point earlier.
  write("compose.yaml", "services:\n  ab: {image: \"nginx:1.25.3\"}\n  \xC3\xA9: {image: \"redis:7.2\"}\n");
  Inventory inventory = read_inventory_paths({root.string()});
  EXPECT_EQ(skipped_files(inventory), 0u);
  ASSERT_EQ(inventory.components.size(), 2u);  // scratch/ is excluded
  ASSERT_NE(find(inventory, "nginx"), nullptr);
  ASSERT_NE(find(inventory, "redis"), nullptr);
  EXPECT_EQ(find(inventory, "redis")->location.column, find(inventory, "nginx")->location.column - 1);
  fs::remove_all(root);
}

TEST(DockerfileExtraction, ArgLinesThatWriteTheVersionAreRecorded) {
  Inventory inventory = read_dockerfile("ARG V=1.2\nARG OTHER=x\nARG S=-alpine\nFROM busybox:$V$S\nFROM nginx:${V:-1}\n", "Dockerfile");
  ASSERT_EQ(inventory.components.size(), 2u);
  EXPECT_EQ(inventory.components[0].attributes.at(std::string(kVersionLinesAttribute)), "1,3");
  EXPECT_EQ(inventory.components[1].attributes.at(std::string(kVersionLinesAttribute)), "1");
}

// AWS Lambda runtime identifiers (AWS Lambda developer guide, "Lambda runtimes") name a
// language release: python3.8 is Python 3.8, nodejs14.x Node.js 14, java11 Amazon Corretto
// 11, dotnetcore3.1 .NET Core 3.1; provided.al2 is an OS-only runtime.
TEST(TerraformExtraction, LambdaRuntimesAreLanguageReleases) {
  Inventory inventory = terraform(
      "variable \"runtime\" {\n  default = \"nodejs14.x\"\n}\n"
      "resource \"aws_lambda_function\" \"a\" {\n  runtime = \"python3.8\"\n}\n"
      "resource \"aws_lambda_function\" \"b\" {\n  runtime = var.runtime\n}\n"
      "resource \"aws_lambda_function\" \"c\" {\n  runtime = \"java11\"\n}\n"
      "resource \"aws_lambda_function\" \"d\" {\n  runtime = \"dotnetcore3.1\"\n}\n"
      "resource \"aws_lambda_function\" \"e\" {\n  runtime = \"provided.al2\"\n}\n");
  EXPECT_EQ(names(inventory), (std::vector<std::string>{"python 3.8", "nodejs 14", "java 11", "dotnet 3.1"}));
  ProductMap::bundled().apply(inventory);
  EXPECT_EQ(inventory.components[0].product, "python");
  EXPECT_EQ(inventory.components[0].cycle, "3.8");
  EXPECT_EQ(inventory.components[0].location.line, 5);
  EXPECT_EQ(inventory.components[0].attributes.at("lambda.runtime"), "python3.8");
  EXPECT_EQ(inventory.components[1].product, "nodejs");
  EXPECT_EQ(inventory.components[1].location.line, 2);  // the variable default that pins it
  EXPECT_EQ(inventory.components[2].product, "amazon-corretto");
  EXPECT_EQ(inventory.components[3].product, "dotnet");
  EXPECT_TRUE(has_code(inventory, "uprank.terraform.lambda_runtime"));  // provided.al2
}

// Terraform loads terraform.tfvars, then *.auto.tfvars in lexical order, each assignment
// replacing a variable's default, a later file winning (Terraform docs, "Variable
// Definitions (.tfvars) Files"); other .tfvars are passed with -var-file only.
TEST(TerraformExtraction, AutoLoadedTfvarsOverrideVariableDefaults) {
  Inventory inventory = read_terraform_module({
      TerraformFile{"tf/main.tf", "module \"eks\" {\n  source          = \"terraform-aws-modules/eks/aws\"\n"
                                  "  version         = \"20.0.0\"\n  cluster_version = var.k8s\n}\n"
                                  "resource \"aws_db_instance\" \"db\" {\n  engine         = \"postgres\"\n"
                                  "  engine_version = var.pg\n}\n"
                                  "resource \"aws_elasticache_cluster\" \"r\" {\n  engine         = \"redis\"\n"
                                  "  engine_version = var.redis\n}\n"},
      TerraformFile{"tf/z.auto.tfvars", "pg = \"12.4\"\n"},
      TerraformFile{"tf/a.auto.tfvars", "pg = \"11.22\"\nredis = \"6.2\"\n"},
      TerraformFile{"tf/terraform.tfvars", "k8s = \"1.23\"\npg = \"10.1\"\n"},
      TerraformFile{"tf/variables.tf", "variable \"k8s\" {\n  default = \"1.24\"\n}\nvariable \"pg\" {\n  default = \"13.1\"\n}\n"
                                       "variable \"redis\" {}\n"},
  });
  ASSERT_EQ(inventory.components.size(), 4u) << ::testing::PrintToString(names(inventory));
  EXPECT_EQ(inventory.components[1].version_text, "1.23");
  EXPECT_EQ(inventory.components[1].location, (SourceLocation{"tf/terraform.tfvars", 1, 7}));
  EXPECT_EQ(inventory.components[2].version_text, "12.4");  // z.auto.tfvars is read last
  EXPECT_EQ(inventory.components[2].location.file, "tf/z.auto.tfvars");
  EXPECT_EQ(inventory.components[3].version_text, "6.2");  // a variable without a default
  EXPECT_EQ(detect_format("tf/terraform.tfvars", ""), Format::kTerraform);
  EXPECT_EQ(detect_format("tf/prod.auto.tfvars", ""), Format::kTerraform);
  EXPECT_FALSE(detect_format("tf/prod.tfvars", "").has_value());
}

TEST(TerraformExtraction, QuotedStringEscapesFollowHcl) {
  Inventory inventory = terraform(
      "resource \"docker_image\" \"a\" {\n  name = \"nginx:1.25\\u002e3\"\n}\n");
  ASSERT_EQ(inventory.components.size(), 1u);
  EXPECT_EQ(inventory.components[0].version_text, "1.25.3");  // the escaped code point 2E is '.'
}

TEST(ProductConfig, MistypedProductIsAWarningWithTheClosestKnownOne) {
  InventoryConfig config = parse_inventory_config("products:\n  - product: postgressql\n    images: [my/pg]\n", "uprank.yaml");
  ASSERT_TRUE(has_code(Inventory{{}, {}, config.diagnostics}, "uprank.config.unknown_product"));
  const Diagnostic& warning = config.diagnostics.back();
  EXPECT_EQ(warning.severity, Severity::kWarning);
  EXPECT_EQ(warning.range.begin.line, 2);
  EXPECT_NE(warning.message.find("did you mean 'postgresql'"), std::string::npos) << warning.message;
}

}  // namespace
}  // namespace uprank::inventory
