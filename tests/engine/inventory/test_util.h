// Helpers shared by the inventory tests: reading files and finding components.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/inventory/component.h"

namespace uprank::inventory::testing {

inline std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

inline std::string fixtures() { return std::string(UPRANK_SHARED_FIXTURES) + "/inventories"; }
inline std::string test_data() { return std::string(UPRANK_SOURCE_DIR) + "/tests/engine/inventory/data"; }

// Returns the first component whose name (or attribute "image") is `name`, or nullptr.
inline const Component* find(const Inventory& inventory, const std::string& name) {
  for (const Component& component : inventory.components) {
    if (component.name == name) return &component;
  }
  return nullptr;
}

inline bool has_code(const Inventory& inventory, const std::string& code) {
  for (const Diagnostic& diagnostic : inventory.diagnostics) {
    if (diagnostic.code == code) return true;
  }
  return false;
}

// "NAME VERSION" of each component, in order.
inline std::vector<std::string> names(const Inventory& inventory) {
  std::vector<std::string> out;
  for (const Component& component : inventory.components) out.push_back(component.name + " " + component.version_text);
  return out;
}

}  // namespace uprank::inventory::testing
