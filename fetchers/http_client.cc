#include "fetchers/http_client.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <iterator>

namespace uprank::fetch {
namespace {

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_secret_parameter(std::string_view name) {
  static const char* const kSecretNames[] = {"api_key", "apikey", "key",      "token",    "access_token",
                                             "secret",  "password", "sig", "signature"};
  std::string lower = lowercase(name);
  return std::any_of(std::begin(kSecretNames), std::end(kSecretNames), [&](const char* secret) { return lower == secret; });
}

}  // namespace

std::string redact_url(std::string_view url) {
  std::string out;
  size_t scheme_end = url.find("://");
  size_t authority = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  size_t authority_end = url.find_first_of("/?#", authority);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  size_t at = url.substr(0, authority_end).rfind('@');
  out.append(url.substr(0, authority));
  out.append(url.substr(at != std::string_view::npos && at >= authority ? at + 1 : authority,
                        authority_end - (at != std::string_view::npos && at >= authority ? at + 1 : authority)));
  std::string_view rest = url.substr(authority_end);
  size_t query = rest.find('?');
  if (query == std::string_view::npos) return out + std::string(rest);
  size_t fragment = rest.find('#', query);
  out.append(rest.substr(0, query + 1));
  std::string_view parameters = rest.substr(query + 1, fragment == std::string_view::npos ? std::string_view::npos : fragment - query - 1);
  bool first = true;
  while (true) {
    size_t amp = parameters.find('&');
    std::string_view parameter = parameters.substr(0, amp);
    if (!first) out += '&';
    first = false;
    size_t equals = parameter.find('=');
    if (equals != std::string_view::npos && is_secret_parameter(parameter.substr(0, equals))) {
      out.append(parameter.substr(0, equals + 1));
      out += "REDACTED";
    } else {
      out.append(parameter);
    }
    if (amp == std::string_view::npos) break;
    parameters.remove_prefix(amp + 1);
  }
  if (fragment != std::string_view::npos) out.append(rest.substr(fragment));
  return out;
}

std::pair<std::string, std::string> url_scheme_and_host(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return {};
  size_t authority = scheme_end + 3;
  size_t authority_end = url.find_first_of("/?#", authority);
  std::string_view host = url.substr(authority, authority_end == std::string_view::npos ? std::string_view::npos : authority_end - authority);
  if (size_t at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
  if (!host.empty() && host.front() == '[') {
    host = host.substr(0, host.find(']') + 1);
  } else if (size_t colon = host.find(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  return {lowercase(url.substr(0, scheme_end)), lowercase(host)};
}

bool valid_header_value(std::string_view value) {
  return std::none_of(value.begin(), value.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return (byte < 0x20 && byte != '\t') || byte == 0x7f;
  });
}


std::chrono::milliseconds backoff_delay(int retry, std::chrono::milliseconds base, std::chrono::milliseconds cap,
                                        double random01) {
  double exponential = static_cast<double>(base.count());
  for (int i = 1; i < retry && exponential < static_cast<double>(cap.count()); ++i) exponential *= 2;
  exponential = std::min(exponential, static_cast<double>(cap.count()));
  random01 = std::clamp(random01, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<int64_t>(exponential / 2 + exponential / 2 * random01));
}

std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value,
                                                           std::chrono::system_clock::time_point now) {
  std::string text = value;
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.erase(text.begin());
  if (text.empty()) return std::nullopt;
  if (std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (text.size() > 9) return std::chrono::milliseconds::max();
    return std::chrono::seconds(std::stol(text));
  }
  // IMF-fixdate: "Wed, 21 Oct 2015 07:28:00 GMT".
  std::tm tm{};
  char month[4] = {};
  char weekday[4] = {};
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  if (std::sscanf(text.c_str(), "%3s, %d %3s %d %d:%d:%d GMT", weekday, &day, month, &year, &hour, &minute,
                  &second) != 7) {
    return std::nullopt;
  }
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int month_index = -1;
  for (int i = 0; i < 12; ++i) {
    if (std::string_view(month) == kMonths[i]) month_index = i;
  }
  if (month_index < 0) return std::nullopt;
  tm.tm_year = year - 1900;
  tm.tm_mon = month_index;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  auto when = std::chrono::system_clock::from_time_t(timegm(&tm));
  if (when <= now) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(when - now);
}

std::vector<Result<HttpResponse>> FakeHttpClient::perform(const std::vector<HttpRequest>& requests,
                                                          const std::function<void(size_t)>& on_done) {
  std::vector<Result<HttpResponse>> results;
  for (size_t i = 0; i < requests.size(); ++i) {
    const HttpRequest& request = requests[i];
    requests_.push_back(request);
    if (auto error = errors_.find(request.url); error != errors_.end()) {
      results.emplace_back(error->second);
    } else if (auto found = responses_.find(request.url); found != responses_.end()) {
      HttpResponse response = found->second;
      response.effective_url = request.url;
      std::string etag = response.header("etag");
      if (!etag.empty() && request.if_none_match == etag) {
        response.status = 304;
        response.body.clear();
      }
      results.emplace_back(std::move(response));
    } else {
      HttpResponse missing;
      missing.status = 404;
      missing.body = "<html><body>Not Found</body></html>";
      missing.effective_url = request.url;
      results.emplace_back(std::move(missing));
    }
    if (on_done) on_done(i);
  }
  return results;
}

}  // namespace uprank::fetch
