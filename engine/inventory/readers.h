// Inventory readers: turn files into components with provenance, reporting bad input as
// diagnostics that name the file, line and problem.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/inventory/component.h"
#include "engine/inventory/extractors.h"
#include "engine/inventory/identity.h"
#include "engine/inventory/product_map.h"

namespace uprank::inventory {

// Every input format a reader understands.
enum class Format {
  kNative,            // uprank's own YAML/JSON inventory (docs/inventory.md)
  kCycloneDx,         // CycloneDX JSON 1.2-1.6
  kSpdx,              // SPDX 2.2/2.3 JSON
  kDpkgStatus,        // /var/lib/dpkg/status
  kDockerfile,        // FROM lines
  kCompose,           // docker compose services' image:
  kKubernetes,        // manifests: containers, initContainers, CronJobs
  kHelmChart,         // Chart.yaml dependencies
  kHelmValues,        // values.yaml image repository/tag pairs
  kTerraform,         // .tf files of one module (directory)
  kGithubActions,     // .github/workflows/*.yml uses:
  kToolVersions,      // asdf .tool-versions
  kNvmrc,             // .nvmrc
  kPythonVersion,     // .python-version
  kTerraformVersion,  // .terraform-version
  kKustomize,         // kustomization.yaml images: and helmCharts:
  kGitlabCi,          // .gitlab-ci.yml image: and services:
};

// Returns the format named `name` as `--type` spells it ("cyclonedx", "dpkg", ...).
std::optional<Format> parse_format(std::string_view name);
std::string_view format_name(Format format);
// Returns every format name, for help texts.
std::vector<std::string> format_names();

inline constexpr const char* kTypeOptionHint =
    "pass --type (one of native, cyclonedx, spdx, dpkg, dockerfile, compose, kubernetes, helm-chart, helm-values, "
    "terraform, github-actions, tool-versions, nvmrc, python-version, terraform-version, kustomize, gitlab-ci)";

struct ReadOptions {
  size_t max_file_bytes = 64u << 20;  // larger files are refused, not truncated
  // The same bound for CycloneDX and SPDX JSON, which are read streaming (memory follows
  // the components, not the text): 512 MiB reads a 100,000-component SBOM with the
  // metadata syft and cdxgen write (hashes, licenses, properties, external references:
  // about 160 MB) three times over. uprank.yaml `max_sbom_mib`, --max-sbom-mib.
  size_t max_sbom_bytes = size_t{512} << 20;
  int max_depth = 64;                 // nesting limit for YAML/JSON documents
  size_t max_files = 100'000;         // files visited per directory walk
  int max_walk_depth = 32;            // directory levels below each walked root
  size_t max_components = 5'000'000;  // per file; beyond it a file is refused
  std::optional<Format> forced_format;  // --type: read every file PATH as this format
  // The hint for a file whose format cannot be told: a command with --type names that
  // option (kTypeOptionHint); the others only have uprank.yaml's extractors.
  std::string unknown_format_hint =
      "uprank reads it only through an `extractors:` entry in uprank.yaml (docs/inventory.md)";
  // The product identity map applied after reading; nullptr means none (the CLI passes
  // the bundled map merged with uprank.yaml's additions).
  const ProductMap* products = nullptr;
  std::vector<Extractor> extractors;  // user-defined extractors from uprank.yaml
  // The distro of dpkg and distro packages whose input does not state it (`distro:` in
  // uprank.yaml, --distro); wins over os-release files and version inference.
  std::optional<Distro> distro;
  // Threads that read a walked directory's files (0: one per core). The inventory is the
  // same whatever the count: results are merged in walk order.
  int threads = 0;
  // The files git tracks under a walked directory, as paths relative to it, or nullopt
  // when the directory is not in a git work tree (the CLI asks `git ls-files -z`; unset:
  // not asked). A tracked file is read whatever .gitignore says: gitignore(5), "Files
  // already tracked by Git are not affected".
  std::function<std::optional<std::vector<std::string>>(const std::string& directory)> tracked_files;
  // A file given by path whose kind cannot be told is a skipped-file note, not an error
  // (`report --skip-unknown`, which the pre-commit hook passes).
  bool unknown_format_skipped = false;
  // Called by the CycloneDX and SPDX readers as they stream the text: nothing reads the
  // text before `offset` again, so its owner may release that memory (read_inventory_paths
  // does for a large SBOM). Unset: not called.
  std::function<void(size_t offset)> text_read_before;
};

// Detects the format of a file from its path and the first bytes of its content;
// nullopt when the file is not an inventory input.
std::optional<Format> detect_format(std::string_view path, std::string_view head);

// Returns what about a file's first bytes uprank cannot read, and what to do, or nullopt:
// UTF-16 or UTF-32 text (by byte order mark, or NULs between ASCII characters), CycloneDX
// XML, SPDX RDF/XML or tag-value. Reported as uprank.inventory.unsupported_format naming
// the file, before format detection would call it merely unknown.
std::optional<std::string> unsupported_input(std::string_view path, std::string_view head);

// Reads one text in `format`, attributing components and errors to `path`. Items with
// errors are skipped and each problem is added to the result's diagnostics. Terraform
// text read this way sees only its own variables; directories read whole modules.
Inventory read_text(Format format, std::string_view text, const std::string& path, const ReadOptions& options = {});

// Reads a native uprank inventory (YAML or JSON; see docs/inventory.md) from `text`.
Inventory read_native_inventory(std::string_view text, const std::string& path, const ReadOptions& options = {});
Inventory read_cyclonedx(std::string_view text, const std::string& path, const ReadOptions& options = {});
Inventory read_spdx(std::string_view text, const std::string& path, const ReadOptions& options = {});
// Reads installed packages only (Status: ... installed), with source package and
// architecture as attributes and scheme `deb`.
Inventory read_dpkg_status(std::string_view text, const std::string& path, const ReadOptions& options = {});
Inventory read_dockerfile(std::string_view text, const std::string& path, const ReadOptions& options = {});
Inventory read_compose(std::string_view text, const std::string& path, const ReadOptions& options = {});
Inventory read_kubernetes(std::string_view text, const std::string& path, const ReadOptions& options = {});
Inventory read_helm_chart(std::string_view text, const std::string& path, const ReadOptions& options = {});
Inventory read_helm_values(std::string_view text, const std::string& path, const ReadOptions& options = {});
Inventory read_github_actions(std::string_view text, const std::string& path, const ReadOptions& options = {});
Inventory read_kustomize(std::string_view text, const std::string& path, const ReadOptions& options = {});
Inventory read_gitlab_ci(std::string_view text, const std::string& path, const ReadOptions& options = {});
// Returns whether a path names a GitLab CI file as Renovate's gitlabci manager finds them
// (a name ending in .gitlab-ci.yml or .gitlab-ci.yaml) or as GitLab projects keep
// included CI files (YAML under .gitlab/ci/).
bool is_gitlab_ci_path(std::string_view path);
Inventory read_version_file(Format format, std::string_view text, const std::string& path,
                            const ReadOptions& options = {});

// One Terraform file of a module, as read from disk.
struct TerraformFile {
  std::string path;
  std::string text;
};
// Reads the .tf files of one module together, so that `var.x` references resolve to
// the defaults of variables declared in any of them.
Inventory read_terraform_module(const std::vector<TerraformFile>& files, const ReadOptions& options = {});

// Reads every path: a file in its detected (or forced) format, a directory walked as an
// infrastructure repository (.gitignore respected; SBOMs and inventories in it read
// too). Appends all components and diagnostics; a file that cannot be read adds an
// error and the rest go on. Then applies options.products and options.extractors, makes
// names unique and parses each version in its scheme.
Inventory read_inventory_paths(const std::vector<std::string>& paths, const ReadOptions& options = {});

// The code of the note that every file opened and skipped gets ("file skipped: <reason>",
// at the file with line 0): one per file, so callers can count and explain them.
inline constexpr std::string_view kSkippedFileCode = "uprank.inventory.skipped";

// Component attribute: other lines of the component's own file that write its version,
// comma-separated ("1,3": the global ARG lines whose defaults a Dockerfile FROM reads).
// --changed-since counts an edit on one of them as an edit of the pin.
inline constexpr std::string_view kVersionLinesAttribute = "version.lines";
// Returns how many files `inventory`'s reading opened and skipped.
size_t skipped_files(const Inventory& inventory);

// Appends `more` to `into`.
void merge_inventory(Inventory& into, Inventory&& more);

}  // namespace uprank::inventory
