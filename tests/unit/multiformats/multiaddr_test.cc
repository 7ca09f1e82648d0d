// Multiaddr: spec vectors (text <-> binary), canonical text (RFC 5952), strict rejection of
// malformed text and bytes, size limits, component helpers and the TCP endpoint helpers.
#include "util/multiaddr.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "util/multibase.h"
#include "util/multihash.h"

namespace hauptbuch::p2p {
namespace {

constexpr std::string_view kPeer = "QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC";
constexpr std::string_view kPeerMh =
    "1220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c0b";

Bytes hex(std::string_view h) { return from_hex(h).value(); }

Multiaddr ma(std::string_view text) {
  auto r = Multiaddr::parse(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message());
  return r.ok() ? *r : Multiaddr{};
}

// Text/binary pairs from the multiaddr implementations' shared test vectors (upper-case hex
// as published; from_hex accepts either case).
struct Vector {
  std::string_view text;
  std::string_view hex;
};
constexpr Vector kVectors[] = {
    {"/ip4/127.0.0.1/udp/1234", "047F000001910204D2"},
    {"/ip4/127.0.0.1/udp/0", "047F00000191020000"},
    {"/ip4/127.0.0.1/tcp/1234", "047F0000010604D2"},
    {"/ip4/127.0.0.1/tcp/4321", "047f0000010610e1"},
    {"/ip4/127.0.0.1/udp/1234/ip4/127.0.0.1/tcp/4321", "047f000001910204d2047f0000010610e1"},
    {"/ip6/::1", "2900000000000000000000000000000001"},
    {"/ip6/2001:8a0:7ac5:4201:3ac9:86ff:fe31:7095", "29200108a07ac542013ac986fffe317095"},
    {"/ip6/2001:db8::ff00:42:8329", "2920010db8000000000000ff0000428329"},
    {"/tcp/0", "060000"},
    {"/udp/65535", "9102FFFF"},
    {"/tcp/1234/http", "0604D2E003"},
    {"/tcp/1234/https", "0604D2BB03"},
    {"/tcp/1234/tls/http", "0604D2C003E003"},
    {"/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/tcp/1234",
     "A503221220D52EBB89D85B02A284948203A62FF28389C57C9F42BEEC4EC20DB76A68911C0B0604D2"},
    {"/ip4/127.0.0.1/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
     "047F000001A503221220D52EBB89D85B02A284948203A62FF28389C57C9F42BEEC4EC20DB76A68911C0B"},
    {"/ip6/2001:8a0:7ac5:4201:3ac9:86ff:fe31:7095/tcp/8000/ws/p2p/"
     "QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
     "29200108A07AC542013AC986FFFE317095061F40DD03A503221220D52EBB89D85B02A284948203A62FF28389C57C9"
     "F42BEEC4EC20DB76A68911C0B"},
    {"/ip4/127.0.0.1/tcp/9090/p2p-circuit/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
     "047F000001062382A202A503221220D52EBB89D85B02A284948203A62FF28389C57C9F42BEEC4EC20DB76A6891"
     "1C0B"},
    {"/dns4/example.com/tcp/443/wss", "360b6578616d706c652e636f6d0601bbde03"},
    {"/ip4/1.2.3.4/udp/4001/quic-v1", "040102030491020fa1cd03"},
};

TEST(Multiaddr, SpecVectorsTextToBinaryAndBack) {
  for (const auto& v : kVectors) {
    SCOPED_TRACE(v.text);
    const Multiaddr a = ma(v.text);
    EXPECT_EQ(a.bytes(), hex(v.hex));
    EXPECT_EQ(a.to_string(), v.text);
    auto b = Multiaddr::from_bytes(hex(v.hex));
    ASSERT_TRUE(b.ok()) << b.error().message();
    EXPECT_EQ(*b, a);
  }
}

TEST(Multiaddr, BriefRoundTrips) {
  for (std::string_view s : {
           "/ip4/127.0.0.1/tcp/4001/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
           "/ip6/::1/tcp/8080",
           "/dns4/example.com/tcp/443/wss",
           "/ip4/1.2.3.4/udp/4001/quic-v1",
           "/ip4/1.2.3.4/udp/4001/quic",
           "/ip4/1.2.3.4/udp/4001/quic-v1/webtransport",
           "/dns6/ipfs.io/tcp/443/tls/sni/ipfs.io/ws",
           "/dnsaddr/bootstrap.libp2p.io",
           "/dns/example.com/tcp/1/noise",
           "/ip6zone/eth0/ip6/fe80::1/tcp/4001",
           "/ip4/0.0.0.0/tcp/0",
           "/ip4/255.255.255.255/tcp/65535",
           "/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA",
       }) {
    const Multiaddr a = ma(s);
    EXPECT_EQ(a.to_string(), s);
    auto b = Multiaddr::from_bytes(a.bytes());
    ASSERT_TRUE(b.ok()) << s;
    EXPECT_EQ(*b, a);
  }
}

TEST(Multiaddr, Ip6TextIsCanonicalRfc5952) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"/ip6/0:0:0:0:0:0:0:1", "/ip6/::1"},
      {"/ip6/0:0:0:0:0:0:0:0", "/ip6/::"},
      {"/ip6/2001:DB8:0:0:0:0:0:1", "/ip6/2001:db8::1"},
      {"/ip6/2001:0db8:0000:0000:0000:0000:0000:0001", "/ip6/2001:db8::1"},
      // A single zero group is not compressed (§4.2.2).
      {"/ip6/2001:db8:0:1:1:1:1:1", "/ip6/2001:db8:0:1:1:1:1:1"},
      // The longest run is compressed (§4.2.1) ...
      {"/ip6/2001:0:0:1:0:0:0:1", "/ip6/2001:0:0:1::1"},
      // ... and the first of equally long runs (§4.2.3).
      {"/ip6/2001:db8:0:0:1:0:0:1", "/ip6/2001:db8::1:0:0:1"},
      {"/ip6/1::", "/ip6/1::"},
      {"/ip6/1:0:0:0:0:0:0:0", "/ip6/1::"},
      {"/ip6/::ffff:1.2.3.4", "/ip6/::ffff:1.2.3.4"},
      {"/ip6/::FFFF:0102:0304", "/ip6/::ffff:1.2.3.4"},
      {"/ip6/::1.2.3.4", "/ip6/::102:304"},
  };
  for (const auto& [in, out] : cases) {
    SCOPED_TRACE(in);
    EXPECT_EQ(ma(in).to_string(), out);
    EXPECT_EQ(ma(out), ma(in));
  }
}

