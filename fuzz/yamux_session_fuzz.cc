// Fuzz target: yamux frame decoder and a whole session (both roles) fed arbitrary bytes, with
// reads, writes and opens interleaved. Invariants: no crash; memory stays bounded; events bounded.
#include <cstdlib>

#include "mux/yamux_session.h"

using namespace hauptbuch::p2p;
using namespace hauptbuch::p2p::mux;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size >= kYamuxHeaderSize) (void)decode_header(ByteSpan(data, kYamuxHeaderSize));
  if (size == 0) return 0;
  const size_t chunk = 1 + data[0] % 128;
  ByteSpan in(data + 1, size - 1);
  YamuxConfig cfg;
  cfg.max_streams = 16;
  cfg.max_session_buffer = 1 << 20;
  for (auto role : {Session::Role::Client, Session::Role::Server}) {
    Session s(role, cfg);
    (void)s.open_stream();
    Time now{};
    Bytes buf(300);
    for (size_t off = 0; off < in.size() && !s.closed(); off += chunk) {
      now += std::chrono::milliseconds(1);
      if (!s.feed(in.subspan(off, std::min(chunk, in.size() - off)), now).ok()) break;
      for (int k = 0; k < 64; ++k) {
        auto ev = s.poll_event();
        if (!ev) break;
        if (ev->type == EventType::StreamReadable || ev->type == EventType::StreamOpened) {
          (void)s.read(ev->stream, buf, now);
          (void)s.write(ev->stream, ByteSpan(buf.data(), 10));
        }
      }
      (void)s.take_output();
      if (s.memory_usage() > (4u << 20)) std::abort();
    }
  }
  return 0;
}
