#include "engine/shard/shard.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "engine/report/fingerprint.h"

namespace uprank::shard {
namespace {

// FNV-1a 64: a hash that is the same on every platform and in every build, unlike
// std::hash, so that each process of a sharded run picks the same partition.
uint64_t fnv1a(std::string_view text, uint64_t hash = 0xcbf29ce484222325ULL) {
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

bool parse_number(std::string_view text, size_t& out) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

}  // namespace

size_t shard_of(const inventory::Component& component, size_t count) {
  return static_cast<size_t>(fnv1a(report::fingerprint_identity(component)) % std::max<size_t>(count, 1));
}

std::vector<bool> subjects_of(const inventory::Inventory& inventory, size_t index, size_t count) {
  std::vector<bool> out(inventory.components.size());
  for (size_t c = 0; c < out.size(); ++c) out[c] = shard_of(inventory.components[c], count) == index;
  return out;
}

Result<std::pair<size_t, size_t>> parse_spec(std::string_view text) {
  size_t slash = text.find('/');
  size_t index = 0, count = 0;
  if (slash == std::string_view::npos || !parse_number(text.substr(0, slash), index) ||
      !parse_number(text.substr(slash + 1), count) || count == 0 || count > 10000 || index >= count) {
    return make_error("uprank.shard.bad_spec", "--shard takes I/N with 0 <= I < N <= 10000 (I counts from 0), not '" +
                                                   std::string(text) + "'");
  }
  return std::make_pair(index, count);
}

std::string identities_hash(const inventory::Inventory& inventory) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (const inventory::Component& component : inventory.components) {
    hash = fnv1a(report::fingerprint_identity(component) + "\n", hash);
  }
  char text[32];
  std::snprintf(text, sizeof text, "fnv1a64:%016llx", static_cast<unsigned long long>(hash));
  return text;
}

}  // namespace uprank::shard
