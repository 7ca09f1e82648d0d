// Byte-sequence vocabulary types and small helpers (hex, constant-time compare, wiping).
// Everything that handles raw bytes in the library uses these names.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hauptbuch::p2p {

using Bytes = std::vector<uint8_t>;
using ByteSpan = std::span<const uint8_t>;
using MutableByteSpan = std::span<uint8_t>;

inline ByteSpan as_bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
inline std::string_view as_string_view(ByteSpan b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
inline Bytes to_bytes(ByteSpan b) { return Bytes(b.begin(), b.end()); }

// Lower-case hex of `b`.
std::string to_hex(ByteSpan b);
// Parses hex (either case, even length, no prefix); nullopt on any bad character.
std::optional<Bytes> from_hex(std::string_view hex);

// Constant-time equality for equal-length secrets; false if lengths differ (length is public).
bool ct_equal(ByteSpan a, ByteSpan b) noexcept;

// Overwrites memory so the compiler cannot elide it (libsodium's sodium_memzero).
void secure_wipe(void* p, size_t n) noexcept;
inline void secure_wipe(MutableByteSpan b) noexcept { secure_wipe(b.data(), b.size()); }

}  // namespace hauptbuch::p2p
