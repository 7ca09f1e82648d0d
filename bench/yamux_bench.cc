// yamux session throughput in memory (no sockets, no crypto): two sessions wired back to back,
// the client writes, the server reads everything and returns its window updates. Measures one
// stream, 16 streams round-robin, and the cost per frame for small writes (12-byte header each).
// Run: yamux_bench --benchmark_format=json
#include <benchmark/benchmark.h>

#include <vector>

#include "mux/yamux_session.h"

using namespace hauptbuch::p2p;
using namespace hauptbuch::p2p::mux;

namespace {

struct Pair {
  Session client{Session::Role::Client};
  Session server{Session::Role::Server};
  Time now = Time{} + std::chrono::hours(1);
  Bytes read_buf = Bytes(1 << 20);
  uint64_t received = 0;

  // Client output -> server; server reads every readable stream; server output -> client.
  bool step() {
    const Bytes to_server = client.take_output();
    if (!server.feed(to_server, now).ok()) return false;
    while (auto e = server.poll_event()) {
      if (e->type != EventType::StreamReadable && e->type != EventType::StreamOpened) continue;
      while (true) {
        auto r = server.read(e->stream, read_buf, now);
        if (!r.ok() || r->n == 0) break;
        received += r->n;
      }
    }
    const Bytes to_client = server.take_output();
    if (!client.feed(to_client, now).ok()) return false;
    while (client.poll_event()) {
    }
    return true;
  }
};

void run_streams(benchmark::State& state, size_t streams) {
  const size_t chunk = static_cast<size_t>(state.range(0));
  Pair p;
  std::vector<StreamId> ids;
  for (size_t i = 0; i < streams; ++i) {
    auto id = p.client.open_stream();
    if (!id.ok()) {
      state.SkipWithError("open_stream failed");
      return;
    }
    ids.push_back(*id);
  }
  const Bytes data(chunk, 0x42);
  uint64_t written = 0;
  for (auto _ : state) {
    for (StreamId id : ids) {
      auto n = p.client.write(id, data);
      if (!n.ok()) {
        state.SkipWithError("write failed");
        return;
      }
      written += *n;
    }
    if (!p.step()) {
      state.SkipWithError("session error");
      return;
    }
  }
  if (p.received != written) state.SkipWithError("bytes lost");
  state.SetBytesProcessed(static_cast<int64_t>(p.received));
}

void BM_YamuxOneStream(benchmark::State& state) { run_streams(state, 1); }
BENCHMARK(BM_YamuxOneStream)->Arg(16 * 1024)->Arg(64 * 1024)->Arg(256 * 1024);

void BM_Yamux16Streams(benchmark::State& state) { run_streams(state, 16); }
BENCHMARK(BM_Yamux16Streams)->Arg(16 * 1024)->Arg(64 * 1024);

// Small writes: one frame per write; items/s is frames/s, wire_overhead is header bytes over
// all bytes on the wire.
void BM_YamuxPerFrame(benchmark::State& state) {
  const size_t payload = static_cast<size_t>(state.range(0));
  Pair p;
  auto id = p.client.open_stream();
  if (!id.ok()) {
    state.SkipWithError("open_stream failed");
    return;
  }
  const Bytes data(payload, 0x42);
  int64_t frames = 0;
  for (auto _ : state) {
    for (int i = 0; i < 64; ++i) {
      auto n = p.client.write(*id, data);
      if (!n.ok() || *n != payload) {
        state.SkipWithError("write refused");
        return;
      }
    }
    frames += 64;
    if (!p.step()) {
      state.SkipWithError("session error");
      return;
    }
  }
  state.SetItemsProcessed(frames);
  state.SetBytesProcessed(frames * static_cast<int64_t>(payload));
  state.counters["wire_overhead"] =
      static_cast<double>(kYamuxHeaderSize) / static_cast<double>(kYamuxHeaderSize + payload);
}
BENCHMARK(BM_YamuxPerFrame)->Arg(1)->Arg(64)->Arg(1024);

}  // namespace

BENCHMARK_MAIN();
