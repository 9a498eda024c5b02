// The libcurl HttpClient: the only file in uprank that includes curl. One multi handle
// runs up to `max_concurrency` transfers; retries wait in a queue ordered by time, so a
// 429 on one URL never blocks the others.
#include <curl/curl.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <random>

#include "fetchers/http_client.h"

namespace uprank::fetch {
namespace {

using Clock = std::chrono::steady_clock;

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
  size_t index = 0;
  int attempt = 0;
  Clock::time_point not_before;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  HttpResponse response;
  size_t max_body = 0;
  bool too_large = false;
  char error_buffer[CURL_ERROR_SIZE] = {};
};

size_t write_body(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  size_t bytes = size * count;
  if (transfer->response.body.size() + bytes > transfer->max_body) {
    transfer->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  transfer->response.body.append(data, bytes);
  return bytes;
}

size_t write_header(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  size_t bytes = size * count;
  std::string_view line(data, bytes);
  if (line.substr(0, 5) == "HTTP/") {
    transfer->response.headers.clear();  // a new response (after a redirect or 100)
    return bytes;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;
  std::string name(line.substr(0, colon));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.remove_suffix(1);
  transfer->response.headers[name] = std::string(value);
  return bytes;
}

bool environment_has(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0';
}

class CurlHttpClient : public HttpClient {
 public:
  explicit CurlHttpClient(HttpOptions options) : options_(std::move(options)) {
    global_init_once();
    random_.seed(options_.jitter_seed != 0 ? options_.jitter_seed
                                           : static_cast<uint64_t>(Clock::now().time_since_epoch().count()));
  }

  std::vector<Result<HttpResponse>> perform(const std::vector<HttpRequest>& requests,
                                            const std::function<void(size_t)>& on_done) override {
    std::vector<std::optional<Result<HttpResponse>>> results(requests.size());
    CURLM* multi = curl_multi_init();
    if (multi == nullptr) {
      return std::vector<Result<HttpResponse>>(requests.size(),
                                               make_error("uprank.http.transfer", "cannot start libcurl"));
    }
    curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, static_cast<long>(options_.max_concurrency));
    std::deque<std::unique_ptr<Transfer>> waiting;
    for (size_t i = 0; i < requests.size(); ++i) {
      auto transfer = std::make_unique<Transfer>();
      transfer->index = i;
      transfer->not_before = Clock::now();
      waiting.push_back(std::move(transfer));
    }
    std::vector<std::unique_ptr<Transfer>> running;
    while (!waiting.empty() || !running.empty()) {
      // Start every due transfer that fits under the concurrency limit.
      auto now = Clock::now();
      for (auto it = waiting.begin();
           it != waiting.end() && static_cast<int>(running.size()) < options_.max_concurrency;) {
        if ((*it)->not_before > now) {
          ++it;
          continue;
        }
        std::unique_ptr<Transfer> transfer = std::move(*it);
        it = waiting.erase(it);
        if (Status started = start(*transfer, requests[transfer->index], multi); !started) {
          results[transfer->index] = started.error();
          if (on_done) on_done(transfer->index);
          continue;
        }
        running.push_back(std::move(transfer));
      }
      int still_running = 0;
      curl_multi_perform(multi, &still_running);
      int queued = 0;
      while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
        if (message->msg != CURLMSG_DONE) continue;
        auto found = std::find_if(running.begin(), running.end(),
                                  [&](const auto& t) { return t->easy == message->easy_handle; });
        if (found == running.end()) continue;
        std::unique_ptr<Transfer> transfer = std::move(*found);
        running.erase(found);
        CURLcode code = message->data.result;
        curl_multi_remove_handle(multi, transfer->easy);
        auto outcome = finish(*transfer, code, requests[transfer->index]);
        curl_easy_cleanup(transfer->easy);
        curl_slist_free_all(transfer->headers);
        transfer->easy = nullptr;
        transfer->headers = nullptr;
        if (outcome.retry_after) {
          transfer->not_before = Clock::now() + *outcome.retry_after;
          transfer->response = HttpResponse{};
          transfer->too_large = false;
          waiting.push_back(std::move(transfer));
        } else {
          results[transfer->index] = std::move(*outcome.result);
          if (on_done) on_done(transfer->index);
        }
      }
      if (running.empty() && !waiting.empty()) {
        // Only retries remain: sleep until the earliest is due (curl_multi_poll with no
        // handles waits for the timeout).
        auto earliest = std::min_element(waiting.begin(), waiting.end(), [](const auto& a, const auto& b) {
                          return a->not_before < b->not_before;
                        })->get()->not_before;
        auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(earliest - Clock::now());
        if (wait.count() > 0) curl_multi_poll(multi, nullptr, 0, static_cast<int>(std::min<int64_t>(wait.count(), 1000)), nullptr);
      } else if (!running.empty()) {
        curl_multi_poll(multi, nullptr, 0, 100, nullptr);
      }
    }
    curl_multi_cleanup(multi);
    std::vector<Result<HttpResponse>> out;
    out.reserve(results.size());
    for (auto& result : results) out.push_back(std::move(*result));
    return out;
  }

 private:
  struct Outcome {
    std::optional<Result<HttpResponse>> result;
    std::optional<std::chrono::milliseconds> retry_after;  // set: try again after this delay
  };

  Status start(Transfer& transfer, const HttpRequest& request, CURLM* multi) {
    ++transfer.attempt;
    transfer.error_buffer[0] = '\0';
    transfer.max_body = options_.max_body_bytes;
    // A CR or LF in a header value (a token pasted with its newline, a crafted ETag) would
    // start a header of its own: refused, without echoing the value, which may be a secret.
    bool headers_valid = valid_header_value(request.bearer_token) &&
                         valid_header_value(request.if_none_match.value_or("")) &&
                         valid_header_value(request.if_modified_since.value_or(""));
    for (const auto& [name, value] : request.headers) headers_valid = headers_valid && valid_header_value(name + value);
    if (!headers_valid) {
      return make_error("uprank.http.protocol", redact_url(request.url) + ": a header value holds a control character (CR, LF); not sent");
    }
    CURL* easy = curl_easy_init();
    if (easy == nullptr) return make_error("uprank.http.transfer", "cannot create a libcurl handle");
    transfer.easy = easy;
    curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(easy, CURLOPT_MAXREDIRS, static_cast<long>(options_.max_redirects));
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
    // A stalled server: abort when under 1 byte/s for the stall timeout.
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME,
                     std::max(1L, static_cast<long>(options_.stall_timeout.count() / 1000)));
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, options_.accept_encoding.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_body_bytes));
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, options_.user_agent.c_str());
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer.error_buffer);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, write_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, &transfer);
    if (!options_.ca_bundle.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, options_.ca_bundle.c_str());
    if (!options_.proxy_from_environment) {
      curl_easy_setopt(easy, CURLOPT_PROXY, "");  // ignore http_proxy and friends
    } else if (!environment_has("no_proxy") && !environment_has("NO_PROXY")) {
      curl_easy_setopt(easy, CURLOPT_NOPROXY, "localhost,127.0.0.1,::1");  // loopback never via a proxy
    }
    curl_slist* headers = nullptr;
    for (const auto& [name, value] : request.headers) headers = curl_slist_append(headers, (name + ": " + value).c_str());
    if (request.if_none_match) headers = curl_slist_append(headers, ("If-None-Match: " + *request.if_none_match).c_str());
    if (request.if_modified_since) {
      headers = curl_slist_append(headers, ("If-Modified-Since: " + *request.if_modified_since).c_str());
    }
    // libcurl does not forward a custom Authorization header to another host on redirect.
    if (!request.bearer_token.empty()) {
      headers = curl_slist_append(headers, ("Authorization: Bearer " + request.bearer_token).c_str());
    }
    if (request.method == "POST") {
      if (!request.content_type.empty()) headers = curl_slist_append(headers, ("Content-Type: " + request.content_type).c_str());
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(easy, CURLOPT_COPYPOSTFIELDS, request.body.c_str());
    }
    transfer.headers = headers;
    if (headers != nullptr) curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    if (curl_multi_add_handle(multi, easy) != CURLM_OK) {
      curl_easy_cleanup(easy);
      curl_slist_free_all(headers);
      transfer.easy = nullptr;
      transfer.headers = nullptr;
      return make_error("uprank.http.transfer", redact_url(request.url) + ": cannot queue the request");
    }
    return {};
  }

  std::chrono::milliseconds next_backoff(int attempt) {
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    return backoff_delay(attempt, options_.backoff_base, options_.backoff_max, unit(random_));
  }

  Outcome finish(Transfer& transfer, CURLcode code, const HttpRequest& request) {
    const std::string url = redact_url(request.url);  // messages only: a pagination link may carry a token
    const bool attempts_left = transfer.attempt < options_.max_attempts;
    const std::string tries = " (after " + std::to_string(transfer.attempt) + " attempt" +
                              (transfer.attempt == 1 ? "" : "s") + ")";
    if (code == CURLE_OK) {
      long status = 0;
      curl_easy_getinfo(transfer.easy, CURLINFO_RESPONSE_CODE, &status);
      char* effective = nullptr;
      curl_easy_getinfo(transfer.easy, CURLINFO_EFFECTIVE_URL, &effective);
      transfer.response.status = static_cast<int>(status);
      transfer.response.effective_url = effective != nullptr ? effective : request.url;
      transfer.response.attempts = transfer.attempt;
      const bool retryable = status == 429 || status == 502 || status == 503 || status == 504 || status == 500;
      if (retryable && attempts_left) {
        auto delay = next_backoff(transfer.attempt);
        std::string retry_after = transfer.response.header("retry-after");
        if (auto asked = parse_retry_after(retry_after, std::chrono::system_clock::now())) {
          if (*asked > options_.max_retry_after) {
            return {make_error("uprank.http.rate_limited",
                               url + ": server asked to retry after " + retry_after + " s, more than the limit of " +
                                   std::to_string(options_.max_retry_after.count() / 1000) + " s"),
                    std::nullopt};
          }
          delay = std::max(delay, *asked);
        }
        return {std::nullopt, delay};
      }
      return {std::move(transfer.response), std::nullopt};
    }
    std::string detail = transfer.error_buffer[0] != '\0' ? transfer.error_buffer : curl_easy_strerror(code);
    switch (code) {
      case CURLE_WRITE_ERROR:
      case CURLE_FILESIZE_EXCEEDED:
        if (transfer.too_large || code == CURLE_FILESIZE_EXCEEDED) {
          return {make_error("uprank.http.too_large", url + ": response body exceeds the limit of " +
                                                          std::to_string(options_.max_body_bytes) + " bytes"),
                  std::nullopt};
        }
        break;
      case CURLE_TOO_MANY_REDIRECTS:
        return {make_error("uprank.http.redirect",
                           url + ": too many redirects (limit " + std::to_string(options_.max_redirects) + ")"),
                std::nullopt};
      case CURLE_UNSUPPORTED_PROTOCOL:
        return {make_error("uprank.http.protocol", url + ": refused a non-http(s) URL or redirect: " + detail),
                std::nullopt};
      case CURLE_OPERATION_TIMEDOUT:
        if (attempts_left) return {std::nullopt, next_backoff(transfer.attempt)};
        return {make_error("uprank.http.timeout", url + ": timed out: " + detail + tries), std::nullopt};
      case CURLE_COULDNT_CONNECT:
      case CURLE_COULDNT_RESOLVE_HOST:
      case CURLE_COULDNT_RESOLVE_PROXY:
        if (attempts_left) return {std::nullopt, next_backoff(transfer.attempt)};
        return {make_error("uprank.http.connect", url + ": cannot connect: " + detail + tries), std::nullopt};
      case CURLE_PARTIAL_FILE:
      case CURLE_RECV_ERROR:
      case CURLE_SEND_ERROR:
      case CURLE_GOT_NOTHING:
      case CURLE_HTTP2:
      case CURLE_HTTP2_STREAM:
        if (attempts_left) return {std::nullopt, next_backoff(transfer.attempt)};
        return {make_error("uprank.http.transfer", url + ": transfer failed: " + detail + tries), std::nullopt};
      default:
        break;
    }
    return {make_error("uprank.http.transfer", url + ": " + detail), std::nullopt};
  }

  HttpOptions options_;
  std::mt19937_64 random_;
};

}  // namespace

std::unique_ptr<HttpClient> make_curl_http_client(const HttpOptions& options) {
  return std::make_unique<CurlHttpClient>(options);
}

}  // namespace uprank::fetch
