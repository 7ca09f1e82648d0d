// Unit tests for peer::AddrMan and network groups: placement rules, eclipse resistance,
// tried/new movement, selection, terrible entries.
#include "peer/addr_man.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace hauptbuch::p2p::peer {
namespace {

using namespace std::chrono_literals;

Multiaddr ma(const std::string& s) {
  auto r = Multiaddr::parse(s);
  EXPECT_TRUE(r.ok()) << s;
  return *r;
}
Multiaddr ip4(int a, int b, int c, int d, int port = 4001) {
  return ma("/ip4/" + std::to_string(a) + "." + std::to_string(b) + "." + std::to_string(c) + "." +
            std::to_string(d) + "/tcp/" + std::to_string(port));
}

std::array<uint8_t, kSecretSize> secret(uint8_t v) {
  std::array<uint8_t, kSecretSize> s{};
  s.fill(v);
  return s;
}

const Time kT0 = Time{} + 1000h;

TEST(NetworkGroup, Classes) {
  EXPECT_EQ(network_group(ip4(1, 2, 3, 4)), network_group(ip4(1, 2, 200, 9)));  // same /16
  EXPECT_NE(network_group(ip4(1, 2, 3, 4)), network_group(ip4(1, 3, 3, 4)));
  EXPECT_EQ(network_group(ip4(1, 2, 3, 4)).cls, AddrClass::Public);
  EXPECT_EQ(network_group(ma("/ip6/2001:db8:1:2::1/tcp/1")),
            network_group(ma("/ip6/2001:db8:ffff::9/tcp/1")));  // same /32
  EXPECT_NE(network_group(ma("/ip6/2001:db8::1/tcp/1")), network_group(ma("/ip6/2001:db9::1/tcp/1")));
  EXPECT_EQ(network_group(ma("/ip6/::ffff:1.2.3.4/tcp/1")), network_group(ip4(1, 2, 9, 9)));
  // Local addresses: each ip+port its own group, so loopback testnets are diverse.
  EXPECT_EQ(network_group(ip4(127, 0, 0, 1, 1)).cls, AddrClass::Local);
  EXPECT_NE(network_group(ip4(127, 0, 0, 1, 1)), network_group(ip4(127, 0, 0, 1, 2)));
  for (auto a : {ip4(10, 0, 0, 1), ip4(192, 168, 1, 1), ip4(172, 16, 0, 1), ip4(169, 254, 1, 1),
                 ip4(100, 64, 0, 1), ma("/ip6/::1/tcp/1"), ma("/ip6/fe80::1/tcp/1"),
                 ma("/ip6/fd00::1/tcp/1")})
    EXPECT_EQ(network_group(a).cls, AddrClass::Local) << a.to_string();
  EXPECT_EQ(network_group(ip4(172, 32, 0, 1)).cls, AddrClass::Public);
  EXPECT_EQ(network_group(ma("/dns4/Example.COM/tcp/1")), network_group(ma("/dns4/example.com/tcp/1")));
  EXPECT_EQ(network_group(ma("/dns4/example.com/tcp/1")).cls, AddrClass::Dns);
  EXPECT_EQ(network_group(ma("/p2p-circuit")).cls, AddrClass::Unsupported);
}

TEST(AddrMan, AddFindAndDuplicates) {
  AddrMan am(secret(1));
  EXPECT_TRUE(am.add(ip4(1, 2, 3, 4), ip4(5, 6, 7, 8), kT0));
  EXPECT_FALSE(am.add(ip4(1, 2, 3, 4), ip4(9, 9, 9, 9), kT0 + 1s));  // known: refreshed only
  auto f = am.find(ip4(1, 2, 3, 4));
  ASSERT_TRUE(f);
  EXPECT_EQ(f->last_seen, kT0 + 1s);
  EXPECT_FALSE(f->in_tried);
  EXPECT_EQ(am.stats().new_count, 1u);
  EXPECT_FALSE(am.add(ma("/ip4/1.2.3.4/udp/1/quic-v1"), ip4(5, 6, 7, 8), kT0));  // no tcp
}

TEST(AddrMan, LocalAddressesOnlyFromLocalSources) {
  AddrMan am(secret(1));
  EXPECT_FALSE(am.add(ip4(127, 0, 0, 1, 5000), ip4(5, 6, 7, 8), kT0));
  EXPECT_TRUE(am.add(ip4(127, 0, 0, 1, 5000), ip4(127, 0, 0, 1, 6000), kT0));
}

TEST(AddrMan, PeerIdIsKeptAndStrippedFromTheKey) {
  AddrMan am(secret(1));
  const std::string id = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";
  ASSERT_TRUE(am.add(ma("/ip4/1.2.3.4/tcp/1/p2p/" + id), ip4(5, 6, 7, 8), kT0));
  auto f = am.find(ma("/ip4/1.2.3.4/tcp/1"));
  ASSERT_TRUE(f);
  EXPECT_FALSE(f->peer.empty());
  EXPECT_EQ(f->addr, ma("/ip4/1.2.3.4/tcp/1"));
}

TEST(AddrMan, OneSourceGroupReachesAtMost64NewBuckets) {
  AddrMan am(secret(7));
  std::set<size_t> buckets;
  const std::string src = network_group(ip4(66, 66, 1, 1)).key;
  for (int a = 1; a < 250; ++a)
    for (int b = 0; b < 250; b += 7) buckets.insert(am.new_bucket(network_group(ip4(a, b, 0, 1)), src));
  EXPECT_LE(buckets.size(), kNewBucketsPerSourceGroup);
  EXPECT_GT(buckets.size(), 32u);  // and it does spread over them
}

TEST(AddrMan, OneGroupReachesAtMost8TriedBuckets) {
  AddrMan am(secret(7));
  std::set<size_t> buckets;
  for (int c = 0; c < 256; ++c)
    for (int d = 1; d < 255; d += 17) {
      auto a = ip4(44, 1, c, d);
      buckets.insert(am.tried_bucket(a, network_group(a)));
    }
  EXPECT_LE(buckets.size(), kTriedBucketsPerGroup);
}

TEST(AddrMan, FloodFromOneSourceGroupIsBounded) {
  AddrMan am(secret(3));
  // 20,000 distinct addresses in many groups, all told by peers in one /16.
  size_t stored = 0;
  for (int i = 0; i < 20000; ++i)
    stored += am.add(ip4(1 + i % 200, (i / 200) % 250, i % 7, 1 + i % 250), ip4(66, 66, i % 250, 1), kT0);
  EXPECT_EQ(stored, am.stats().new_count);
  EXPECT_LE(am.stats().new_count, kNewBucketsPerSourceGroup * kBucketSize);
}

TEST(AddrMan, GoodMovesToTriedAndSelectFindsIt) {
  AddrMan am(secret(2));
  ASSERT_TRUE(am.add(ip4(1, 2, 3, 4), ip4(5, 6, 7, 8), kT0));
  am.attempt(ip4(1, 2, 3, 4), kT0 + 1s);
  EXPECT_EQ(am.find(ip4(1, 2, 3, 4))->attempts, 1u);
  am.good(ip4(1, 2, 3, 4), kT0 + 2s);
  auto f = am.find(ip4(1, 2, 3, 4));
  ASSERT_TRUE(f);
  EXPECT_TRUE(f->in_tried);
  EXPECT_EQ(f->attempts, 0u);
  EXPECT_EQ(am.stats().tried_count, 1u);
  EXPECT_EQ(am.stats().new_count, 0u);
  SeededRandom rng(1);
  auto s = am.select(rng, kT0 + 1h);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->addr, ip4(1, 2, 3, 4));
  EXPECT_FALSE(am.select(rng, kT0 + 1h, /*new_only=*/true));
}

