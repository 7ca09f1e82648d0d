/// @file
/// Result<T>: the library's one error-handling style (see docs/errors.md).
///
/// A Result holds either a value or an Error. An Error is a std::error_code (normally in the
/// P2PNetworkError category) plus a short detail string saying what exactly went wrong
/// ("varint is not minimally encoded", "key 'max_peers': must be > 0"). Status is Result<void>.
/// Functions never throw for expected failures; HBP2P_TRY propagates an error to the caller.
#pragma once

#include <cassert>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

#include "hauptbuch/p2p/error.h"

namespace hauptbuch::p2p {

class Error {
 public:
  Error() = default;
  Error(std::error_code code, std::string detail = {})
      : code_(code), detail_(std::move(detail)) {}
  Error(P2PNetworkError code, std::string detail = {})
      : code_(make_error_code(code)), detail_(std::move(detail)) {}

  const std::error_code& code() const noexcept { return code_; }
  const std::string& detail() const noexcept { return detail_; }
  /// "InvalidMessage: varint is not minimally encoded" style text for logs and users.
  std::string message() const;

  bool is(P2PNetworkError e) const noexcept { return code_ == make_error_code(e); }
  friend bool operator==(const Error& a, P2PNetworkError e) noexcept { return a.is(e); }

 private:
  std::error_code code_;
  std::string detail_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  using value_type = T;
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}
  Result(P2PNetworkError code, std::string detail = {})
      : v_(std::in_place_index<1>, Error(code, std::move(detail))) {}

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { assert(!ok()); return std::get<1>(v_); }
  Error&& error() && { assert(!ok()); return std::get<1>(std::move(v_)); }

  template <typename U>
  T value_or(U&& fallback) const& { return ok() ? value() : static_cast<T>(std::forward<U>(fallback)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}
  Result(P2PNetworkError code, std::string detail = {})
      : error_(code, std::move(detail)), ok_(false) {}

  bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const Error& error() const& { assert(!ok_); return error_; }
  Error&& error() && { assert(!ok_); return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

inline Status ok_status() { return {}; }

}  // namespace hauptbuch::p2p

#define HBP2P_CONCAT_INNER_(a, b) a##b
#define HBP2P_CONCAT_(a, b) HBP2P_CONCAT_INNER_(a, b)

/// HBP2P_TRY(expr): evaluate a Result/Status; on error return the error from this function.
#define HBP2P_TRY(expr)                                        \
  do {                                                         \
    auto&& hbp2p_try_r_ = (expr);                              \
    if (!hbp2p_try_r_.ok()) return std::move(hbp2p_try_r_).error(); \
  } while (0)

/// HBP2P_CO_TRY(expr): HBP2P_TRY for coroutines (co_return instead of return).
#define HBP2P_CO_TRY(expr)                                        \
  do {                                                            \
    auto&& hbp2p_try_r_ = (expr);                                 \
    if (!hbp2p_try_r_.ok()) co_return std::move(hbp2p_try_r_).error(); \
  } while (0)

/// HBP2P_TRY_ASSIGN(lhs, expr): `lhs = *expr` on success, else return the error.
#define HBP2P_TRY_ASSIGN(lhs, expr) \
  HBP2P_TRY_ASSIGN_IMPL_(HBP2P_CONCAT_(hbp2p_try_v_, __LINE__), lhs, expr)
#define HBP2P_TRY_ASSIGN_IMPL_(tmp, lhs, expr)  \
  auto tmp = (expr);                            \
  if (!tmp.ok()) return std::move(tmp).error(); \
  lhs = std::move(tmp).value()
