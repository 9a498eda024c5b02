#include "fetchers/content_hash.h"

#include <algorithm>
#include <memory>
#include <optional>

#include <openssl/evp.h>

namespace uprank::fetch {
namespace {

// SHA-256 fetched from OpenSSL's provider once: EVP_sha256() in a DigestInit fetches it
// again on every call, which was a third of hashing one 600-byte OSV record (an import
// hashes 100,000 of them).
const EVP_MD* sha256_digest() {
  static const EVP_MD* const digest = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched != nullptr ? fetched : EVP_sha256();
  }();
  return digest;
}

class Sha256 {
 public:
  Sha256() : context_(EVP_MD_CTX_new(), EVP_MD_CTX_free) { EVP_DigestInit_ex(context_.get(), sha256_digest(), nullptr); }
  void update(std::string_view data) { EVP_DigestUpdate(context_.get(), data.data(), data.size()); }
  std::string hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(context_.get(), digest, &length);
    static const char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
      out += kHex[digest[i] >> 4];
      out += kHex[digest[i] & 0xF];
    }
    return out;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context_;
};

void netstring(Sha256& hasher, std::string_view value) {
  hasher.update(std::to_string(value.size()));
  hasher.update(":");
  hasher.update(value);
  hasher.update(",");
}

void optional_netstring(Sha256& hasher, const std::optional<std::string>& value) {
  if (value) {
    netstring(hasher, *value);
  } else {
    hasher.update("~,");
  }
}

}  // namespace

struct ContentHasher::State {
  Sha256 hasher;
};

ContentHasher::ContentHasher() : state_(std::make_unique<State>()) {}
ContentHasher::~ContentHasher() = default;

void ContentHasher::add(const RawResponse& response) {
  Sha256& hasher = state_->hasher;
  netstring(hasher, response.source);
  netstring(hasher, response.key);
  netstring(hasher, response.url);
  netstring(hasher, std::to_string(response.status));
  netstring(hasher, response.fetched_at);
  optional_netstring(hasher, response.etag);
  optional_netstring(hasher, response.last_modified);
  netstring(hasher, response.body);
}

std::string ContentHasher::finish() { return "sha256:" + state_->hasher.hex(); }

std::string content_hash(std::vector<const RawResponse*> responses) {
  std::sort(responses.begin(), responses.end(), [](const RawResponse* a, const RawResponse* b) {
    // std::string compares as unsigned bytes via char_traits<char>::compare (memcmp).
    if (a->source != b->source) return a->source < b->source;
    return a->key < b->key;
  });
  ContentHasher hasher;
  for (const RawResponse* response : responses) hasher.add(*response);
  return hasher.finish();
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, sha256_digest(), nullptr) != 1) {
    Sha256 hasher;  // never expected; the streaming path says the same
    hasher.update(data);
    return hasher.hex();
  }
  static const char kHex[] = "0123456789abcdef";
  std::string out(length * 2, '0');
  for (unsigned int i = 0; i < length; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  return out;
}

}  // namespace uprank::fetch