TEST(Multiaddr, LegacyIpfsNameAndTrailingSlash) {
  const Multiaddr a = ma("/ipfs/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/");
  EXPECT_EQ(a.to_string(), "/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC");
  EXPECT_EQ(ma("/ip4/127.0.0.1/tcp/1234/"), ma("/ip4/127.0.0.1/tcp/1234"));
}

TEST(Multiaddr, PeerIdAsCidV1) {
  // The libp2p peer-ids spec's example: this CIDv1 (base32, libp2p-key) and the base58
  // multihash name the same peer.
  const Multiaddr cid = ma("/p2p/bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
  EXPECT_EQ(cid.to_string(), "/p2p/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
  // Any supported multibase works; the codec must be libp2p-key (0x72) and the version 1.
  Bytes cid_bytes = {0x01, 0x72};
  const Bytes mh = hex(kPeerMh);
  cid_bytes.insert(cid_bytes.end(), mh.begin(), mh.end());
  for (auto base : {multibase::Base::Base32, multibase::Base::Base58Btc, multibase::Base::Base64Url,
                    multibase::Base::Base16}) {
    const std::string text = "/p2p/" + multibase::encode(base, cid_bytes);
    EXPECT_EQ(ma(text).to_string(), std::string("/p2p/") + std::string(kPeer)) << text;
  }
  Bytes dag_pb = cid_bytes;
  dag_pb[1] = 0x70;
  EXPECT_FALSE(Multiaddr::parse("/p2p/" + multibase::encode(multibase::Base::Base32, dag_pb)).ok());
  Bytes v2 = cid_bytes;
  v2[0] = 0x02;
  EXPECT_FALSE(Multiaddr::parse("/p2p/" + multibase::encode(multibase::Base::Base32, v2)).ok());
}

void expect_bad_text(std::string_view text, std::string_view detail_part) {
  auto r = Multiaddr::parse(text);
  ASSERT_FALSE(r.ok()) << text;
  EXPECT_EQ(r.error(), P2PNetworkError::InvalidPeerAddress) << text;
  EXPECT_NE(r.error().detail().find(detail_part), std::string::npos)
      << text << " -> " << r.error().detail();
}

TEST(Multiaddr, RejectsMalformedText) {
  expect_bad_text("/ip4/256.0.0.1", "invalid IPv4");
  expect_bad_text("/ip4/1.2.3", "invalid IPv4");
  expect_bad_text("/ip4/01.2.3.4", "invalid IPv4");
  expect_bad_text("/ip4/1.2.3.4 ", "invalid IPv4");
  expect_bad_text("/ip6/1::2::3", "invalid IPv6");
  expect_bad_text("/ip6/fe80::1%eth0", "invalid IPv6");
  expect_bad_text("/ip6/1:2:3:4:5:6:7:8:9", "invalid IPv6");
  expect_bad_text("/tcp/70000", "port out of range");
  expect_bad_text("/tcp/65536", "port out of range");
  expect_bad_text("/tcp/123456", "port out of range");
  expect_bad_text("/tcp/-1", "not a decimal");
  expect_bad_text("/tcp/+1", "not a decimal");
  expect_bad_text("/tcp/1x", "not a decimal");
  expect_bad_text("/tcp/0x10", "leading zero");
  expect_bad_text("/tcp/080", "leading zero");
  expect_bad_text("/tcp//ws", "empty port");
  expect_bad_text("/ip4", "/ip4: missing value");
  expect_bad_text("/ip4/1.2.3.4/tcp", "/tcp: missing value");
  expect_bad_text("/unknown/1", "unknown protocol 'unknown'");
  expect_bad_text("/ws/extra", "unknown protocol 'extra'");
  expect_bad_text(std::string("/") + std::string(100, 'x'), "(long name)");
  expect_bad_text(std::string("/a\x01") , "(unprintable name)");
  expect_bad_text("", "empty");
  expect_bad_text("/", "empty protocol name");
  expect_bad_text("//ip4/1.2.3.4", "empty protocol name");
  expect_bad_text("/ip4/1.2.3.4//", "empty protocol name");
  expect_bad_text("ip4/1.2.3.4", "must start with '/'");
  expect_bad_text("/dns4//tcp/1", "empty value");
  expect_bad_text("/dns4/exa mple.com", "printable ASCII");
  expect_bad_text("/dns4/caf\xc3\xa9.example", "printable ASCII");
  expect_bad_text(std::string("/dns/") + std::string(256, 'a'), "longer than 255");
  expect_bad_text("/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNK0", "base58");
  expect_bad_text("/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNK", "multihash");
  expect_bad_text("/p2p/bafyinvalid!", "multibase");
  expect_bad_text("/p2p/" + std::string(300, '1'), "too long");
}

TEST(Multiaddr, DnsNameOfMaximumLengthAccepted) {
  const std::string name(255, 'a');
  EXPECT_EQ(ma("/dns/" + name).to_string(), "/dns/" + name);
}

TEST(Multiaddr, TextSizeLimits) {
  // Too long as text.
  std::string long_text;
  while (long_text.size() <= Multiaddr::kMaxTextLength) long_text += "/ws";
  expect_bad_text(long_text, "text longer than");
  // Short enough as text, too long as binary: 61 * 17 bytes > 1024.
  std::string many_ip6;
  for (int i = 0; i < 61; ++i) many_ip6 += "/ip6/::1";
  expect_bad_text(many_ip6, "longer than 1024 bytes");
}

TEST(Multiaddr, MaximumSizeRoundTripsThroughText) {
  // 512 x /p2p-circuit is exactly kMaxBytes and has the worst text expansion we support
  // but one; its text must still parse back.
  Multiaddr a;
  for (size_t i = 0; i < Multiaddr::kMaxBytes / 2; ++i) {
    auto n = a.with_component(Proto::P2pCircuit, {});
    ASSERT_TRUE(n.ok());
    a = *n;
  }
  EXPECT_EQ(a.bytes().size(), Multiaddr::kMaxBytes);
  EXPECT_EQ(ma(a.to_string()), a);
  auto full = Multiaddr::from_bytes(a.bytes());
  ASSERT_TRUE(full.ok());
  auto over = a.with_component(Proto::Ws, {});
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error(), P2PNetworkError::ResourceLimitExceeded);
  // Worst expansion: 2-byte code, 13 characters.
  Multiaddr w;
  for (size_t i = 0; i < Multiaddr::kMaxBytes / 2; ++i) w = *w.with_component(Proto::WebTransport, {});
  EXPECT_LE(w.to_string().size(), Multiaddr::kMaxTextLength);
  EXPECT_EQ(ma(w.to_string()), w);
}

void expect_bad_bytes(std::string_view h, std::string_view detail_part) {
  auto r = Multiaddr::from_bytes(hex(h));
  ASSERT_FALSE(r.ok()) << h;
  EXPECT_EQ(r.error(), P2PNetworkError::InvalidPeerAddress) << h;
  EXPECT_NE(r.error().detail().find(detail_part), std::string::npos)
      << h << " -> " << r.error().detail();
}

TEST(Multiaddr, RejectsMalformedBinary) {
  expect_bad_bytes("", "empty");
  expect_bad_bytes("047f0000010604d200", "unknown protocol code 0");
  expect_bad_bytes("047f0000010604d2ff", "truncated or non-minimal protocol code");
  expect_bad_bytes("047f0000010604d206", "/tcp: truncated value");
  expect_bad_bytes("047f00000106", "/tcp: truncated value");
  expect_bad_bytes("047f0000", "/ip4: truncated value");
  expect_bad_bytes("8400", "non-minimal");  // ip4's code 4 spelled in two bytes
  expect_bad_bytes("ffffffffffffffffff01", "protocol code");
  expect_bad_bytes("0700", "unknown protocol code 7");
  expect_bad_bytes("bc030010c0439831b48218480050", "unknown protocol code 444");  // onion
  expect_bad_bytes("360b6578616d706c65", "/dns4: truncated or oversized value");
  expect_bad_bytes("3600", "/dns4: empty value");
  expect_bad_bytes("3603612f62", "printable ASCII");  // "a/b"
  expect_bad_bytes("3603610062", "printable ASCII");  // NUL inside
  expect_bad_bytes("a5030401020304", "/p2p: peer id is not a valid multihash");
  expect_bad_bytes("a50300", "/p2p: peer id is not a valid multihash");
  Bytes big(Multiaddr::kMaxBytes + 1, 0xdd);
  big[0] = 0xdd;
  auto r = Multiaddr::from_bytes(big);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().detail().find("longer than 1024"), std::string::npos);
}

