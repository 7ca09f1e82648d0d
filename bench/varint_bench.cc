// Varint encode/decode throughput (values of 1, 2, 5 and 9 bytes).
#include <benchmark/benchmark.h>

#include <random>

#include "util/varint.h"

using namespace hauptbuch::p2p;

namespace {

std::vector<uint64_t> values(int bytes) {
  std::mt19937_64 rng(42);
  std::vector<uint64_t> v(4096);
  uint64_t lo = bytes == 1 ? 0 : uint64_t{1} << (7 * (bytes - 1));
  uint64_t hi = bytes == 9 ? varint::kMaxValue : (uint64_t{1} << (7 * bytes)) - 1;
  std::uniform_int_distribution<uint64_t> dist(lo, hi);
  for (auto& x : v) x = dist(rng);
  return v;
}

void BM_VarintEncode(benchmark::State& state) {
  auto v = values(static_cast<int>(state.range(0)));
  uint8_t buf[10];
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(varint::encode(v[i++ & 4095], buf));
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VarintEncode)->Arg(1)->Arg(2)->Arg(5)->Arg(9);

void BM_VarintDecode(benchmark::State& state) {
  auto v = values(static_cast<int>(state.range(0)));
  Bytes stream;
  for (uint64_t x : v) varint::append(stream, x);
  size_t off = 0;
  for (auto _ : state) {
    auto d = varint::decode(ByteSpan(stream).subspan(off));
    benchmark::DoNotOptimize(d.value);
    off += d.length;
    if (off >= stream.size()) off = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VarintDecode)->Arg(1)->Arg(2)->Arg(5)->Arg(9);

}  // namespace

BENCHMARK_MAIN();
