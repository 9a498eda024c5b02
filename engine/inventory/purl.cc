#include "engine/inventory/purl.h"

#include <algorithm>
#include <vector>

namespace uprank::inventory {
namespace {

constexpr size_t kMaxPurlLength = 4096;

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string to_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

Error invalid(std::string_view text, std::string reason) {
  return make_error("uprank.purl.invalid", "invalid package URL '" + std::string(text) + "': " + std::move(reason));
}

int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  c = lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Decodes %XX escapes; returns false on a malformed escape.
bool percent_decode(std::string_view text, std::string& out) {
  out.clear();
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return false;
    int high = hex_value(text[i + 1]);
    int low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) return false;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return true;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

// Decodes '/'-separated segments and joins them again, dropping empty segments (and, for
// subpaths, '.' and '..'). Splitting after decoding keeps printing and parsing inverse.
bool decode_segments(std::string_view text, bool subpath, std::string& out) {
  std::string decoded;
  out.clear();
  for (std::string_view encoded : split(text, '/')) {
    if (!percent_decode(encoded, decoded)) return false;
    for (std::string_view segment : split(decoded, '/')) {
      if (segment.empty() || (subpath && (segment == "." || segment == ".."))) continue;
      if (!out.empty()) out += '/';
      out += segment;
    }
  }
  return true;
}

bool valid_type(std::string_view type) {
  if (type.empty() || is_digit(type[0])) return false;
  return std::all_of(type.begin(), type.end(),
                     [](char c) { return is_alpha(c) || is_digit(c) || c == '.' || c == '+' || c == '-'; });
}

bool valid_qualifier_key(std::string_view key) {
  if (key.empty() || is_digit(key[0])) return false;
  return std::all_of(key.begin(), key.end(),
                     [](char c) { return is_alpha(c) || is_digit(c) || c == '.' || c == '-' || c == '_'; });
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

// Which parts of a purl type compare without letter case, from the purl spec's type
// definitions (types/*-definition.json: namespace_definition / name_definition
// "case_sensitive": false, or a note that the registry ignores case).
struct CaseRule {
  std::string_view type;
  bool namespace_folds;
  bool name_folds;
};
constexpr CaseRule kCaseRules[] = {
    {"alpm", true, true},      {"apk", true, true},   {"bitbucket", true, true}, {"bitnami", false, true},
    {"composer", true, true},  {"deb", true, true},   {"github", true, true},    {"golang", true, true},
    {"hex", true, true},       {"luarocks", false, true}, {"npm", true, true},  {"nuget", false, true},
    {"oci", false, true},      {"pub", false, true},  {"pypi", false, true},     {"rpm", true, false},
};

const CaseRule* case_rule(std::string_view type) {
  for (const CaseRule& rule : kCaseRules) {
    if (rule.type == type) return &rule;
  }
  return nullptr;
}

bool same_part(std::string_view a, std::string_view b, bool folds) { return folds ? iequals(a, b) : a == b; }

}  // namespace

bool same_package(const PackageUrl& a, const PackageUrl& b) {
  if (a.type != b.type) return false;
  const CaseRule* rule = case_rule(a.type);
  return same_part(a.namespace_, b.namespace_, rule && rule->namespace_folds) &&
         same_part(a.name, b.name, rule && rule->name_folds);
}

std::string case_only_difference(const PackageUrl& a, const PackageUrl& b) {
  if (a.type != b.type || same_package(a, b)) return "";
  if (!iequals(a.namespace_, b.namespace_) || !iequals(a.name, b.name)) return "";
  const CaseRule* rule = case_rule(a.type);
  bool namespace_differs = a.namespace_ != b.namespace_ && !(rule && rule->namespace_folds);
  return a.type + (namespace_differs ? " namespaces" : " names") + " are case-sensitive (purl spec)";
}

std::string purl_encode(std::string_view text, std::string_view keep) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (is_alpha(c) || is_digit(c) || c == '.' || c == '-' || c == '_' || c == '~' ||
        keep.find(c) != std::string_view::npos) {
      out.push_back(c);
    } else {
      auto byte = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 15]);
    }
  }
  return out;
}

