#include "fetchers/endoflife.h"

#include "fetchers/http_client.h"
#include "fetchers/json_input.h"

namespace uprank::fetch {
namespace {

using nlohmann::json;

std::string where_of(const RawResponse& response) {
  return response.url.empty() ? response.source + "/" + response.key : response.url;
}

// Reads an optional "YYYY-MM-DD" member; a present value that is not a valid date is an error.
Status read_date(const json& object, const char* key, std::optional<Date>& out, const std::string& where) {
  const json* value = json_member(object, key);
  if (value == nullptr) return {};
  if (value->is_string()) {
    const auto& text = value->get_ref<const std::string&>();
    if (auto date = Date::parse(text)) {
      out = *date;
      return {};
    }
    return make_error("uprank.fetch.bad_field", where + ": '" + key + "' is not a YYYY-MM-DD date: '" + text + "'");
  }
  return make_error("uprank.fetch.bad_field", where + ": '" + key + "' must be a date string or null");
}

// Splits one v1 isX/xFrom pair: the date, when present, is the truth; the flag only
// matters when the vendor gave no date.
Status read_support_end(const json& release, const char* flag_key, const char* date_key, std::optional<Date>& date,
                        bool& ended_flag, const std::string& where) {
  if (Status status = read_date(release, date_key, date, where); !status) return status;
  if (!date) ended_flag = json_bool(release, flag_key);
  return {};
}

}  // namespace

Result<facts::EolProduct> parse_endoflife_product(const RawResponse& response) {
  const std::string where = where_of(response);
  auto parsed = parse_json(response.body, where);
  if (!parsed) return parsed.error();
  const json& document = *parsed;
  if (!document.is_object()) {
    return make_error("uprank.fetch.bad_shape", where + ": not an endoflife.date API v1 response (not a JSON object)");
  }
  std::string schema = json_string(document, "schema_version");
  if (schema.empty() || schema.substr(0, 2) != "1.") {
    return make_error("uprank.fetch.bad_shape",
                      where + ": not an endoflife.date API v1 response (schema_version '" + schema + "')");
  }
  const json* result = json_member(document, "result");
  if (result == nullptr || !result->is_object()) {
    return make_error("uprank.fetch.bad_shape", where + ": 'result' must be a product object");
  }
  facts::EolProduct product;
  product.name = json_string(*result, "name", response.key);
  if (product.name.empty()) return make_error("uprank.fetch.bad_shape", where + ": product has no name");
  product.label = json_string(*result, "label", product.name);
  std::string html_link;
  if (const json* links = json_member(*result, "links")) html_link = json_string(*links, "html");

  const json* releases = json_member(*result, "releases");
  if (releases == nullptr || !releases->is_array()) {
    return make_error("uprank.fetch.bad_shape", where + ": 'result.releases' must be an array");
  }
  product.cycles.reserve(releases->size());
  for (const json& release : *releases) {
    if (!release.is_object()) return make_error("uprank.fetch.bad_shape", where + ": a release is not an object");
    facts::EolCycle cycle;
    cycle.product = product.name;
    cycle.cycle = json_string(release, "name");
    if (cycle.cycle.empty()) return make_error("uprank.fetch.bad_shape", where + ": a release has no 'name'");
    const std::string at = where + " (release " + cycle.cycle + ")";
    if (const json* codename = json_member(release, "codename"); codename != nullptr && codename->is_string()) {
      cycle.codename = codename->get<std::string>();
    }
    if (Status s = read_date(release, "releaseDate", cycle.released, at); !s) return s.error();
    if (Status s = read_support_end(release, "isEol", "eolFrom", cycle.security_ends, cycle.security_ended_flag, at);
        !s) {
      return s.error();
    }
    if (Status s = read_support_end(release, "isEoas", "eoasFrom", cycle.active_ends, cycle.active_ended_flag, at);
        !s) {
      return s.error();
    }
    if (Status s = read_support_end(release, "isEoes", "eoesFrom", cycle.extended_ends, cycle.extended_ended_flag, at);
        !s) {
      return s.error();
    }
    if (Status s = read_date(release, "ltsFrom", cycle.lts_from, at); !s) return s.error();
    cycle.lts = cycle.lts_from.has_value() || json_bool(release, "isLts");
    if (const json* latest = json_member(release, "latest"); latest != nullptr && latest->is_object()) {
      cycle.latest = json_string(*latest, "name");
      if (Status s = read_date(*latest, "date", cycle.latest_date, at); !s) return s.error();
    }
    cycle.evidence.source = "endoflife";
    cycle.evidence.id = product.name + "/" + cycle.cycle;
    cycle.evidence.url = html_link.empty() ? response.url : html_link;
    cycle.evidence.fetched_at = response.fetched_at;
    product.cycles.push_back(std::move(cycle));
  }
  return product;
}

Result<std::vector<std::string>> parse_endoflife_product_list(std::string_view body, const std::string& where) {
  auto parsed = parse_json(body, where);
  if (!parsed) return parsed.error();
  const json* result = json_member(*parsed, "result");
  if (result == nullptr || !result->is_array()) {
    return make_error("uprank.fetch.bad_shape", where + ": 'result' must be an array of products");
  }
  std::vector<std::string> names;
  for (const json& entry : *result) {
    std::string name = json_string(entry, "name");
    if (name.empty()) return make_error("uprank.fetch.bad_shape", where + ": a product has no 'name'");
    names.push_back(std::move(name));
  }
  return names;
}

std::string endoflife_product_url(std::string_view base_url, std::string_view product) {
  return join_url(base_url, "/api/v1/products/" + std::string(product) + "/");
}

}  // namespace uprank::fetch