TEST(Multiaddr, TrailingGarbageAfterValidAddress) {
  // A valid address followed by any extra byte(s) that do not form a whole component.
  Bytes b = ma("/ip4/1.2.3.4/tcp/80").bytes();
  b.push_back(0x06);
  EXPECT_FALSE(Multiaddr::from_bytes(b).ok());
  b.push_back(0x00);
  EXPECT_FALSE(Multiaddr::from_bytes(b).ok());
  b.push_back(0x50);
  EXPECT_TRUE(Multiaddr::from_bytes(b).ok());  // now a whole /tcp/80 again
}

TEST(Multiaddr, ComponentsAndLastValue) {
  const Multiaddr a = ma(
      "/ip4/127.0.0.1/tcp/9090/p2p/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N/p2p-circuit/p2p/"
      "QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC");
  const auto c = a.components();
  ASSERT_EQ(c.size(), 5u);
  EXPECT_EQ(c[0].proto, Proto::Ip4);
  EXPECT_EQ(c[0].value, (Bytes{127, 0, 0, 1}));
  EXPECT_EQ(c[1].proto, Proto::Tcp);
  EXPECT_EQ(c[1].value, (Bytes{0x23, 0x82}));
  EXPECT_EQ(c[3].proto, Proto::P2pCircuit);
  EXPECT_TRUE(c[3].value.empty());
  EXPECT_EQ(c[2].proto, Proto::P2p);
  EXPECT_EQ(c[4].proto, Proto::P2p);
  EXPECT_EQ(c[4].value, hex(kPeerMh));
  EXPECT_EQ(a.last_value(Proto::P2p), hex(kPeerMh));
  EXPECT_EQ(a.last_value(Proto::Udp), std::nullopt);
  auto mh = Multihash::parse(*a.last_value(Proto::P2p));
  ASSERT_TRUE(mh.ok());
  EXPECT_EQ(mh->code, Multihash::kSha2_256);
  EXPECT_TRUE(Multiaddr{}.components().empty());
  EXPECT_EQ(Multiaddr{}.to_string(), "");
}

