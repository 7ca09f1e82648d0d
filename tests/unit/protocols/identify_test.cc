// Unit tests for the identify message codec (src/protocols/identify/identify.h), incl. hostile
// input, and for multiaddr <-> endpoint conversion (src/transport/tcp.h).
#include "protocols/identify/identify.h"

#include <gtest/gtest.h>

#include "identify.pb.h"
#include "transport/tcp.h"

namespace hauptbuch::p2p {
namespace {

crypto::PrivateKey key(uint8_t s) { return crypto::PrivateKey::ed25519_from_seed(Bytes(32, s)); }

TEST(Identify, RoundTripAndPeerCheck) {
  identify::IdentifyInfo info;
  info.protocol_version = "ipfs/0.1.0";
  info.agent_version = "hbp2p/0.1.0";
  info.public_key = key(1).public_key();
  info.listen_addrs = {*Multiaddr::parse("/ip4/127.0.0.1/tcp/4001"), *Multiaddr::parse("/ip6/::1/tcp/4002")};
  info.observed_addr = *Multiaddr::parse("/ip4/10.0.0.1/tcp/5555");
  info.protocols = {"/ipfs/ping/1.0.0", "/ipfs/id/1.0.0"};
  const Bytes wire = identify::encode_identify(info);
  auto back = identify::decode_identify(wire, PeerId::from_public_key(key(1).public_key()));
  ASSERT_TRUE(back.ok()) << back.error().message();
  EXPECT_EQ(back->agent_version, info.agent_version);
  EXPECT_EQ(back->listen_addrs, info.listen_addrs);
  EXPECT_EQ(back->observed_addr, info.observed_addr);
  EXPECT_EQ(back->protocols, info.protocols);
  auto wrong = identify::decode_identify(wire, PeerId::from_public_key(key(2).public_key()));
  ASSERT_FALSE(wrong.ok());
  EXPECT_TRUE(wrong.error().is(P2PNetworkError::SecurityValidationFailed));
}

TEST(Identify, HostileInput) {
  EXPECT_FALSE(identify::decode_identify(Bytes(identify::kMaxIdentifyBytes + 1, 0), std::nullopt).ok());
  EXPECT_FALSE(identify::decode_identify(Bytes{0xff, 0xff, 0xff}, std::nullopt).ok());
  pb::identify::Identify m;
  for (size_t i = 0; i <= identify::kMaxListenAddrs; ++i) m.add_listenaddrs(std::string("\x04\x7f\x00\x00\x01", 5));
  std::string s;
  m.SerializeToString(&s);
  EXPECT_FALSE(identify::decode_identify(Bytes(s.begin(), s.end()), std::nullopt).ok());
  pb::identify::Identify bad_key;
  bad_key.set_publickey("not a key");
  bad_key.SerializeToString(&s);
  EXPECT_FALSE(identify::decode_identify(Bytes(s.begin(), s.end()), std::nullopt).ok());
  pb::identify::Identify bad_addr;  // invalid addresses are skipped, not fatal
  bad_addr.add_listenaddrs("\xff\xff");
  bad_addr.add_protocols("/x/1");
  bad_addr.SerializeToString(&s);
  auto r = identify::decode_identify(Bytes(s.begin(), s.end()), std::nullopt);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->listen_addrs.empty());
  pb::identify::Identify empty_proto;
  empty_proto.add_protocols("");
  empty_proto.SerializeToString(&s);
  EXPECT_FALSE(identify::decode_identify(Bytes(s.begin(), s.end()), std::nullopt).ok());
}

TEST(TcpTransport, MultiaddrEndpointConversion) {
  auto ep = transport::tcp_endpoint_of(*Multiaddr::parse("/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA"));
  ASSERT_TRUE(ep.ok());
  EXPECT_EQ(ep->port(), 4001);
  EXPECT_EQ(transport::multiaddr_of(*ep).to_string(), "/ip4/127.0.0.1/tcp/4001");
  auto v6 = transport::tcp_endpoint_of(*Multiaddr::parse("/ip6/::1/tcp/9"));
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(transport::multiaddr_of(*v6).to_string(), "/ip6/::1/tcp/9");
  EXPECT_TRUE(transport::tcp_endpoint_of(*Multiaddr::parse("/dns4/example.com/tcp/1")).error().is(P2PNetworkError::Unsupported));
  EXPECT_FALSE(transport::tcp_endpoint_of(*Multiaddr::parse("/ip4/1.2.3.4/udp/1/quic-v1")).ok());
  EXPECT_FALSE(transport::tcp_endpoint_of(*Multiaddr::parse("/ip4/1.2.3.4/tcp/1/ws")).ok());
}

}  // namespace
}  // namespace hauptbuch::p2p
