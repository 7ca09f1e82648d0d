// Fuzz target: multiaddr binary and text parsing and the component helpers.
// Invariants: no crash, no UB, no out-of-bounds read; binary that parses is kept byte for byte
// and prints to text that parses back to the same address; text that parses prints to text
// that parses to the same bytes (and prints identically again); rebuilding an address from
// its components gives the same bytes; a TCP endpoint of an IP address maps back to the
// address's prefix.
#include <algorithm>
#include <cstdlib>
#include <string>

#include "util/multiaddr.h"

using namespace hauptbuch::p2p;

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

void check_valid(const Multiaddr& a) {
  require(!a.empty() && a.bytes().size() <= Multiaddr::kMaxBytes);
  const std::string text = a.to_string();
  require(text.size() <= Multiaddr::kMaxTextLength);
  auto again = Multiaddr::parse(text);
  require(again.ok() && *again == a && again->to_string() == text);

  Multiaddr rebuilt;
  for (const auto& c : a.components()) {
    auto next = rebuilt.with_component(c.proto, c.value);
    require(next.ok());
    rebuilt = std::move(*next);
  }
  require(rebuilt == a);

  const Multiaddr stripped = a.without_p2p();
  require(stripped.bytes().size() <= a.bytes().size());
  require(std::equal(stripped.bytes().begin(), stripped.bytes().end(), a.bytes().begin()));
  if (auto p = a.last_value(Proto::P2p); p && a.components().back().proto == Proto::P2p) {
    require(stripped != a);
  }

  if (auto ep = a.tcp_endpoint(); ep && !ep->is_dns) {
    const Multiaddr prefix = Multiaddr::from_ip_tcp(ep->host, ep->port);
    require(!prefix.empty() && prefix.bytes().size() <= a.bytes().size());
    require(std::equal(prefix.bytes().begin(), prefix.bytes().end(), a.bytes().begin()));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteSpan in(data, size);

  if (auto b = Multiaddr::from_bytes(in); b.ok()) {
    require(b->bytes().size() == size && std::equal(b->bytes().begin(), b->bytes().end(), data));
    check_valid(*b);
  }

  if (auto t = Multiaddr::parse(as_string_view(in)); t.ok()) {
    auto b = Multiaddr::from_bytes(t->bytes());
    require(b.ok() && *b == *t);
    check_valid(*t);
  }
  return 0;
}