TEST(Multiaddr, WithoutP2pAndEncapsulate) {
  const Multiaddr base = ma("/ip4/1.2.3.4/tcp/4001");
  const Multiaddr peer = ma(std::string("/p2p/") + std::string(kPeer));
  const Multiaddr full = base.encapsulate(peer);
  EXPECT_EQ(full.to_string(), std::string("/ip4/1.2.3.4/tcp/4001/p2p/") + std::string(kPeer));
  EXPECT_EQ(full.without_p2p(), base);
  EXPECT_EQ(base.without_p2p(), base);
  EXPECT_EQ(peer.without_p2p(), Multiaddr{});
  // Only a trailing /p2p/ is dropped.
  const Multiaddr relay = full.encapsulate(ma("/p2p-circuit"));
  EXPECT_EQ(relay.without_p2p(), relay);
  auto t = base.try_encapsulate(peer);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, full);
  Multiaddr big;
  for (int i = 0; i < 60; ++i) big = big.encapsulate(ma("/ip6/::1"));  // 1020 bytes
  EXPECT_TRUE(big.try_encapsulate(ma("/ws")).ok());
  auto over = big.try_encapsulate(ma("/ip6/::1"));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error(), P2PNetworkError::ResourceLimitExceeded);
}

TEST(Multiaddr, WithComponentValidates) {
  const Multiaddr base = ma("/ip4/1.2.3.4");
  auto ok = base.with_component(Proto::Tcp, Bytes{0x0f, 0xa1});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->to_string(), "/ip4/1.2.3.4/tcp/4001");
  auto p2p = base.with_component(Proto::P2p, hex(kPeerMh));
  ASSERT_TRUE(p2p.ok());
  EXPECT_EQ(p2p->to_string(), std::string("/ip4/1.2.3.4/p2p/") + std::string(kPeer));
  EXPECT_EQ(base.with_component(Proto::Tcp, Bytes{1, 2, 3}).error(), P2PNetworkError::InvalidPeerAddress);
  EXPECT_FALSE(base.with_component(Proto::Ws, Bytes{1}).ok());
  EXPECT_FALSE(base.with_component(Proto::Ip6, Bytes(4)).ok());
  EXPECT_FALSE(base.with_component(Proto::Dns, {}).ok());
  EXPECT_FALSE(base.with_component(Proto::P2p, hex("1203abcdef")).ok());
  EXPECT_FALSE(base.with_component(static_cast<Proto>(9999), {}).ok());
}

