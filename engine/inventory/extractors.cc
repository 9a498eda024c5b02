#include "engine/inventory/extractors.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <unordered_map>

#include <re2/re2.h>

#include "engine/inventory/internal.h"

namespace uprank::inventory {
namespace internal {

// Translates a glob to an RE2 pattern anchored at both ends (see glob_match).
std::string glob_to_regex(std::string_view glob) {
  std::string out;
  bool anchored = glob.find('/') != std::string_view::npos;
  if (!glob.empty() && glob.front() == '/') glob.remove_prefix(1);
  if (!anchored) out += "(?:.*/)?";
  for (size_t i = 0; i < glob.size(); ++i) {
    char c = glob[i];
    if (c == '*') {
      if (i + 1 < glob.size() && glob[i + 1] == '*') {
        bool slash_after = i + 2 < glob.size() && glob[i + 2] == '/';
        bool at_segment_start = i == 0 || glob[i - 1] == '/';
        if (at_segment_start && slash_after) {
          out += "(?:.*/)?";
          i += 2;
        } else {
          out += ".*";
          ++i;
        }
      } else {
        out += "[^/]*";
      }
    } else if (c == '?') {
      out += "[^/]";
    } else if (c == '[') {
      size_t close = glob.find(']', i + 2);
      if (close == std::string_view::npos) {
        out += "\\[";
        continue;
      }
      std::string_view body = glob.substr(i + 1, close - i - 1);
      out += "[";
      if (!body.empty() && (body[0] == '!' || body[0] == '^')) {
        out += "^/";
        body.remove_prefix(1);
      }
      for (char member : body) {
        if (member == '\\' || member == ']' || member == '[' || member == '^') out += '\\';
        out += member;
      }
      out += "]";
      i = close;
    } else if (c == '\\' && i + 1 < glob.size()) {
      out += RE2::QuoteMeta(std::string(1, glob[++i]));
    } else {
      out += RE2::QuoteMeta(std::string(1, c));
    }
  }
  return out;
}

}  // namespace internal

bool glob_match(std::string_view glob, std::string_view path) {
  thread_local std::unordered_map<std::string, std::unique_ptr<RE2>> cache;
  auto it = cache.find(std::string(glob));
  if (it == cache.end()) {
    if (cache.size() > 1024) cache.clear();
    RE2::Options options;
    options.set_log_errors(false);
    auto compiled = std::make_unique<RE2>(internal::glob_to_regex(glob), options);
    it = cache.emplace(std::string(glob), std::move(compiled)).first;
  }
  return it->second->ok() && RE2::FullMatch(re2::StringPiece(path.data(), path.size()), *it->second);
}

namespace {

// Returns where a window of text starting at `from` ends: kExtractorWindowBytes later or
// at the end, moved back to a character boundary so a cut never splits a UTF-8 sequence.
size_t window_end(std::string_view text, size_t from) {
  size_t end = std::min(text.size(), from + kExtractorWindowBytes);
  while (end > from && end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return end;
}

// Calls `on_match` for each match of `pattern` in `text`, leftmost first, with the
// captures filled in, until it returns false; returns the bytes handed to RE2.
// Without windows, a greedy optional tail ("is there an '@' anywhere after this?") makes
// RE2's DFA read to the end of the file for every match. Here a match's start is looked
// for in one window from where the last match ended (a start in its first half is taken;
// otherwise the window moves on by half, so every match of up to half a window is seen
// whole), and the match is then read from its start within one window. A file costs at
// most twice its size plus two windows per match.
size_t scan_matches(const RE2& pattern, std::string_view text, re2::StringPiece* captures, int count,
                    const std::function<bool()>& on_match) {
  const re2::StringPiece input(text.data(), text.size());
  constexpr size_t kHalf = kExtractorWindowBytes / 2;
  size_t searched = 0;
  size_t position = 0;
  while (position <= text.size()) {
    size_t end = window_end(text, position);
    searched += end - position;
    bool found = pattern.Match(input, position, end, RE2::UNANCHORED, captures, 1);
    size_t start = found ? static_cast<size_t>(captures[0].data() - text.data()) : 0;
    if (!found || (start - position > kHalf && end < text.size())) {
      if (!found && end == text.size()) break;
      position += std::max<size_t>(1, std::min(kHalf, end - position));
      continue;
    }
    size_t match_window = window_end(text, start);
    searched += match_window - start;
    if (!pattern.Match(input, start, match_window, RE2::ANCHOR_START, captures, count)) {
      position = start + 1;  // not reached: the match found above lies within this window
      continue;
    }
    size_t match_end = start + captures[0].size();
    position = captures[0].empty() ? match_end + 1 : match_end;
    if (!on_match()) break;
  }
  return searched;
}

constexpr size_t kMaxMatchesPerFile = 100'000;

}  // namespace

Inventory run_extractor(const Extractor& extractor, std::string_view text, const std::string& path,
                        ExtractorStats* stats) {
  Inventory out;
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(64 << 20);
  RE2 pattern(extractor.pattern, options);
  if (!pattern.ok()) {
    out.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.extractor.bad_pattern",
                                              "extractor pattern does not compile: " + pattern.error(), extractor.defined_at));
    return out;
  }
  const auto& groups = pattern.NamedCapturingGroups();
  auto group = [&](const char* name) -> int {
    auto it = groups.find(name);
    return it == groups.end() ? -1 : it->second;
  };
  int name_group = group("name"), version_group = group("version"), scheme_group = group("scheme"),
      product_group = group("product");
  if (version_group < 0 || (name_group < 0 && extractor.name.empty())) {
    out.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.extractor.bad_pattern",
                                              "extractor pattern needs named groups 'version' and 'name' (or a fixed 'name')",
                                              extractor.defined_at));
    return out;
  }
  internal::LineIndex lines(text);
  int count = pattern.NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> captures(static_cast<size_t>(count));
  size_t matches = 0;
  size_t searched = scan_matches(pattern, text, captures.data(), count, [&]() -> bool {
    if (++matches > kMaxMatchesPerFile) {
      std::string defined_at = extractor.defined_at.known() ? " (" + extractor.defined_at.to_string() + ")" : "";
      out.diagnostics.push_back(make_diagnostic(
          Severity::kWarning, "uprank.extractor.too_many_matches",
          "extractor '" + extractor.glob + "'" + defined_at + ": stopped after " + std::to_string(kMaxMatchesPerFile) +
              " matches in this file; the rest of it is not read",
          SourceLocation{path, 0, 0}));
      return false;
    }
    re2::StringPiece whole = captures[0];
    auto captured = [&](int index) -> std::string {
      if (index < 0 || captures[static_cast<size_t>(index)].data() == nullptr) return {};
      return std::string(captures[static_cast<size_t>(index)].data(), captures[static_cast<size_t>(index)].size());
    };
    Component component;
    component.kind = "extracted";
    component.source = "extractor";
    component.name = name_group >= 0 ? captured(name_group) : extractor.name;
    component.version_text = captured(version_group);
    component.product = product_group >= 0 ? captured(product_group) : extractor.product;
    std::string scheme = scheme_group >= 0 ? captured(scheme_group) : extractor.scheme;
    re2::StringPiece pinned = captures[static_cast<size_t>(version_group)];
    size_t offset = pinned.data() ? static_cast<size_t>(pinned.data() - text.data())
                                  : static_cast<size_t>(whole.data() - text.data());
    component.location = lines.locate(path, offset);
    if (component.name.empty()) return true;
    if (!scheme.empty()) {
      if (auto parsed = versions::parse_scheme(scheme)) {
        component.scheme = *parsed;
      } else {
        out.diagnostics.push_back(make_diagnostic(Severity::kWarning, "uprank.extractor.bad_scheme",
                                                  "unknown scheme '" + scheme + "'; using generic", component.location));
      }
    }
    component.attributes["extractor"] = extractor.glob;
    out.components.push_back(std::move(component));
    return true;
  });
  if (stats != nullptr) *stats = ExtractorStats{searched, std::min(matches, kMaxMatchesPerFile)};
  return out;
}

