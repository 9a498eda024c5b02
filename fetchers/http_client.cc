#include "fetchers/http_client.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>
#include <ctime>
#include <iterator>

namespace uprank::fetch {
namespace {

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Returns `text` with %XX escapes decoded, so "api%5Fkey" is judged as "api_key".
std::string percent_decoded(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i] == '+' ? ' ' : text[i];
    }
  }
  return out;
}

// Words that name a secret wherever they appear in a parameter's name: api_key, apiKey,
// X-Amz-Signature, X-Amz-Credential, client_secret, private_token, access-token, passwd,
// pwd, auth, oauth_signature, sessionid. A class rather than a list of names: a name that
// merely contains one (monkey, author) is redacted too, which costs a shown value, never a
// secret.
bool is_secret_parameter(std::string_view name) {
  static const char* const kSecretWords[] = {"key",  "token", "secret", "pass",       "pwd",
                                             "auth", "sig",   "credential", "session"};
  std::string lower = lowercase(percent_decoded(name));
  return std::any_of(std::begin(kSecretWords), std::end(kSecretWords),
                     [&](const char* word) { return lower.find(word) != std::string::npos; });
}

// Appends `parameters` ("a=1&b=2") with the values of secret parameters replaced.
void append_redacted_parameters(std::string_view parameters, std::string& out) {
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
}

}  // namespace

std::string redact_url(std::string_view url) {
  std::string out;
  size_t scheme_end = url.find("://");
  size_t authority = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  size_t authority_end = url.find_first_of("/?#", authority);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  size_t at = url.substr(0, authority_end).rfind('@');
  size_t host = at != std::string_view::npos && at >= authority ? at + 1 : authority;
  out.append(url.substr(0, authority));
  out.append(url.substr(host, authority_end - host));
  std::string_view rest = url.substr(authority_end);
  size_t query = rest.find('?');
  size_t fragment = rest.find('#');
  if (query != std::string_view::npos && fragment != std::string_view::npos && query > fragment) query = std::string_view::npos;
  size_t path_end = std::min(query, fragment);
  out.append(rest.substr(0, path_end));
  if (query != std::string_view::npos) {
    out += '?';
    size_t query_end = fragment == std::string_view::npos ? rest.size() : fragment;
    append_redacted_parameters(rest.substr(query + 1, query_end - query - 1), out);
  }
  // A fragment is not sent, but OAuth's implicit flow puts tokens there ("#access_token=").
  if (fragment != std::string_view::npos) {
    out += '#';
    append_redacted_parameters(rest.substr(fragment + 1), out);
  }
  return out;
}

std::string redact_urls_in_text(std::string_view text) {
  std::string out;
  size_t copied = 0;
  for (size_t mark = text.find("://"); mark != std::string_view::npos; mark = text.find("://", mark + 3)) {
    size_t start = mark;
    while (start > copied && (std::isalnum(static_cast<unsigned char>(text[start - 1])) ||
                              text[start - 1] == '+' || text[start - 1] == '-' || text[start - 1] == '.')) {
      --start;
    }
    if (start == mark) continue;  // "://" without a scheme before it
    size_t end = text.find_first_of(" \t\r\n\"'<>`", mark);
    if (end == std::string_view::npos) end = text.size();
    // Trailing punctuation of the sentence around the URL is not part of it.
    while (end > mark + 3 && std::strchr(":,.;)]}", text[end - 1]) != nullptr) --end;
    out.append(text.substr(copied, start - copied));
    out += redact_url(text.substr(start, end - start));
    copied = end;
    mark = end > 3 ? end - 3 : 0;
  }
  out.append(text.substr(copied));
  return out;
}

std::string join_url(std::string_view base, std::string_view path, std::string_view query) {
  base = base.substr(0, base.find('#'));
  size_t question = base.find('?');
  std::string_view base_query = question == std::string_view::npos ? std::string_view() : base.substr(question + 1);
  std::string out(base.substr(0, question));
  while (!out.empty() && out.back() == '/') out.pop_back();
  out += path;
  if (!base_query.empty() || !query.empty()) {
    out += '?';
    out += base_query;
    if (!base_query.empty() && !query.empty()) out += '&';
    out += query;
  }
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
