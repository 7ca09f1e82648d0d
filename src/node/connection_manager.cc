// ConnectionManager implementation: counters and the simultaneous-dial tie-break. No I/O.
#include "node/connection_manager.h"

#include <string>

namespace hauptbuch::p2p::node {

std::string ConnectionManager::subnet_key(const asio::ip::address& ip) {
  if (ip.is_v6() && !ip.to_v6().is_v4_mapped()) {
    auto b = ip.to_v6().to_bytes();
    return std::string("6:") + std::string(reinterpret_cast<const char*>(b.data()), 6);
  }
  auto v4 = ip.is_v4() ? ip.to_v4() : asio::ip::make_address_v4(asio::ip::v4_mapped, ip.to_v6());
  auto b = v4.to_bytes();
  return std::string("4:") + std::string(reinterpret_cast<const char*>(b.data()), 3);
}

Status ConnectionManager::check_caps(Direction dir, const asio::ip::address& ip) const {
  if (conns_.size() >= limits_.max_peers)
    return Status(P2PNetworkError::ConnectionLimitsExceeded, "max_peers reached");
  if (dir == Direction::Outbound) {
    if (outbound() >= limits_.max_outbound)
      return Status(P2PNetworkError::ConnectionLimitsExceeded, "max_outbound reached");
    return ok_status();
  }
  if (inbound_ >= limits_.max_inbound)
    return Status(P2PNetworkError::ConnectionLimitsExceeded, "max_inbound reached");
  // Loopback peers share one IP by nature (local testnets, tests): per-IP and per-subnet caps
  // only make sense for remote addresses.
  if (ip.is_loopback()) return ok_status();
  if (auto it = inbound_per_ip_.find(ip);
      it != inbound_per_ip_.end() && it->second >= limits_.max_inbound_per_ip)
    return Status(P2PNetworkError::ConnectionLimitsExceeded, "max_inbound_per_ip reached");
  if (auto it = inbound_per_subnet_.find(subnet_key(ip));
      it != inbound_per_subnet_.end() && it->second >= limits_.max_inbound_per_subnet)
    return Status(P2PNetworkError::ConnectionLimitsExceeded, "max_inbound_per_subnet reached");
  return ok_status();
}

Status ConnectionManager::check_inbound(const asio::ip::address& ip) const {
  return check_caps(Direction::Inbound, ip);
}

Status ConnectionManager::check_outbound() const {
  return check_caps(Direction::Outbound, asio::ip::address());
}

void ConnectionManager::insert(ConnectionId id, Entry e) {
  if (e.dir == Direction::Inbound) {
    ++inbound_;
    ++inbound_per_ip_[e.ip];
    ++inbound_per_subnet_[subnet_key(e.ip)];
  }
  by_peer_[e.peer] = id;
  conns_.emplace(id, std::move(e));
}

Result<AdmitDecision> ConnectionManager::add(ConnectionId id, const std::string& remote_peer,
                                             const std::string& local_peer, Direction dir,
                                             const asio::ip::address& ip) {
  if (conns_.count(id) != 0)
    return Result<AdmitDecision>(P2PNetworkError::InvalidPeerAddress, "connection id already registered");
  Entry e{remote_peer, dir, ip, dir == Direction::Outbound ? local_peer : remote_peer};
  auto existing = by_peer_.find(remote_peer);
  if (existing == by_peer_.end()) {
    HBP2P_TRY(check_caps(dir, ip));
    insert(id, std::move(e));
    return AdmitDecision{};
  }
  // Second connection to the same peer: keep the one whose initiator has the smaller PeerId;
  // on a tie (same initiator) keep the existing one. Both sides compute the same answer.
  const ConnectionId old_id = existing->second;
  const Entry& old = conns_.at(old_id);
  if (!(e.initiator < old.initiator)) return AdmitDecision{false, std::nullopt};
  Entry old_copy = old;
  remove(old_id);
  if (Status st = check_caps(dir, ip); !st.ok()) {
    insert(old_id, std::move(old_copy));  // restore: state is unchanged on failure
    return Result<AdmitDecision>(st.error());
  }
  insert(id, std::move(e));
  return AdmitDecision{true, old_id};
}

void ConnectionManager::remove(ConnectionId id) {
  auto it = conns_.find(id);
  if (it == conns_.end()) return;
  const Entry& e = it->second;
  if (e.dir == Direction::Inbound) {
    --inbound_;
    if (--inbound_per_ip_[e.ip] == 0) inbound_per_ip_.erase(e.ip);
    auto key = subnet_key(e.ip);
    if (--inbound_per_subnet_[key] == 0) inbound_per_subnet_.erase(key);
  }
  if (auto p = by_peer_.find(e.peer); p != by_peer_.end() && p->second == id) by_peer_.erase(p);
  conns_.erase(it);
}

std::optional<ConnectionId> ConnectionManager::connection_for(const std::string& peer) const {
  auto it = by_peer_.find(peer);
  if (it == by_peer_.end()) return std::nullopt;
  return it->second;
}

}  // namespace hauptbuch::p2p::node
