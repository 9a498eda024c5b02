#include "fetchers/github.h"

#include <algorithm>
#include <cctype>

#include "fetchers/json_input.h"

namespace uprank::fetch {

using nlohmann::json;

Result<std::vector<facts::ReleaseNote>> parse_github_releases(const RawResponse& response) {
  const std::string where = response.url.empty() ? "github/" + response.key : response.url;
  auto parsed = parse_json(response.body, where);
  if (!parsed) return parsed.error();
  if (!parsed->is_array()) return make_error("uprank.fetch.bad_shape", where + ": releases must be a JSON array");
  std::string_view repository_name = response.key;
  repository_name.remove_prefix(std::min(repository_name.size(), repository_name.find('/') + 1));
  std::vector<facts::ReleaseNote> notes;
  for (const json& item : *parsed) {
    if (!item.is_object()) return make_error("uprank.fetch.bad_shape", where + ": a release is not an object");
    if (json_bool(item, "draft")) continue;
    facts::ReleaseNote note;
    note.repository = response.key;
    note.tag = json_string(item, "tag_name");
    if (note.tag.empty()) return make_error("uprank.fetch.bad_shape", where + ": a release has no 'tag_name'");
    note.version = version_from_tag(note.tag, repository_name);
    note.name = json_string(item, "name");
    note.notes = json_string(item, "body");
    note.prerelease = json_bool(item, "prerelease");
    std::string published = json_string(item, "published_at");
    if (published.size() >= 10) {
      if (auto date = Date::parse(std::string_view(published).substr(0, 10))) note.published = *date;
    }
    note.evidence = {"github", response.key + "@" + note.tag, json_string(item, "html_url"), response.fetched_at};
    notes.push_back(std::move(note));
  }
  return notes;
}

std::optional<std::string> next_link(std::string_view header) {
  // Link: <https://api.github.com/…?page=2>; rel="next", <…?page=5>; rel="last"
  size_t position = 0;
  while (position < header.size()) {
    size_t open = header.find('<', position);
    if (open == std::string_view::npos) return std::nullopt;
    size_t close = header.find('>', open);
    if (close == std::string_view::npos) return std::nullopt;
    size_t next_entry = header.find('<', close);
    std::string_view params = header.substr(close + 1, next_entry == std::string_view::npos ? std::string_view::npos
                                                                                          : next_entry - close - 1);
    if (params.find("rel=\"next\"") != std::string_view::npos || params.find("rel=next") != std::string_view::npos) {
      return std::string(header.substr(open + 1, close - open - 1));
    }
    position = close + 1;
  }
  return std::nullopt;
}

bool valid_github_repository(std::string_view repository) {
  size_t slash = repository.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == repository.size() || repository.size() > 200) {
    return false;
  }
  if (repository.find('/', slash + 1) != std::string_view::npos) return false;
  if (repository.find("..") != std::string_view::npos) return false;
  return std::all_of(repository.begin(), repository.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '/';
  });
}

std::string version_from_tag(std::string_view tag, std::string_view repository_name) {
  std::string_view version = tag;
  if (!repository_name.empty() && version.size() > repository_name.size() + 1 &&
      version.substr(0, repository_name.size()) == repository_name &&
      (version[repository_name.size()] == '-' || version[repository_name.size()] == '_')) {
    version.remove_prefix(repository_name.size() + 1);
  } else if (version.substr(0, 8) == "release-") {
    version.remove_prefix(8);
  }
  if (version.size() > 1 && (version[0] == 'v' || version[0] == 'V') &&
      std::isdigit(static_cast<unsigned char>(version[1]))) {
    version.remove_prefix(1);
  }
  return std::string(version);
}

}  // namespace uprank::fetch