TEST(Multiaddr, TcpEndpoint) {
  auto e = ma("/ip4/10.0.0.1/tcp/4001/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC").tcp_endpoint();
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->host, "10.0.0.1");
  EXPECT_FALSE(e->is_ip6);
  EXPECT_FALSE(e->is_dns);
  EXPECT_EQ(e->port, 4001);

  e = ma("/ip6/2001:db8::1/tcp/443/wss").tcp_endpoint();
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->host, "2001:db8::1");
  EXPECT_TRUE(e->is_ip6);
  EXPECT_FALSE(e->is_dns);
  EXPECT_EQ(e->port, 443);

  e = ma("/dns4/example.com/tcp/65535").tcp_endpoint();
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->host, "example.com");
  EXPECT_FALSE(e->is_ip6);
  EXPECT_TRUE(e->is_dns);
  EXPECT_EQ(e->port, 65535);

  e = ma("/dns6/example.com/tcp/1").tcp_endpoint();
  ASSERT_TRUE(e.has_value());
  EXPECT_TRUE(e->is_ip6);
  EXPECT_TRUE(e->is_dns);

  e = ma("/dns/example.com/tcp/1").tcp_endpoint();
  ASSERT_TRUE(e.has_value());
  EXPECT_TRUE(e->is_dns);

  e = ma("/ip6zone/eth0/ip6/fe80::1/tcp/7").tcp_endpoint();
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->host, "fe80::1%eth0");
  EXPECT_TRUE(e->is_ip6);

  EXPECT_FALSE(ma("/ip4/1.2.3.4/udp/4001/quic-v1").tcp_endpoint().has_value());
  EXPECT_FALSE(ma("/ip4/1.2.3.4").tcp_endpoint().has_value());
  EXPECT_FALSE(ma("/tcp/1/ip4/1.2.3.4").tcp_endpoint().has_value());
  EXPECT_FALSE(ma("/dnsaddr/example.com/tcp/1").tcp_endpoint().has_value());
  EXPECT_FALSE(ma("/ip6zone/eth0/ip4/1.2.3.4/tcp/1").tcp_endpoint().has_value());
  EXPECT_FALSE(Multiaddr{}.tcp_endpoint().has_value());
}