InventoryConfig parse_inventory_config(std::string_view text, const std::string& path) {
  InventoryConfig config;
  config.products = ProductMap::parse(text, path, config.diagnostics);
  // A product id the bundled map does not know is a new product or a typo; a typo would
  // identify components as a product no end-of-life data names, and pass in silence. A
  // name close to a known one is warned about; a new product (in-house-db) gets a note,
  // so that declaring one is not a warning on every run (or an error under --strict).
  std::vector<std::string> known;
  for (const ProductRule& rule : ProductMap::bundled().rules()) known.push_back(rule.product);
  for (const ProductRule& rule : config.products.rules()) {
    if (ProductMap::bundled().find_product(rule.product) != nullptr) continue;
    std::string closest = closest_name(rule.product, known);
    config.diagnostics.push_back(make_diagnostic(
        closest.empty() ? Severity::kNote : Severity::kWarning, "uprank.config.unknown_product",
        "product '" + rule.product + "' is not one uprank's product map knows" +
            (closest.empty() ? "" : "; did you mean '" + closest + "'?"),
        rule.location,
        closest.empty() ? "a new product gets findings only when end-of-life data or advisories name it" : ""));
  }
  auto documents = internal::load_yaml(text, path, 16);
  if (!documents.ok() || documents->empty()) return config;  // reported by ProductMap::parse
  const internal::YamlNode& root = documents->front();
  if (!root.is_map()) return config;
  if (const internal::YamlNode& distro = root["distro"]) {
    config.distro = distro.is_scalar() ? parse_distro(distro.scalar()) : std::nullopt;
    if (!config.distro) {
      config.diagnostics.push_back(make_diagnostic(
          Severity::kError, "uprank.config.bad_distro", "'distro' must name a distro release such as debian:12",
          internal::yaml_location(path, distro.mark()), "e.g. debian:12, ubuntu:22.04, alpine:3.19, rocky:9"));
    }
  }
  const internal::YamlNode& list = root["extractors"];
  if (!list || list.is_null()) return config;
  if (!list.is_sequence()) {
    config.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.extractor.shape", "'extractors' must be a list",
                                                 internal::yaml_location(path, list.mark())));
    return config;
  }
  for (const internal::YamlNode& entry : list.items()) {
    SourceLocation where = internal::yaml_location(path, entry.mark());
    if (!entry.is_map()) {
      config.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.extractor.shape", "each extractor must be a mapping", where));
      continue;
    }
    Extractor extractor;
    extractor.defined_at = where;
    extractor.glob = internal::yaml_string(entry, "glob");
    extractor.pattern = internal::yaml_string(entry, "pattern");
    extractor.name = internal::yaml_string(entry, "name");
    extractor.scheme = internal::yaml_string(entry, "scheme");
    extractor.product = internal::yaml_string(entry, "product");
    if (extractor.glob.empty() || extractor.pattern.empty()) {
      config.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.extractor.missing_field",
                                                   "extractor needs 'glob' and 'pattern'", where));
      continue;
    }
    RE2::Options options;
    options.set_log_errors(false);
    RE2 pattern(extractor.pattern, options);
    if (!pattern.ok()) {
      config.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.extractor.bad_pattern",
                                                   "pattern does not compile: " + pattern.error(),
                                                   internal::yaml_location(path, entry["pattern"].mark())));
      continue;
    }
    if (!pattern.NamedCapturingGroups().count("version") ||
        (!pattern.NamedCapturingGroups().count("name") && extractor.name.empty())) {
      config.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.extractor.bad_pattern",
                                                   "pattern needs named groups 'version' and 'name' (or a fixed 'name')",
                                                   internal::yaml_location(path, entry["pattern"].mark()),
                                                   "write (?P<version>...) and (?P<name>...)"));
      continue;
    }
    config.extractors.push_back(std::move(extractor));
  }
  return config;
}

ProductMap merged_product_map(const InventoryConfig& config) {
  ProductMap map = ProductMap::bundled();
  map.merge(config.products);
  return map;
}

}  // namespace uprank::inventory
