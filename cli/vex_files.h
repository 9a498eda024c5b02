// Finds and reads the VEX statements a run applies: --vex and uprank.yaml's `vex:` files,
// CycloneDX VEX embedded in the SBOMs read, and VEX documents beside those SBOMs.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/inventory/component.h"
#include "engine/vex/vex.h"

namespace uprank::cli {

// Reads `files` (errors are fatal: a named file must be usable), then for each CycloneDX
// or SPDX file the inventory was read from, its embedded CycloneDX `vulnerabilities[]`
// analyses and the documents beside it named `<sbom>.vex.json` or `<sbom>.openvex.json`
// (the SBOM's file name without its last `.json`: app.cdx.json → app.cdx.vex.json); a
// file found that way and unusable is a warning. Relative component paths are found under
// `repository_root` when given. Prints skipped statements as warnings and, when
// `verbose`, which files were read. Returns null when no statement was found, nullopt
// after an error.
std::optional<std::shared_ptr<const vex::StatementIndex>> load_vex_statements(const std::vector<std::string>& files,
                                                                              const inventory::Inventory& inventory,
                                                                              const std::string& repository_root,
                                                                              bool verbose);

}  // namespace uprank::cli
