// Network groups for peer diversity (Bitcoin Core's "netgroup" idea): addresses in the same
// group are assumed to be under one operator's control, so address-table buckets, outbound
// slots and inbound eviction all count per group rather than per address.
//
//   public IPv4        /16   key "4" + 2 bytes
//   public IPv6        /32   key "6" + 4 bytes (IPv4-mapped IPv6 counts as IPv4)
//   DNS name           the lower-cased name (we cannot know where it resolves)
//   local (loopback, RFC 1918, link-local, CGNAT, ULA, unspecified): every ip+port is a group
//   of its own, so that a testnet on 127.0.0.1 is not one group. Such addresses are only
//   accepted from local sources (see AddrMan), so remote peers cannot use them to spread out.
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "util/multiaddr.h"

namespace hauptbuch::p2p::peer {

enum class AddrClass { Public, Local, Dns, Unsupported };

struct NetGroup {
  AddrClass cls = AddrClass::Unsupported;
  std::string key;  // opaque, compare for equality only
  friend bool operator==(const NetGroup&, const NetGroup&) = default;
};

// Group of the first ip4/ip6/dns* component of `addr` (an /ip6zone prefix makes it local).
// Unsupported (empty key) when the address has no such component.
NetGroup network_group(const Multiaddr& addr);

// True for loopback, private, link-local, CGNAT, ULA and unspecified IPs.
bool is_local_ip4(const uint8_t ip[4]);
bool is_local_ip6(const uint8_t ip[16]);

}  // namespace hauptbuch::p2p::peer
