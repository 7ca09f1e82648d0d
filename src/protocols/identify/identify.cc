// identify message codec (see identify.h).
#include "protocols/identify/identify.h"

#include "identify.pb.h"

namespace hauptbuch::p2p::identify {
namespace {

namespace pb = hauptbuch::p2p::pb::identify;
ByteSpan span_of(const std::string& s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

}  // namespace

Bytes encode_identify(const IdentifyInfo& info) {
  pb::Identify m;
  m.set_protocolversion(info.protocol_version);
  m.set_agentversion(info.agent_version);
  if (info.public_key) {
    const Bytes k = info.public_key->to_protobuf();
    m.set_publickey(std::string(k.begin(), k.end()));
  }
  for (const auto& a : info.listen_addrs) m.add_listenaddrs(std::string(a.bytes().begin(), a.bytes().end()));
  if (info.observed_addr) m.set_observedaddr(std::string(info.observed_addr->bytes().begin(), info.observed_addr->bytes().end()));
  for (const auto& p : info.protocols) m.add_protocols(p);
  std::string s;
  m.SerializeToString(&s);
  return Bytes(s.begin(), s.end());
}

Result<IdentifyInfo> decode_identify(ByteSpan bytes, const std::optional<PeerId>& peer) {
  if (bytes.size() > kMaxIdentifyBytes) return Error(P2PNetworkError::InvalidMessage, "identify: message too large");
  pb::Identify m;
  if (!m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return Error(P2PNetworkError::InvalidMessage, "identify: not a valid protobuf");
  if (static_cast<size_t>(m.listenaddrs_size()) > kMaxListenAddrs)
    return Error(P2PNetworkError::InvalidMessage, "identify: too many listen addresses");
  if (static_cast<size_t>(m.protocols_size()) > kMaxProtocols)
    return Error(P2PNetworkError::InvalidMessage, "identify: too many protocols");
  IdentifyInfo out;
  out.protocol_version = m.protocolversion().substr(0, 128);
  out.agent_version = m.agentversion().substr(0, 256);
  if (m.has_publickey()) {
    auto k = crypto::PublicKey::from_protobuf(span_of(m.publickey()));
    if (!k.ok()) return Error(P2PNetworkError::InvalidMessage, "identify: public key: " + k.error().detail());
    if (peer && !peer->matches(*k))
      return Error(P2PNetworkError::SecurityValidationFailed, "identify: public key does not match the peer");
    out.public_key = std::move(*k);
  }
  for (const auto& a : m.listenaddrs()) {
    auto ma = Multiaddr::from_bytes(span_of(a));
    if (ma.ok()) out.listen_addrs.push_back(std::move(*ma));
  }
  if (m.has_observedaddr()) {
    auto ma = Multiaddr::from_bytes(span_of(m.observedaddr()));
    if (ma.ok()) out.observed_addr = std::move(*ma);
  }
  for (const auto& p : m.protocols()) {
    if (p.empty() || p.size() > 256) return Error(P2PNetworkError::InvalidMessage, "identify: protocol id of invalid length");
    out.protocols.push_back(p);
  }
  return out;
}

}  // namespace hauptbuch::p2p::identify
