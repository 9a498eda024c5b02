// Placeholder-free minimal start: the generic scheme only. Other schemes land with the
// versions issue; until then they report "unsupported scheme" as an error value.
#include "engine/versions/versions.h"

#include <algorithm>
#include <array>

namespace uprank::versions {

struct Version::Internal {
  std::vector<int64_t> numbers;
  std::string suffix;
};
struct Range::Internal {
  struct Comparator { std::string op; Version version; };
  std::vector<Comparator> comparators;
};

namespace {
constexpr std::array<std::string_view, 8> kNames = {"semver", "npm", "pep440", "deb", "rpm", "maven", "golang", "generic"};
}

std::optional<Scheme> parse_scheme(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) if (kNames[i] == name) return static_cast<Scheme>(i);
  return std::nullopt;
}
std::string_view scheme_name(Scheme scheme) { return kNames[static_cast<size_t>(scheme)]; }
const std::vector<Scheme>& all_schemes() {
  static const std::vector<Scheme> schemes = {Scheme::kSemver, Scheme::kNpm, Scheme::kPep440, Scheme::kDeb,
                                              Scheme::kRpm, Scheme::kMaven, Scheme::kGolang, Scheme::kGeneric};
  return schemes;
}

Result<Version> Version::parse(Scheme scheme, std::string_view text) {
  if (scheme != Scheme::kGeneric) return make_error("uprank.version.unsupported_scheme", "scheme not implemented yet");
  auto internal = std::make_shared<Internal>();
  size_t i = 0;
  while (true) {
    size_t start = i;
    int64_t value = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') value = value * 10 + (text[i++] - '0');
    if (i == start) return make_error("uprank.version.invalid", "invalid generic version '" + std::string(text) + "'");
    internal->numbers.push_back(value);
    if (i < text.size() && text[i] == '.') { ++i; continue; }
    break;
  }
  internal->suffix = std::string(text.substr(i));
  Version version;
  version.scheme_ = scheme;
  version.text_ = std::string(text);
  version.parsed_ = std::move(internal);
  return version;
}

std::optional<int64_t> Version::major() const { return parsed_ && parsed_->numbers.size() > 0 ? std::optional(parsed_->numbers[0]) : std::nullopt; }
std::optional<int64_t> Version::minor() const { return parsed_ && parsed_->numbers.size() > 1 ? std::optional(parsed_->numbers[1]) : std::nullopt; }
std::optional<int64_t> Version::patch() const { return parsed_ && parsed_->numbers.size() > 2 ? std::optional(parsed_->numbers[2]) : std::nullopt; }

int compare(const Version& a, const Version& b) {
  if (a.scheme_ != b.scheme_) return a.scheme_ < b.scheme_ ? -1 : 1;
  const auto& x = a.parsed_->numbers;
  const auto& y = b.parsed_->numbers;
  for (size_t i = 0; i < std::max(x.size(), y.size()); ++i) {
    int64_t p = i < x.size() ? x[i] : 0, q = i < y.size() ? y[i] : 0;
    if (p != q) return p < q ? -1 : 1;
  }
  return a.parsed_->suffix.compare(b.parsed_->suffix);
}

bool in_cycle(const Version& version, std::string_view cycle) {
  auto parsed = Version::parse(Scheme::kGeneric, cycle);
  if (!parsed.ok() || !version.parsed_) return false;
  const auto& prefix = parsed->parsed_->numbers;
  const auto& numbers = version.parsed_->numbers;
  if (prefix.size() > numbers.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), numbers.begin());
}

Result<Range> Range::parse(Scheme, std::string_view) { return make_error("uprank.range.unsupported", "ranges not implemented yet"); }
Result<Range> Range::parse_vers(std::string_view) { return make_error("uprank.range.unsupported", "ranges not implemented yet"); }
Result<Range> Range::from_osv_events(Scheme, const std::vector<OsvEvent>&) { return make_error("uprank.range.unsupported", "ranges not implemented yet"); }
bool Range::contains(const Version&) const { return false; }

}  // namespace uprank::versions
