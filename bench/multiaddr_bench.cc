// Multiaddr parse/print cost and base58 cost of a peer id, for the address-heavy paths
// (identify, peer records, Kademlia responses carry lists of addresses).
#include <benchmark/benchmark.h>

#include <string>

#include "util/base58.h"
#include "util/multiaddr.h"

using namespace hauptbuch::p2p;

namespace {

// An Ed25519 peer id: identity multihash (0x00, length 36) of the 36-byte key protobuf.
constexpr std::string_view kPeerId = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";

std::string text_for(int which) {
  switch (which) {
    case 0: return "/ip4/127.0.0.1/tcp/4001";
    case 1: return "/ip6/2001:db8::1/udp/4001/quic-v1/p2p/" + std::string(kPeerId);
    default: return "/dns4/bootstrap.example.com/tcp/443/wss/p2p/" + std::string(kPeerId);
  }
}

void label(benchmark::State& state) {
  static const char* const kNames[] = {"ip4_tcp", "ip6_quic_p2p", "dns4_wss_p2p"};
  state.SetLabel(kNames[state.range(0)]);
}

void BM_MultiaddrParseText(benchmark::State& state) {
  const std::string text = text_for(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto r = Multiaddr::parse(text);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
  label(state);
}
BENCHMARK(BM_MultiaddrParseText)->DenseRange(0, 2);

void BM_MultiaddrParseBinary(benchmark::State& state) {
  const Bytes bytes = Multiaddr::parse(text_for(static_cast<int>(state.range(0))))->bytes();
  for (auto _ : state) {
    auto r = Multiaddr::from_bytes(bytes);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
  label(state);
}
BENCHMARK(BM_MultiaddrParseBinary)->DenseRange(0, 2);

void BM_MultiaddrToString(benchmark::State& state) {
  const Multiaddr a = *Multiaddr::parse(text_for(static_cast<int>(state.range(0))));
  for (auto _ : state) {
    std::string s = a.to_string();
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations());
  label(state);
}
BENCHMARK(BM_MultiaddrToString)->DenseRange(0, 2);

void BM_Base58EncodePeerId(benchmark::State& state) {
  const Bytes id = *base58::decode(kPeerId);  // 38 bytes
  for (auto _ : state) {
    std::string s = base58::encode(id);
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::to_string(id.size()) + "_bytes");
}
BENCHMARK(BM_Base58EncodePeerId);

void BM_Base58DecodePeerId(benchmark::State& state) {
  for (auto _ : state) {
    auto r = base58::decode(kPeerId);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Base58DecodePeerId);

}  // namespace

BENCHMARK_MAIN();