// PackageUrl::parse without the bound on what to_string() writes back.
static Result<PackageUrl> parse_text(std::string_view text) {
  if (text.size() > kMaxPurlLength) return invalid(text.substr(0, 64), "longer than 4096 characters");
  PackageUrl purl;
  std::string_view rest = text;
  std::string decoded;

  // Subpath: after the last '#', segments without '.', '..' or empties.
  if (size_t hash = rest.rfind('#'); hash != std::string_view::npos) {
    if (!decode_segments(rest.substr(hash + 1), true, purl.subpath)) return invalid(text, "bad percent-encoding in subpath");
    rest = rest.substr(0, hash);
  }

  // Qualifiers: after the last '?', key=value pairs separated by '&'.
  if (size_t question = rest.rfind('?'); question != std::string_view::npos) {
    for (std::string_view pair : split(rest.substr(question + 1), '&')) {
      if (pair.empty()) continue;
      size_t equals = pair.find('=');
      if (equals == std::string_view::npos) return invalid(text, "qualifier '" + std::string(pair) + "' has no '='");
      std::string key = to_lower(pair.substr(0, equals));
      if (!valid_qualifier_key(key)) return invalid(text, "invalid qualifier key '" + key + "'");
      if (!percent_decode(pair.substr(equals + 1), decoded)) return invalid(text, "bad percent-encoding in qualifier");
      if (decoded.empty()) continue;
      if (!purl.qualifiers.emplace(key, decoded).second) return invalid(text, "qualifier '" + key + "' repeated");
    }
    rest = rest.substr(0, question);
  }

  // Scheme, then any number of '/' that carry no meaning.
  size_t colon = rest.find(':');
  if (colon == std::string_view::npos || to_lower(rest.substr(0, colon)) != "pkg") {
    return invalid(text, "must start with 'pkg:'");
  }
  rest = rest.substr(colon + 1);
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);

  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return invalid(text, "missing type");
  purl.type = to_lower(rest.substr(0, slash));
  if (!valid_type(purl.type)) return invalid(text, "invalid type '" + purl.type + "'");
  rest = rest.substr(slash + 1);

  if (size_t at = rest.rfind('@'); at != std::string_view::npos) {
    if (!percent_decode(rest.substr(at + 1), purl.version)) return invalid(text, "bad percent-encoding in version");
    rest = rest.substr(0, at);
  }
  size_t last = rest.rfind('/');  // a trailing '/' leaves the name empty: invalid
  std::string_view name_part = last == std::string_view::npos ? rest : rest.substr(last + 1);
  if (!percent_decode(name_part, purl.name)) return invalid(text, "bad percent-encoding in name");
  if (purl.name.empty()) return invalid(text, "missing name");
  if (last != std::string_view::npos && !decode_segments(rest.substr(0, last), false, purl.namespace_)) {
    return invalid(text, "bad percent-encoding in namespace");
  }

  // Per-type rules from the spec's PURL-TYPES.
  const std::string& type = purl.type;
  if (type == "bitbucket" || type == "github") {
    purl.namespace_ = to_lower(purl.namespace_);
    purl.name = to_lower(purl.name);
  } else if (type == "pypi") {
    purl.name = to_lower(purl.name);
    std::replace(purl.name.begin(), purl.name.end(), '_', '-');
  } else if (type == "conan") {
    bool has_channel = purl.qualifiers.count("channel") != 0;
    if (!purl.namespace_.empty() && !has_channel) return invalid(text, "conan namespace requires a 'channel' qualifier");
    if (purl.namespace_.empty() && has_channel) return invalid(text, "conan 'channel' qualifier requires a namespace");
  } else if (type == "cran") {
    if (purl.version.empty()) return invalid(text, "cran requires a version");
  } else if (type == "swift") {
    if (purl.namespace_.empty()) return invalid(text, "swift requires a namespace");
    if (purl.version.empty()) return invalid(text, "swift requires a version");
  } else if (type == "hackage") {
    if (purl.version.empty()) return invalid(text, "hackage requires a version");
  }
  return purl;
}

Result<PackageUrl> PackageUrl::parse(std::string_view text) {
  auto parsed = parse_text(text);
  // Percent-encoding can triple a text (one byte, "%FF"): the canonical form to_string()
  // writes must read back as the same package URL, so it is held to the same bound (found
  // by fuzz/inventory_purl_fuzzer). Below a third of it, it cannot exceed it.
  if (parsed.ok() && text.size() > kMaxPurlLength / 3 && parsed->to_string().size() > kMaxPurlLength) {
    return invalid(text.substr(0, 64), "longer than 4096 characters once percent-encoded");
  }
  return parsed;
}

std::string PackageUrl::to_string() const {
  std::string out = "pkg:" + type + "/";
  if (!namespace_.empty()) {
    for (std::string_view segment : split(namespace_, '/')) out += purl_encode(segment) + "/";
  }
  out += purl_encode(name);
  if (!version.empty()) {
    out += '@';
    out += purl_encode(version, ":");
  }
  bool first = true;
  for (const auto& [key, value] : qualifiers) {
    if (value.empty()) continue;
    out += first ? "?" : "&";
    out += key + "=" + purl_encode(value, ":/");
    first = false;
  }
  if (!subpath.empty()) {
    out += "#";
    bool first_segment = true;
    for (std::string_view segment : split(subpath, '/')) {
      if (!first_segment) out += '/';
      out += purl_encode(segment);
      first_segment = false;
    }
  }
  return out;
}

}  // namespace uprank::inventory
