// Errors as values: Result<T> holds a T or an Error with a stable code and a location.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

#include "engine/base/source_location.h"

namespace uprank {

// An expected failure (bad input, network, missing data). `code` is stable
// ("uprank.inventory.missing_field") so tests and JSON output match on it.
struct Error {
  std::string code;
  std::string message;
  SourceLocation where;  // empty file when the failure has no place in a file

  // Returns "FILE:LINE:COL: message" or just the message when there is no place.
  std::string to_string() const;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(state_); }
  const T& value() const& { assert(ok()); return std::get<0>(state_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(state_)); }
  const Error& error() const { assert(!ok()); return std::get<1>(state_); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Error> state_;
};

// Result<void>: success or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT
  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const { assert(failed_); return error_; }

 private:
  Error error_;
  bool failed_ = false;
};

inline Error make_error(std::string code, std::string message, SourceLocation where = {}) {
  return Error{std::move(code), std::move(message), std::move(where)};
}

}  // namespace uprank
