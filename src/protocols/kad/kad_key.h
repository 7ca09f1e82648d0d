// Kademlia keys and the XOR metric (libp2p kad-dht spec, "Distance"): the kad key of a peer is
// SHA-256 of its PeerId multihash bytes, the kad key of a record/provider key is SHA-256 of the
// key bytes; distance is the 256-bit XOR of two kad keys, compared as big-endian integers.
// Pure functions on values; no state, no I/O.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "peer/peer_id.h"
#include "util/bytes.h"
#include "util/random.h"

namespace hauptbuch::p2p::kad {

// Bytes of a kad key (SHA-256 output).
inline constexpr size_t kKeyBytes = 32;
// Bits of a kad key, and so the number of distinct common-prefix lengths (0..255) of two
// different keys; a routing table has one bucket per common-prefix length.
inline constexpr size_t kKeyBits = kKeyBytes * 8;

// A 256-bit kad key (or a distance: same representation). Ordered as a big-endian integer.
using KadKey = std::array<uint8_t, kKeyBytes>;

// SHA-256 of arbitrary bytes.
KadKey sha256(ByteSpan data);
// The kad key of a peer: SHA-256 of its multihash bytes.
KadKey key_of_peer(const PeerId& peer);
// The kad key of a record or provider key (the raw key bytes of the message): SHA-256 of it.
KadKey key_of_bytes(ByteSpan key);

// XOR distance of two keys.
KadKey distance(const KadKey& a, const KadKey& b) noexcept;
// Number of leading bits a and b share: 256 if equal, else 0..255.
size_t common_prefix_length(const KadKey& a, const KadKey& b) noexcept;
// True iff `a` is strictly closer to `target` than `b` (XOR metric).
bool closer(const KadKey& a, const KadKey& b, const KadKey& target) noexcept;

// A uniformly random key whose common prefix with `self` is exactly `cpl` bits (cpl < 256): the
// target of a bucket refresh lookup.
KadKey random_key_with_cpl(const KadKey& self, size_t cpl, RandomSource& rng);

// The provider key under which the nodes of one chain announce themselves (cross-chain routing):
// SHA-256 of the ASCII string "hauptbuch/chain/" followed by the chain id, as 32 raw bytes. It is
// used as the `key` of ADD_PROVIDER / GET_PROVIDERS (whose kad key is then SHA-256 of these 32
// bytes, as for any provider key).
Bytes chain_provider_key(std::string_view chain_id);

}  // namespace hauptbuch::p2p::kad
