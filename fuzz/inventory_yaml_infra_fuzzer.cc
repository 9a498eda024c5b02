// Fuzzes the compose, Kubernetes, Helm, GitHub Actions, kustomize and GitLab CI readers (first byte picks one): any input must give components or diagnostics, never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>

#include "engine/inventory/readers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (text.empty()) return 0;
  using uprank::inventory::Format;
  static constexpr Format kFormats[] = {Format::kCompose, Format::kKubernetes, Format::kHelmChart, Format::kHelmValues,
                                        Format::kGithubActions, Format::kKustomize, Format::kGitlabCi};
  Format format = kFormats[static_cast<unsigned char>(text[0]) % std::size(kFormats)];
  (void)uprank::inventory::read_text(format, text.substr(1), "fuzz.yaml");
  return 0;
}
