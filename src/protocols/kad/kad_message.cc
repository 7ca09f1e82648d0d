// kad-dht message codec (see kad_message.h). STUB: filled in next.
#include "protocols/kad/kad_message.h"

namespace hauptbuch::p2p::kad {

Bytes encode(const KadMessage&) { return {}; }
bool encoded_size_ok(const KadMessage&) { return true; }
Result<KadMessage> decode(ByteSpan) { return Error(P2PNetworkError::Unsupported, "kad: codec not implemented yet"); }
std::string_view type_name(MessageType t) noexcept {
  switch (t) {
    case MessageType::PutValue: return "PUT_VALUE";
    case MessageType::GetValue: return "GET_VALUE";
    case MessageType::AddProvider: return "ADD_PROVIDER";
    case MessageType::GetProviders: return "GET_PROVIDERS";
    case MessageType::FindNode: return "FIND_NODE";
    case MessageType::Ping: return "PING";
  }
  return "UNKNOWN";
}

}  // namespace hauptbuch::p2p::kad
