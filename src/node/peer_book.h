// PeerBook: the peer manager's memory and judgement, without I/O — which addresses we know
// (AddrMan buckets), which we dialled and how that went (Backoff, OutboundPolicy), who
// misbehaved (PeerScores → timed bans in the BanList), and persistence of all of it in the
// SQLite address store (AddrStore) so that a restart keeps the table, the bans and the anchors.
// The node (node_core.cc) calls it on connection events and asks it what to dial next.
// Time and randomness are passed in. Not thread-safe: owned by the node's strand.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hauptbuch/p2p/result.h"
#include "peer/addr_man.h"
#include "peer/addr_store.h"
#include "peer/backoff.h"
#include "peer/ban_list.h"
#include "peer/outbound_policy.h"
#include "peer/peer_id.h"
#include "peer/peer_score.h"
#include "util/random.h"

namespace hauptbuch::p2p::node {

struct PeerBookConfig {
  size_t outbound_target = 8;   // outbound peers the node keeps
  size_t max_per_group = 2;     // outbound peers per network group
  std::string db_path;          // "" = in memory only
};

class PeerBook {
 public:
  PeerBook(PeerBookConfig cfg, RandomSource& rng);
  ~PeerBook();

  // Loads the store (when db_path is set). A corrupt database is set aside and rebuilt (the
  // store reports it); errors only when no database can be created (IoFailed).
  Status open(Time now);
  // Writes addresses, anchors and bans (no-op without a store).
  Status save(Time now);
  bool recovered() const { return recovered_; }
  // Anchors loaded at open(), most recent first (dial these first after a restart).
  std::vector<Multiaddr> anchors() const { return anchors_; }

  // `peer` is reachable at `addrs` (identify listen addresses, DHT answers, bootstrap list);
  // `source` is the address of whoever told us. Returns how many were new.
  size_t learn(const std::vector<Multiaddr>& addrs, const Multiaddr& source, Time now);
  // Grows whenever learn() stored a new address (lets the outbound maintenance retry a
  // selection that found nothing only when there is something new to find).
  uint64_t learned() const { return learned_; }

  // The validation path before a dial: ban (peer or IP) → PeerSecurityValidationFailed; and,
  // for automatic dials (`automatic`), backoff after failures → PeerConnectionFailed (with the
  // wait in the detail). Dials the application asks for explicitly are not held back.
  Status check_dial(const std::optional<PeerId>& peer, const Multiaddr& addr, Time now, bool automatic) const;
  // Outcome of a dial to `addr` (transport address; /p2p optional); `peer` is the
  // authenticated peer on success. Successful outbound peers become anchors.
  void dial_result(const Multiaddr& addr, const PeerId* peer, bool ok, Time now);
  // Next address the outbound maintenance should dial (with /p2p when known), or nullopt.
  // `connected` vetoes peers we already have (PeerId bytes).
  std::optional<Multiaddr> next_outbound(Time now, const std::function<bool(const std::string&)>& connected);
  void outbound_closed(const Multiaddr& addr);
  // Feeler connections (as Bitcoin Core's): while the outbound slots are full, the node now and
  // then dials an address of the "new" table that is not connected, only to test it; a success
  // moves it to the "tried" table, and the connection is closed again. next_feeler picks one
  // (nullopt: nothing to test); feeler_result records the outcome (no anchor, no outbound slot).
  std::optional<Multiaddr> next_feeler(Time now, const std::function<bool(const std::string&)>& connected);
  void feeler_result(const Multiaddr& addr, bool ok, Time now);
  // Where `addr` is now: "tried", "new", or "" if unknown (diagnostics and tests).
  std::string table_of(const Multiaddr& addr) const;
  size_t outbound_count() const { return outbound_.outbound(); }
  size_t outbound_target() const { return cfg_.outbound_target; }

  // Gate checks for the Host (inbound accept: ip only; after authentication: peer too).
  bool banned_ip(const std::string& ip, Time now) const;
  bool banned_peer(const PeerId& peer, Time now) const;

  // Misbehaviour and usefulness; returns the ban length when this report got the peer banned.
  std::optional<Duration> report(const PeerId& peer, peer::Behaviour b, Time now);
  void ban(const std::string& key, Time until, std::string reason) { bans_.ban(key, until, std::move(reason)); }
  void unban(const std::string& key) { bans_.unban(key); }
  std::vector<peer::Ban> bans(Time now);
  double score(const PeerId& peer, Time now) const;

  size_t known_addresses() const { return addrs_.size(); }
  const peer::AddrMan& addrman() const { return addrs_; }

 private:
  static Multiaddr transport_of(const Multiaddr& addr);
  PeerBookConfig cfg_;
  RandomSource& rng_;
  peer::AddrMan addrs_;
  peer::BanList bans_;
  peer::PeerScores scores_;
  peer::Backoff backoff_;
  peer::OutboundPolicy outbound_;
  std::unique_ptr<peer::AddrStore> store_;
  std::vector<Multiaddr> anchors_;        // loaded at open()
  std::deque<Multiaddr> recent_outbound_;  // with /p2p, most recent first (saved as anchors)
  bool recovered_ = false;
  uint64_t learned_ = 0;
};

}  // namespace hauptbuch::p2p::node
