// identify (`/ipfs/id/1.0.0`, push `/ipfs/id/push/1.0.0`; specs: identify/README.md): the
// message a node sends about itself, built and parsed here without I/O. The parser takes
// hostile bytes: size capped, every field bounded and validated (the public key must decode
// and match the connection's peer; addresses must parse; counts are capped).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/identity.h"
#include "hauptbuch/p2p/result.h"
#include "peer/peer_id.h"
#include "util/multiaddr.h"

namespace hauptbuch::p2p::identify {

inline constexpr std::string_view kIdentifyProtocol = "/ipfs/id/1.0.0";
inline constexpr std::string_view kIdentifyPushProtocol = "/ipfs/id/push/1.0.0";
inline constexpr std::string_view kProtocolVersion = "ipfs/0.1.0";
// go-libp2p and js-libp2p cap identify messages at 8 KiB (signed peer records included); a
// hybrid post-quantum key is 2 KiB more, so we allow 16 KiB.
inline constexpr size_t kMaxIdentifyBytes = 16 * 1024;
inline constexpr size_t kMaxListenAddrs = 64;
inline constexpr size_t kMaxProtocols = 256;

struct IdentifyInfo {
  std::string protocol_version;
  std::string agent_version;
  std::optional<crypto::PublicKey> public_key;
  std::vector<Multiaddr> listen_addrs;
  std::optional<Multiaddr> observed_addr;
  std::vector<std::string> protocols;
};

Bytes encode_identify(const IdentifyInfo& info);
// Errors: InvalidMessage (size, protobuf, bounds, bad fields); SecurityValidationFailed when
// `peer` is given and the public key does not match it. Invalid addresses are skipped.
Result<IdentifyInfo> decode_identify(ByteSpan bytes, const std::optional<PeerId>& peer);

}  // namespace hauptbuch::p2p::identify