TEST(AddrMan, SelectHonoursFilterAndIsBounded) {
  AddrMan am(secret(2));
  for (int i = 1; i <= 50; ++i) am.add(ip4(i, 1, 1, 1), ip4(5, i, 7, 8), kT0);
  SeededRandom rng(9);
  std::set<std::string> seen;
  for (int i = 0; i < 300; ++i) {
    auto s = am.select(rng, kT0 + 1h, false, [](const AddrInfo& a) { return a.addr != ip4(1, 1, 1, 1); });
    ASSERT_TRUE(s);
    EXPECT_NE(s->addr, ip4(1, 1, 1, 1));
    seen.insert(s->addr.to_string());
  }
  EXPECT_GT(seen.size(), 25u);
  EXPECT_FALSE(am.select(rng, kT0, false, [](const AddrInfo&) { return false; }));
}

TEST(AddrMan, TerribleRules) {
  AddrInfo a;
  a.last_seen = kT0;
  EXPECT_FALSE(AddrMan::is_terrible(a, kT0 + 1h));
  EXPECT_TRUE(AddrMan::is_terrible(a, kT0 + 24h * 31));
  a.attempts = 3;
  EXPECT_TRUE(AddrMan::is_terrible(a, kT0 + 1h));
  a.last_try = kT0 + 1h;
  EXPECT_FALSE(AddrMan::is_terrible(a, kT0 + 1h + 30s));  // just tried
  a.last_success = kT0;
  a.attempts = 9;
  EXPECT_FALSE(AddrMan::is_terrible(a, kT0 + 24h * 8));
  a.attempts = 10;
  EXPECT_TRUE(AddrMan::is_terrible(a, kT0 + 24h * 8));
  EXPECT_LT(AddrMan::chance(a, kT0 + 24h), 0.1);
}

TEST(AddrMan, RestoreReproducesPlacement) {
  AddrMan a(secret(4));
  for (int i = 1; i <= 100; ++i) a.add(ip4(i, 2, 3, 4), ip4(9, i, 1, 1), kT0);
  a.good(ip4(5, 2, 3, 4), kT0 + 1s);
  AddrMan b(secret(4));
  size_t restored = 0;
  for (const auto& info : a.all()) restored += b.restore(info);
  EXPECT_EQ(restored, a.size());
  EXPECT_EQ(b.stats().tried_count, 1u);
  EXPECT_TRUE(b.find(ip4(5, 2, 3, 4))->in_tried);
  AddrInfo bad;
  bad.addr = ma("/ip4/1.2.3.4/tcp/1/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
  EXPECT_FALSE(b.restore(bad));
}

}  // namespace
}  // namespace hauptbuch::p2p::peer
