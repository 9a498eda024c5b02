#include "engine/compiler/def_memo.h"

#include <cstring>
#include <functional>
#include <string_view>

namespace uprank::compiler {
namespace {

// The payload of a non-string value as raw bits: Value() zeroes the whole union, so the
// bytes a smaller member leaves unset are zero.
uint64_t payload_bits(const Value& value) {
  uint64_t bits = 0;
  static_assert(sizeof(value.number) == sizeof(bits));
  std::memcpy(&bits, &value.number, sizeof(bits));
  return bits;
}

bool same_call(const void* site, std::span<const Value> arguments, const void* other_site, const std::vector<Value>& other) {
  if (site != other_site || arguments.size() != other.size()) return false;
  for (size_t i = 0; i < arguments.size(); ++i) {
    if (!same_def_argument(arguments[i], other[i])) return false;
  }
  return true;
}

constexpr size_t kFirstBuckets = 64;

// Spreads every bit of a hash over the low bits the table keeps (the finaliser of
// MurmurHash3): call sites and component addresses are aligned, so their low bits are
// alike, and a power-of-two table would put every call in a few buckets.
size_t spread(size_t hash) {
  uint64_t bits = hash;
  bits ^= bits >> 33;
  bits *= 0xff51afd7ed558ccdULL;
  bits ^= bits >> 33;
  bits *= 0xc4ceb9fe1a85ec53ULL;
  bits ^= bits >> 33;
  return static_cast<size_t>(bits);
}

}  // namespace

bool same_def_argument(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == Kind::kString) return a.text == b.text;
  if (a.kind == Kind::kUndefined) return true;
  return payload_bits(a) == payload_bits(b);
}

size_t hash_def_call(const void* site, std::span<const Value> arguments) {
  size_t hash = std::hash<const void*>()(site);
  for (const Value& argument : arguments) {
    size_t part = argument.kind == Kind::kString ? std::hash<std::string_view>()(argument.text)
                  : argument.kind == Kind::kUndefined ? 0
                                                      : std::hash<uint64_t>()(payload_bits(argument));
    hash = hash * 1099511628211u ^ (part + static_cast<size_t>(argument.kind));
  }
  return hash;
}

size_t DefMemo::bucket_of(const void* site, std::span<const Value> arguments, size_t hash) const {
  const size_t mask = buckets_.size() - 1;
  for (size_t bucket = spread(hash) & mask;; bucket = (bucket + 1) & mask) {
    uint32_t held = buckets_[bucket];
    if (held == 0) return bucket;
    const Entry& entry = entries_[held - 1];
    if (entry.hash == hash && same_call(site, arguments, entry.site, entry.arguments)) return bucket;
  }
}

const Value* DefMemo::find(const void* site, std::span<const Value> arguments) const {
  if (used_ == 0) return nullptr;
  uint32_t held = buckets_[bucket_of(site, arguments, hash_def_call(site, arguments))];
  return held == 0 ? nullptr : &entries_[held - 1].result;
}

void DefMemo::add(const void* site, std::span<const Value> arguments, Value result) {
  if ((used_ + 1) * 2 > buckets_.size()) grow();  // at most half full: probes stay short
  if (used_ == entries_.size()) entries_.emplace_back();
  Entry& entry = entries_[used_];
  entry.site = site;
  entry.hash = hash_def_call(site, arguments);
  entry.arguments.assign(arguments.begin(), arguments.end());
  entry.result = std::move(result);
  entry.bucket = bucket_of(site, arguments, entry.hash);
  buckets_[entry.bucket] = static_cast<uint32_t>(++used_);
}

void DefMemo::grow() {
  buckets_.assign(std::max(kFirstBuckets, buckets_.size() * 2), 0);
  const size_t mask = buckets_.size() - 1;
  for (size_t i = 0; i < used_; ++i) {
    size_t bucket = spread(entries_[i].hash) & mask;
    while (buckets_[bucket] != 0) bucket = (bucket + 1) & mask;
    buckets_[bucket] = static_cast<uint32_t>(i + 1);
    entries_[i].bucket = bucket;
  }
}

void DefMemo::clear() {
  for (size_t i = 0; i < used_; ++i) buckets_[entries_[i].bucket] = 0;
  used_ = 0;
}

}  // namespace uprank::compiler
