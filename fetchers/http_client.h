// The HTTP client interface the sources fetch through: a libcurl implementation for real
// use (curl_http_client.cc, the only file that includes curl) and an in-memory fake.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/base/result.h"

namespace uprank::fetch {

struct HttpRequest {
  std::string method = "GET";  // GET or POST
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // never secrets
  std::string body;                                          // POST only
  std::string content_type;                                  // POST only
  std::optional<std::string> if_none_match;                  // ETag from the last response
  std::optional<std::string> if_modified_since;              // Last-Modified from the last response
  // Sent as "Authorization: Bearer …" and nowhere else: not in errors, logs or the store.
  std::string bearer_token;
};

// Returns a GET request for `url`.
inline HttpRequest http_get(std::string url) {
  HttpRequest request;
  request.url = std::move(url);
  return request;
}

struct HttpResponse {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lowercase names, last value wins
  std::string effective_url;                   // after redirects
  int attempts = 1;

  // Returns the header `name` (lowercase) or "".
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct HttpOptions {
  int max_concurrency = 8;
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{120'000};  // per attempt
  std::chrono::milliseconds stall_timeout{30'000};   // no byte received for this long
  int max_redirects = 5;
  int max_attempts = 4;                              // first try plus retries
  std::chrono::milliseconds backoff_base{500};       // doubles per retry, with jitter
  std::chrono::milliseconds backoff_max{30'000};
  std::chrono::milliseconds max_retry_after{120'000};  // longer Retry-After: give up instead
  size_t max_body_bytes = size_t{256} << 20;
  std::string ca_bundle;                             // PEM file; empty: the system's
  bool proxy_from_environment = true;                // http_proxy, https_proxy, no_proxy
  std::string accept_encoding;                       // "": every encoding libcurl decodes
  std::string user_agent = "uprank/0.1.0 (+https://github.com/uprank/uprank)";
  uint64_t jitter_seed = 0;                          // 0: seeded from the clock
};

// Returns `url` safe to store, log or export: "user:password@" removed and the values of
// query and fragment parameters whose name (percent-decoded, any case) contains a word
// that names a secret replaced by "REDACTED". The words: key, token, secret, pass, pwd,
// auth, sig, credential, session (so api_key, apiKey, X-Amz-Signature, X-Amz-Credential,
// client_secret, private_token, access-token, password, sessionid). Other URLs come back
// unchanged. Every URL uprank stores, prints or exports goes through it (or through
// redact_urls_in_text): the store's responses and fetch log, snapshots, fetch output and
// messages.
std::string redact_url(std::string_view url);

// Returns `text` with every URL in it ("scheme://" up to a space or quote) passed through
// redact_url: for messages that quote URLs, such as an HTTP client's errors.
std::string redact_urls_in_text(std::string_view text);

// Returns whether `url` carries credentials (redact_url would change it).
inline bool url_has_credentials(std::string_view url) { return redact_url(url) != url; }

// Returns the URL of `path` ("/api/v1/products/", or "") below `base`, with `query`
// ("cve=a,b&limit=100", or "") joined to any query `base` already carries, so a configured
// base URL with a query string ("https://mirror.example/epss?tenant=7") gives
// "https://mirror.example/epss?tenant=7&cve=…", never "…?tenant=7?cve=…". Trailing slashes
// of base's path are dropped, and its fragment, which is never sent.
std::string join_url(std::string_view base, std::string_view path, std::string_view query = {});

// Returns the lowercased scheme and host of an absolute URL ("https", "api.github.com"),
// without userinfo or port; empty strings when `url` is not "scheme://host...".
std::pair<std::string, std::string> url_scheme_and_host(std::string_view url);

// Returns whether `value` may be sent as an HTTP header value: no CR, LF, NUL or other
// control character (RFC 9110 field-value), so it cannot inject further headers.
bool valid_header_value(std::string_view value);

// Error codes: uprank.http.timeout, uprank.http.connect, uprank.http.too_large,
// uprank.http.redirect, uprank.http.protocol, uprank.http.transfer, uprank.http.rate_limited.
// A completed exchange with any status (404, 500 after the last retry) is a response,
// not an error; callers decide what a status means.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Performs `requests` concurrently (up to the concurrency limit), retrying 5xx, 429 and
  // transient transport failures. Results are in request order. `on_done`, when set, is
  // called as each request finishes (for progress display), on the calling thread.
  virtual std::vector<Result<HttpResponse>> perform(const std::vector<HttpRequest>& requests,
                                                    const std::function<void(size_t)>& on_done = {}) = 0;

  Result<HttpResponse> perform_one(const HttpRequest& request) { return std::move(perform({request})[0]); }
};

// Returns the libcurl client.
std::unique_ptr<HttpClient> make_curl_http_client(const HttpOptions& options = {});

// Returns the delay before retry number `retry` (1-based): exponential from `base`, capped
// at `cap`, with "equal jitter" (half fixed, half random from `random01` in [0, 1)).
std::chrono::milliseconds backoff_delay(int retry, std::chrono::milliseconds base, std::chrono::milliseconds cap,
                                        double random01);

// Parses a Retry-After value: delay-seconds or an HTTP-date relative to `now`.
std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value,
                                                           std::chrono::system_clock::time_point now);

// An in-memory HttpClient for unit tests: canned responses by URL, every request recorded.
class FakeHttpClient : public HttpClient {
 public:
  // Responds to `url` with `response` (or `error`); unknown URLs get a 404.
  void respond(const std::string& url, HttpResponse response) { responses_[url] = std::move(response); }
  void fail(const std::string& url, Error error) { errors_[url] = std::move(error); }
  const std::vector<HttpRequest>& requests() const { return requests_; }

  std::vector<Result<HttpResponse>> perform(const std::vector<HttpRequest>& requests,
                                            const std::function<void(size_t)>& on_done = {}) override;

 private:
  std::map<std::string, HttpResponse> responses_;
  std::map<std::string, Error> errors_;
  std::vector<HttpRequest> requests_;
};

}  // namespace uprank::fetch
