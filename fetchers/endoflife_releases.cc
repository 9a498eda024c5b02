#include "fetchers/endoflife_releases.h"

#include <set>

#include "fetchers/fetcher.h"
#include "fetchers/http_client.h"
#include "fetchers/json_input.h"

namespace uprank::fetch {
namespace {

using nlohmann::ordered_json;

// Names a member in a JSON path the way jq and JSONPath quote keys: $.versions["16.4"].
std::string path_of(const std::string& version, const char* member = nullptr) {
  std::string quoted = ordered_json(version).dump(-1, ' ', false, ordered_json::error_handler_t::replace);
  std::string path = "$.versions[" + quoted + "]";
  if (member != nullptr) path += std::string(".") + member;
  return path;
}

const char* type_name(const ordered_json& value) { return value.type_name(); }

}  // namespace

Result<ReleaseData> parse_release_data(const RawResponse& response) {
  const std::string where = response.url.empty() ? response.source + "/" + response.key : response.url;
  if (!valid_product_id(response.key)) {
    return make_error("uprank.fetch.bad_name", where + ": '" + response.key + "' is not an endoflife product id");
  }
  auto parsed = parse_ordered_json(response.body, where);
  if (!parsed) return parsed.error();
  const ordered_json& document = *parsed;
  if (!document.is_object()) {
    return make_error("uprank.fetch.bad_shape", where + ": $: a release-data file is a JSON object, not " +
                                                    std::string(type_name(document)));
  }
  // `releases` holds cycles, which uprank takes from the endoflife API; its type is still
  // checked, as a changed shape there likely means `versions` changed too.
  if (auto releases = document.find("releases"); releases != document.end() && !releases->is_object()) {
    return make_error("uprank.fetch.bad_shape",
                      where + ": $.releases: must be an object, not " + std::string(type_name(*releases)));
  }
  auto versions = document.find("versions");
  if (versions == document.end() || !versions->is_object()) {
    return make_error("uprank.fetch.bad_shape",
                      where + ": $.versions: must be an object of released versions" +
                          (versions == document.end() ? std::string(" (missing)")
                                                      : ", not " + std::string(type_name(*versions))));
  }

  ReleaseData out;
  out.releases.product = response.key;
  out.releases.evidence.source = kReleaseDataSource;
  out.releases.evidence.id = response.key;
  out.releases.evidence.url = release_data_url(kReleaseDataBaseUrl, response.key);
  out.releases.evidence.fetched_at = response.fetched_at;
  out.releases.versions.reserve(versions->size());
  std::set<std::string> seen;
  for (const auto& [key, entry] : versions->items()) {
    if (!entry.is_object()) {
      return make_error("uprank.fetch.bad_shape",
                        where + ": " + path_of(key) + ": must be an object, not " + std::string(type_name(entry)));
    }
    facts::ProductRelease release;
    release.version = key;
    if (auto name = entry.find("name"); name != entry.end() && !name->is_null()) {
      if (!name->is_string()) {
        return make_error("uprank.fetch.bad_shape", where + ": " + path_of(key, "name") + ": must be a string, not " +
                                                        std::string(type_name(*name)));
      }
      release.version = name->get<std::string>();
    }
    if (auto date = entry.find("date"); date != entry.end() && !date->is_null()) {
      if (!date->is_string()) {
        return make_error("uprank.fetch.bad_shape", where + ": " + path_of(key, "date") +
                                                        ": must be a YYYY-MM-DD string or null, not " +
                                                        std::string(type_name(*date)));
      }
      const auto& text = date->get_ref<const std::string&>();
      release.date = Date::parse(text);
      if (!release.date) {
        out.skipped.push_back(path_of(key, "date") + ": not a YYYY-MM-DD date ('" + text + "')");
        continue;
      }
    }
    if (release.version.empty()) {
      out.skipped.push_back(path_of(key, "name") + ": empty version name");
      continue;
    }
    if (!seen.insert(release.version).second) {
      out.skipped.push_back(path_of(key, "name") + ": version '" + release.version + "' listed twice (first kept)");
      continue;
    }
    out.releases.versions.push_back(std::move(release));
  }
  return out;
}

std::string release_data_url(std::string_view base_url, std::string_view product) {
  return join_url(base_url, "/releases/" + std::string(product) + ".json");
}

}  // namespace uprank::fetch
