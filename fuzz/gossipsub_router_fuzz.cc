// Fuzz target: the gossipsub router core (src/protocols/gossipsub/router.h) fed hostile RPCs.
// Input: a sequence of [1 byte: peer index (low 2 bits) | heartbeat flag (bit 7)]
// [2 bytes: frame length][frame] records; each frame that decodes with the RPC limits is handed
// to the router as coming from that peer (three StrictNoSign/StrictSign peers with mixed
// protocols), with virtual time advancing. Invariants: no crash or UB; per-peer queues stay
// within 2x their bound; pending validations within theirs; every queued RPC re-encodes and
// decodes.
#include <cstdlib>

#include "protocols/gossipsub/router.h"
#include "protocols/gossipsub/rpc_codec.h"

using namespace hauptbuch::p2p;
using namespace hauptbuch::p2p::gossipsub;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  GossipsubConfig cfg;
  cfg.max_queue_bytes_per_peer = 64 * 1024;
  cfg.max_pending_validations = 64;
  SeededRandom rng(1);
  Router r(cfg, "self", nullptr, rng);
  const PeerKey peers[3] = {"peer-a", "peer-b", "peer-c"};
  const PeerProtocol protos[3] = {PeerProtocol::Meshsub12, PeerProtocol::Meshsub11, PeerProtocol::Floodsub};
  Time now = Time{} + std::chrono::hours(1);
  for (int i = 0; i < 3; ++i) r.add_peer(peers[i], protos[i], i == 0, "", now);
  r.subscribe("/hauptbuch/c/t", now);
  r.subscribe("interop", now);
  r.set_async_validation(size > 0 && (data[0] & 0x40) != 0);
  ByteSpan in(data, size);
  while (in.size() >= 3) {
    const uint8_t head = in[0];
    const size_t len = std::min<size_t>(in.size() - 3, size_t(in[1]) << 8 | in[2]);
    ByteSpan frame = in.subspan(3, len);
    in = in.subspan(3 + len);
    now += std::chrono::milliseconds(100);
    auto rpc = decode_rpc(frame);
    if (rpc.ok()) r.handle_rpc(peers[(head & 3) % 3], std::move(*rpc), now);
    for (auto& v : r.take_validations())
      r.report_validation(v.id, static_cast<ValidationResult>(v.message.data.size() % 3), now);
    if (head & 0x80) r.heartbeat(now);
    (void)r.publish("/hauptbuch/c/t", Bytes(frame.begin(), frame.end()), now);
    for (const auto& p : peers) {
      if (r.queued_bytes(p) > 2 * cfg.max_queue_bytes_per_peer) std::abort();
      if (head & 0x20) continue;  // sometimes leave the queues full
      while (auto out = r.take_rpc(p))
        if (!decode_rpc(encode_rpc(*out)).ok()) std::abort();
    }
    if (r.pending_validations() > cfg.max_pending_validations) std::abort();
    (void)r.take_deliveries();
    (void)r.take_px_candidates();
  }
  return 0;
}
