// Kademlia keys and XOR distance (see kad_key.h).
#include "protocols/kad/kad_key.h"

#include <openssl/sha.h>

#include <bit>
#include <cstring>

namespace hauptbuch::p2p::kad {

KadKey sha256(ByteSpan data) {
  KadKey out{};
  SHA256(data.data(), data.size(), out.data());
  return out;
}

KadKey key_of_peer(const PeerId& peer) { return sha256(peer.bytes()); }

KadKey key_of_bytes(ByteSpan key) { return sha256(key); }

KadKey distance(const KadKey& a, const KadKey& b) noexcept {
  KadKey d{};
  for (size_t i = 0; i < kKeyBytes; ++i) d[i] = static_cast<uint8_t>(a[i] ^ b[i]);
  return d;
}

size_t common_prefix_length(const KadKey& a, const KadKey& b) noexcept {
  for (size_t i = 0; i < kKeyBytes; ++i) {
    const uint8_t x = static_cast<uint8_t>(a[i] ^ b[i]);
    if (x != 0) return i * 8 + static_cast<size_t>(std::countl_zero(x));
  }
  return kKeyBits;
}

bool closer(const KadKey& a, const KadKey& b, const KadKey& target) noexcept {
  for (size_t i = 0; i < kKeyBytes; ++i) {
    const uint8_t da = static_cast<uint8_t>(a[i] ^ target[i]);
    const uint8_t db = static_cast<uint8_t>(b[i] ^ target[i]);
    if (da != db) return da < db;
  }
  return false;
}

KadKey random_key_with_cpl(const KadKey& self, size_t cpl, RandomSource& rng) {
  KadKey k{};
  rng.fill(MutableByteSpan(k.data(), k.size()));
  if (cpl >= kKeyBits) return self;
  // Copy the first cpl bits of self, flip bit cpl, keep the random rest.
  const size_t full = cpl / 8;
  std::memcpy(k.data(), self.data(), full);
  const unsigned rem = static_cast<unsigned>(cpl % 8);
  const uint8_t keep_mask = static_cast<uint8_t>(0xFF00u >> rem);       // top `rem` bits
  const uint8_t flip_bit = static_cast<uint8_t>(0x80u >> rem);
  uint8_t b = static_cast<uint8_t>((self[full] & keep_mask) | (k[full] & static_cast<uint8_t>(~keep_mask)));
  b = static_cast<uint8_t>((b & static_cast<uint8_t>(~flip_bit)) | ((self[full] & flip_bit) ^ flip_bit));
  k[full] = b;
  return k;
}

Bytes chain_provider_key(std::string_view chain_id) {
  std::string s = "hauptbuch/chain/";
  s.append(chain_id);
  const KadKey h = sha256(ByteSpan(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
  return Bytes(h.begin(), h.end());
}

}  // namespace hauptbuch::p2p::kad