TEST(Multiaddr, FromIpTcp) {
  EXPECT_EQ(Multiaddr::from_ip_tcp("127.0.0.1", 4001).to_string(), "/ip4/127.0.0.1/tcp/4001");
  EXPECT_EQ(Multiaddr::from_ip_tcp("::1", 0).to_string(), "/ip6/::1/tcp/0");
  EXPECT_EQ(Multiaddr::from_ip_tcp("2001:DB8:0::1", 65535).to_string(), "/ip6/2001:db8::1/tcp/65535");
  const Multiaddr z = Multiaddr::from_ip_tcp("fe80::1%eth0", 9);
  EXPECT_EQ(z.to_string(), "/ip6zone/eth0/ip6/fe80::1/tcp/9");
  auto e = z.tcp_endpoint();
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->host, "fe80::1%eth0");
  EXPECT_EQ(e->port, 9);
  // Every endpoint we produce feeds back into from_ip_tcp unchanged.
  for (std::string_view s : {"/ip4/8.8.8.8/tcp/53", "/ip6/::ffff:1.2.3.4/tcp/1", "/ip6/::/tcp/2"}) {
    auto ep = ma(s).tcp_endpoint();
    ASSERT_TRUE(ep.has_value());
    EXPECT_EQ(Multiaddr::from_ip_tcp(ep->host, ep->port), ma(s));
  }
}

TEST(Multiaddr, EqualityAndOrdering) {
  const Multiaddr a = ma("/ip4/1.2.3.4/tcp/1");
  const Multiaddr b = ma("/ip4/1.2.3.4/tcp/2");
  EXPECT_EQ(a, ma("/ip4/1.2.3.4/tcp/1"));
  EXPECT_NE(a, b);
  EXPECT_LT(a, b);
  EXPECT_TRUE(Multiaddr{}.empty());
  EXPECT_FALSE(a.empty());
}

}  // namespace
}  // namespace hauptbuch::p2p
