#include "engine/inventory/version_pin.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <vector>

#include "engine/inventory/internal.h"
#include "engine/versions/versions.h"

namespace uprank::inventory {
namespace {

using Kind = VersionPin::Kind;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Words that name no version: moving tags, variants on their own, tool keywords.
bool names_nothing(std::string_view word) {
  static constexpr std::string_view kWords[] = {
      "latest", "stable", "mainline", "current", "edge", "alpine", "slim", "nightly", "rolling", "main", "master",
      "dev", "canary", "beta", "rc", "node", "system", "windowsservercore", "nanoserver", "unstable", "testing"};
  return std::find(std::begin(kWords), std::end(kWords), word) != std::end(kWords);
}

VersionPin of_kind(Kind kind) {
  VersionPin pin;
  pin.kind = kind;
  return pin;
}

// A tag or tool version that starts with a letter: a codename or nothing.
VersionPin pin_of_word(std::string_view text) {
  std::string word = internal::to_lower(text.substr(0, text.find_first_of("-_")));
  if (word == "lts") return [] { VersionPin pin = of_kind(Kind::kCycle); pin.codename = "lts/*"; return pin; }();
  bool letters = !word.empty() && std::all_of(word.begin(), word.end(), is_letter);
  if (!letters || names_nothing(word)) return of_kind(Kind::kUnknown);
  VersionPin pin = of_kind(Kind::kCycle);
  pin.codename = std::move(word);
  return pin;
}

std::optional<versions::Version> generic(std::string_view text) {
  auto parsed = versions::Version::parse(versions::Scheme::kGeneric, text);
  if (!parsed.ok()) return std::nullopt;
  return std::move(parsed.value());
}

}  // namespace

std::string_view VersionPin::kind_name() const {
  switch (kind) {
    case Kind::kExact: return "exact";
    case Kind::kCycle: return "line";
    case Kind::kRange: return "range";
    case Kind::kDigest: return "digest";
    case Kind::kUnknown: return "unknown";
  }
  return "unknown";
}

std::string VersionPin::describe(std::string_view version_text) const {
  std::string text(version_text);
  switch (kind) {
    case Kind::kExact: return text;
    case Kind::kCycle:
      if (!codename.empty()) {
        return codename + (cycle.empty() ? " (codename pin, version unknown)" : " (codename pin for " + cycle + ", patch unknown)");
      }
      return cycle + " (line pin, patch unknown)";
    case Kind::kRange:
      return constraint + (lowest == "0" ? " (range pin, no lower bound)" : " (range pin, lowest allowed " + lowest + ")");
    case Kind::kDigest: return digest.substr(0, 19) + "… (digest pin, version unknown)";
    case Kind::kUnknown: return (text.empty() ? std::string("no version") : text) + " (floating, version unknown)";
  }
  return text;
}

std::string leading_number(std::string_view text) {
  if (size_t colon = text.find(':'); colon != std::string_view::npos && colon < 4) {
    bool epoch = colon > 0;
    for (size_t i = 0; i < colon; ++i) epoch = epoch && is_digit(text[i]);
    if (epoch) text = text.substr(colon + 1);
  }
  if (!text.empty() && (text[0] == 'v' || text[0] == 'V')) text.remove_prefix(1);
  size_t end = 0;
  while (end < text.size()) {
    size_t start = end;
    while (end < text.size() && is_digit(text[end])) ++end;
    if (end == start) {
      if (start > 0) --end;  // drop the dot that had no digits after it
      break;
    }
    if (end < text.size() && text[end] == '.' && end + 1 < text.size() && is_digit(text[end + 1])) {
      ++end;
      continue;
    }
    break;
  }
  return std::string(text.substr(0, end));
}

namespace {

// The length of the pre-release at the start of `rest` (what follows a tag's number):
// "rc2", "beta3", "a1" written straight on, or "-rc.1", "-beta", ".dev1" after a
// separator, as Python, Go, PostgreSQL and Node.js tag them; 0 when `rest` starts with
// something else (a variant: "-alpine", "-slim").
size_t prerelease_length(std::string_view rest) {
  size_t at = !rest.empty() && (rest[0] == '-' || rest[0] == '.') ? 1 : 0;
  size_t end = at;
  while (end < rest.size() && is_letter(rest[end])) ++end;
  std::string word = internal::to_lower(rest.substr(at, end - at));
  size_t digits = end + (end + 1 < rest.size() && rest[end] == '.' && is_digit(rest[end + 1]) ? 1 : 0);
  size_t stop = digits;
  while (stop < rest.size() && is_digit(rest[stop])) ++stop;
  bool number = stop > digits;
  if (!number) stop = end;
  // The pre-release must end where the tag or a variant begins: "rc2-slim", not "rcx".
  bool ends = stop == rest.size() || rest[stop] == '-' || rest[stop] == '_';
  if (!ends) return 0;
  if (word == "a" || word == "b") return at == 0 && number ? stop : 0;  // PEP 440 "3.13.0a1"
  static constexpr std::string_view kWords[] = {"alpha", "beta", "rc", "pre", "preview", "dev"};
  return std::find(std::begin(kWords), std::end(kWords), word) != std::end(kWords) ? stop : 0;
}

// A word tag's variant: what follows its first word, without date stamps and build
// numbers ("-20240110"), which name one build of the line and not a flavour of it.
std::string word_variant(std::string_view rest) {
  std::string variant;
  while (!rest.empty()) {
    size_t next = rest.find_first_of("-_", 1);
    std::string_view part = rest.substr(0, next);
    if (part.size() > 1 && !is_digit(part[1])) variant += std::string(part);
    rest = next == std::string_view::npos ? std::string_view() : rest.substr(next);
  }
  return variant;
}

}  // namespace

TagParts split_image_tag(std::string_view tag) {
  std::string number = leading_number(tag);
  if (number.empty()) {
    size_t word = 0;
    while (word < tag.size() && is_letter(tag[word])) ++word;
    if (word == 0) return {"", std::string(tag)};
    return {"", word_variant(tag.substr(word))};
  }
  size_t after = tag.find(number) + number.size();
  // The variant starts at the first "-word" or "_word" that is not a pre-release; text
  // written on the number before it ("p1" of "9.6p1") is the version's own, except build
  // metadata ("+9" of Temurin's "17.0.9+9"), which no scheme orders by and which names
  // one build: it stays in the pin (attributes.pinned), not in the version.
  size_t end = after + prerelease_length(tag.substr(after));
  size_t build = std::string_view::npos;
  while (end < tag.size() && !((tag[end] == '-' || tag[end] == '_') && end + 1 < tag.size() && is_letter(tag[end + 1]))) {
    if (tag[end] == '+' && build == std::string_view::npos) build = end;
    ++end;
  }
  size_t version_end = std::min(end, build);
  return {number + std::string(tag.substr(after, version_end - after)), std::string(tag.substr(end))};
}

int number_parts(std::string_view number) {
  if (number.empty()) return 0;
  return 1 + static_cast<int>(std::count(number.begin(), number.end(), '.'));
}

VersionPin pin_of_image_tag(std::string_view tag, std::string_view digest) {
  VersionPin pin;
  if (tag.empty()) {
    pin = of_kind(digest.empty() ? Kind::kUnknown : Kind::kDigest);
  } else if (is_digit(tag[0]) || ((tag[0] == 'v' || tag[0] == 'V') && tag.size() > 1 && is_digit(tag[1]))) {
    pin = of_kind(Kind::kExact);
  } else {
    pin = pin_of_word(tag);
  }
  pin.digest = std::string(digest);
  return pin;
}

VersionPin pin_of_tool_version(std::string_view text) {
  text = internal::trim(text);
  if (text.empty()) return of_kind(Kind::kUnknown);
  std::string lower = internal::to_lower(text);
  if (lower == "lts/*") {
    VersionPin pin = of_kind(Kind::kCycle);
    pin.codename = "lts/*";
    return pin;
  }
  if (lower.rfind("lts/", 0) == 0) return pin_of_word(lower.substr(4));  // nvm: lts/iron
  if (is_digit(text[0]) || ((text[0] == 'v' || text[0] == 'V') && text.size() > 1 && is_digit(text[1]))) {
    bool plain = text.find_first_of("<>=~^*|, ") == std::string_view::npos && lower.find(".x") == std::string::npos;
    return plain ? of_kind(Kind::kExact) : pin_of_constraint(text);
  }
  if (text.find_first_of("<>=~^") == 0) return pin_of_constraint(text);
  if (lower.find(':') != std::string::npos) return of_kind(Kind::kUnknown);  // asdf "ref:…", "path:…"
  return pin_of_word(lower);
}

VersionPin pin_of_sbom_version(std::string_view text) {
  text = internal::trim(text);
  if (text.empty()) return of_kind(Kind::kExact);  // no version: the gap is told as such
  bool constraint = text.find_first_of("<>=~^!") == 0 || text.find("||") != std::string_view::npos ||
                    text.find('*') != std::string_view::npos;
  return constraint ? pin_of_constraint(text) : of_kind(Kind::kExact);
}

VersionPin pin_of_constraint(std::string_view text) {
  struct Comparator {
    std::string op;
    std::string version;
  };
  std::vector<std::vector<Comparator>> alternatives(1);
  size_t i = 0;
  auto skip_spaces = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  };
  while (true) {
    skip_spaces();
    if (i >= text.size()) break;
    if (text.substr(i, 2) == "||") {
      alternatives.emplace_back();
      i += 2;
      continue;
    }
    if (text[i] == ',') {
      ++i;
      continue;
    }
    Comparator comparator;
    while (i < text.size() && std::string_view("<>=~^!").find(text[i]) != std::string_view::npos) comparator.op += text[i++];
    skip_spaces();
    while (i < text.size() && text[i] != ' ' && text[i] != ',' && text[i] != '|' && text[i] != '\t') comparator.version += text[i++];
    if (comparator.version.empty()) return of_kind(Kind::kUnknown);
    alternatives.back().push_back(std::move(comparator));
  }
  if (alternatives.size() == 1 && alternatives[0].size() == 1) {
    const Comparator& only = alternatives[0][0];
    std::string lower = internal::to_lower(only.version);
    bool wildcard = lower.find('x') != std::string::npos || lower.find('*') != std::string::npos;
    if ((only.op.empty() || only.op == "=" || only.op == "==") && !wildcard) {
      VersionPin pin = of_kind(Kind::kExact);
      pin.lowest = only.version;
      return pin;
    }
    if (only.op.empty() && wildcard) {  // "1.x", "1.5.*": a release line
      VersionPin pin = of_kind(Kind::kCycle);
      pin.cycle = leading_number(only.version);
      if (pin.cycle.empty()) return of_kind(Kind::kUnknown);
      return pin;
    }
  }
  // The lowest allowed version: per alternative the highest lower bound, then the lowest
  // over alternatives. "<", "<=" and "!=" bound nothing below.
  std::optional<versions::Version> lowest;
  for (const auto& alternative : alternatives) {
    std::optional<versions::Version> bound = generic("0");
    for (const Comparator& comparator : alternative) {
      if (comparator.op == "<" || comparator.op == "<=" || comparator.op == "!=") continue;
      std::string number = leading_number(comparator.version);
      auto version = generic(number.empty() ? "0" : number);
      if (!version) return of_kind(Kind::kUnknown);
      if (versions::compare(*version, *bound) > 0) bound = std::move(version);
    }
    if (!lowest || versions::compare(*bound, *lowest) < 0) lowest = std::move(bound);
  }
  VersionPin pin = of_kind(Kind::kRange);
  pin.constraint = std::string(internal::trim(text));
  pin.lowest = lowest ? lowest->text() : "0";
  return pin;
}

}  // namespace uprank::inventory
