// The P2PNetworkError error category: names and messages for every code.
#include "hauptbuch/p2p/error.h"
#include "hauptbuch/p2p/result.h"

namespace hauptbuch::p2p {
namespace {

struct Entry {
  const char* name;
  const char* message;
};

Entry entry(P2PNetworkError e) noexcept {
  using E = P2PNetworkError;
  switch (e) {
    case E::InvalidPeerAddress: return {"InvalidPeerAddress", "invalid peer address"};
    case E::InvalidMessage: return {"InvalidMessage", "invalid message"};
    case E::InvalidConnection: return {"InvalidConnection", "invalid connection"};
    case E::PeerConnectionFailed: return {"PeerConnectionFailed", "peer connection failed"};
    case E::MessageRoutingFailed: return {"MessageRoutingFailed", "message routing failed"};
    case E::PeerDiscoveryFailed: return {"PeerDiscoveryFailed", "peer discovery failed"};
    case E::SecurityValidationFailed: return {"SecurityValidationFailed", "security validation failed"};
    case E::ConnectionLimitsExceeded: return {"ConnectionLimitsExceeded", "connection limits exceeded"};
    case E::PeerSecurityValidationFailed:
      return {"PeerSecurityValidationFailed", "peer security validation failed"};
    case E::NetworkManagementFailed: return {"NetworkManagementFailed", "network management failed"};
    case E::PeerManagementFailed: return {"PeerManagementFailed", "peer management failed"};
    case E::DiscoveryEngineFailed: return {"DiscoveryEngineFailed", "discovery engine failed"};
    case E::ConnectionManagementFailed:
      return {"ConnectionManagementFailed", "connection management failed"};
    case E::SecurityManagementFailed: return {"SecurityManagementFailed", "security management failed"};
    case E::Timeout: return {"Timeout", "operation timed out"};
    case E::Cancelled: return {"Cancelled", "operation cancelled"};
    case E::InvalidConfig: return {"InvalidConfig", "invalid configuration"};
    case E::InvalidKey: return {"InvalidKey", "invalid key"};
    case E::ResourceLimitExceeded: return {"ResourceLimitExceeded", "resource limit exceeded"};
    case E::Unsupported: return {"Unsupported", "unsupported"};
    case E::IoFailed: return {"IoFailed", "I/O failed"};
  }
  return {"Unknown", "unknown P2PNetworkError"};
}

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "P2PNetworkError"; }
  std::string message(int value) const override {
    return entry(static_cast<P2PNetworkError>(value)).message;
  }
};

}  // namespace

const std::error_category& p2p_network_error_category() noexcept {
  static const Category category;
  return category;
}

const char* error_name(P2PNetworkError e) noexcept { return entry(e).name; }

std::string Error::message() const {
  std::string out;
  if (code_.category() == p2p_network_error_category()) {
    out = error_name(static_cast<P2PNetworkError>(code_.value()));
  } else {
    out = code_.message();
  }
  if (!detail_.empty()) {
    out += ": ";
    out += detail_;
  }
  return out;
}

}  // namespace hauptbuch::p2p
