#include "engine/report/fingerprint.h"

#include <openssl/evp.h>

#include <algorithm>
#include <filesystem>

#include "engine/inventory/product_map.h"
#include "engine/report/report.h"

namespace uprank::report {
namespace fs = std::filesystem;

std::string finding_fingerprint(std::string_view rule, std::string_view file, std::string_view identity_key) {
  // Length-prefixed parts: "a" + "bc" and "ab" + "c" must not hash alike.
  std::string encoded;
  auto add = [&encoded](std::string_view part) {
    encoded += std::to_string(part.size());
    encoded += ':';
    encoded += part;
  };
  add(rule);
  add(file);
  add(identity_key);

  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(encoded.data(), encoded.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < 16 && i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

std::string fingerprint_identity(const inventory::Component& component) {
  std::vector<std::string> keys = inventory::identity_keys(component);
  if (!keys.empty()) return keys.front();
  return "name:" + (component.identity.label.empty() ? component.name : component.identity.label);
}

std::string repository_relative_path(std::string_view file, std::string_view root) {
  if (file.empty()) return "";
  std::error_code error;
  fs::path absolute_file = fs::absolute(fs::path(file), error).lexically_normal();
  fs::path absolute_root = fs::absolute(fs::path(root.empty() ? "." : root), error).lexically_normal();
  if (error) return fs::path(file).lexically_normal().generic_string();
  fs::path relative = absolute_file.lexically_relative(absolute_root);
  if (relative.empty() || *relative.begin() == "..") return absolute_file.generic_string();
  return relative.generic_string();
}

std::string find_repository_root(std::string_view path) {
  std::error_code error;
  fs::path start = fs::absolute(fs::path(path.empty() ? "." : path), error).lexically_normal();
  if (!start.has_filename() && start.has_parent_path()) start = start.parent_path();  // "dir/" -> "dir"
  for (fs::path directory = start; !directory.empty(); directory = directory.parent_path()) {
    if (fs::exists(directory / ".git", error)) return directory.generic_string();
    if (directory == directory.root_path()) break;
  }
  return (fs::is_directory(start, error) ? start : start.parent_path()).generic_string();
}

bool in_scope(std::string_view file, std::string_view scope) {
  if (scope.empty() || scope == ".") return true;
  if (file.size() < scope.size() || file.compare(0, scope.size(), scope) != 0) return false;
  return file.size() == scope.size() || file[scope.size()] == '/' || scope.back() == '/';
}

void set_repository_paths(inventory::Inventory& inventory, std::string_view root) {
  for (inventory::Component& component : inventory.components) {
    component.repository_path = repository_relative_path(component.location.file, root);
  }
}

SourceLocation repository_location(const inventory::Component& component) {
  SourceLocation location = component.location;
  if (!component.repository_path.empty()) location.file = component.repository_path;
  return location;
}

std::string fingerprint_of(const evaluator::Finding& finding, const inventory::Inventory& inventory, std::string_view root) {
  return fingerprint_of(finding, inventory, root, finding.rule());
}

std::string fingerprint_of(const evaluator::Finding& finding, const inventory::Inventory& inventory, std::string_view root,
                           std::string_view rule) {
  std::string file;
  std::string identity;
  if (!finding.components.empty() && finding.components.front() < inventory.components.size()) {
    const inventory::Component& subject = inventory.components[finding.components.front()];
    // set_repository_paths() has said where the file is in the repository; a caller that
    // did not gets the file made relative to `root` here.
    file = !subject.repository_path.empty() ? subject.repository_path : repository_relative_path(subject.location.file, root);
    identity = fingerprint_identity(subject);
  }
  return finding_fingerprint(rule, file, identity);
}

std::string occurrence_fingerprint(std::string_view first, size_t occurrence) {
  return finding_fingerprint("occurrence", first, "#" + std::to_string(occurrence));
}

std::string finding_fingerprint(const Report& report, const evaluator::Finding& finding) {
  // attach_fingerprints() has numbered repeated pins; use what it set.
  if (!report.findings.empty() && &finding >= report.findings.data() &&
      &finding < report.findings.data() + report.findings.size()) {
    size_t f = static_cast<size_t>(&finding - report.findings.data());
    if (f < report.states.size()) return report.states[f].fingerprint;
  }
  return fingerprint_of(finding, *report.inventory, report.repository_root.empty() ? "." : report.repository_root);
}

}  // namespace uprank::report
