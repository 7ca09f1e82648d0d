// NodeCommands: see node_commands.h. One function per group of commands; every argument is
// read through control_protocol.h's checked accessors.
#include "cli/node_commands.h"

#include "node/node_services.h"
#include "util/base64.h"

namespace hauptbuch::p2p::cli {

namespace {
using nlohmann::json;
using ordered_json = nlohmann::ordered_json;

// Payload fields (`data_b64`, `value_b64`) are bounded by the control line cap.
Result<std::vector<uint8_t>> b64_arg(const node::ControlCommand& cmd, std::string_view field) {
  auto text = node::string_arg(cmd, field);
  if (!text.ok()) return std::move(text).error();
  auto bytes = base64::decode(*text);
  if (!bytes.ok()) return Error(P2PNetworkError::InvalidMessage, std::string(field) + " is not valid base64");
  return std::vector<uint8_t>(bytes->begin(), bytes->end());
}

// A DHT key: `key` (text, used as its UTF-8 bytes) or `key_hex`.
Result<std::vector<uint8_t>> key_arg(const node::ControlCommand& cmd) {
  if (cmd.args.contains("key_hex")) {
    auto hex = node::string_arg(cmd, "key_hex");
    if (!hex.ok()) return std::move(hex).error();
    auto b = from_hex(*hex);
    if (!b || b->empty()) return Error(P2PNetworkError::InvalidMessage, "key_hex is not valid hex");
    return std::vector<uint8_t>(b->begin(), b->end());
  }
  auto text = node::string_arg(cmd, "key");
  if (!text.ok()) return std::move(text).error();
  if (text->empty()) return Error(P2PNetworkError::InvalidMessage, "key is empty");
  return std::vector<uint8_t>(text->begin(), text->end());
}

std::string optional_string(const node::ControlCommand& cmd, const char* field) {
  auto it = cmd.args.find(field);
  return it != cmd.args.end() && it->is_string() ? it->get<std::string>() : std::string();
}

ordered_json peers_json(const std::vector<DiscoveredPeer>& peers) {
  ordered_json list = ordered_json::array();
  for (const auto& p : peers) {
    ordered_json o;
    o["peer"] = p.peer_id;
    o["addrs"] = p.addrs;
    list.push_back(std::move(o));
  }
  return list;
}

const char* direction_name(ConnectionDirection d) { return d == ConnectionDirection::Inbound ? "in" : "out"; }
double ms(std::chrono::microseconds us) { return static_cast<double>(us.count()) / 1000.0; }
}  // namespace

asio::awaitable<void> NodeCommands::run(node::ControlCommand cmd) {
  auto r = co_await dispatch(cmd);
  if (r.ok()) emit_(node::format_ok(cmd.id, r->is_null() ? ordered_json(nullptr) : *r));
  else emit_(node::format_error(cmd.id, r.error()));
  if (cmd.name == "shutdown" && r.ok()) shutdown_();
}

asio::awaitable<Result<ordered_json>> NodeCommands::dispatch(const node::ControlCommand& cmd) {
  ordered_json f = ordered_json::object();
  const std::string& name = cmd.name;
  if (name == "dial") {
    auto addr = node::string_arg(cmd, "addr");
    if (!addr.ok()) co_return std::move(addr).error();
    auto p = co_await core_.co_connect(*addr, false);
    if (!p.ok()) co_return std::move(p).error();
    f["peer"] = p->peer_id;
  } else if (name == "ping") {
    auto peer = node::string_arg(cmd, "peer");
    if (!peer.ok()) co_return std::move(peer).error();
    auto count = node::uint_arg(cmd, "count", 1, 100);
    if (!count.ok()) co_return std::move(count).error();
    std::vector<double> rtts;
    for (uint64_t i = 0; i < *count; ++i) {
      auto rtt = co_await core_.co_ping(*peer);
      if (!rtt.ok()) co_return std::move(rtt).error();
      rtts.push_back(ms(*rtt));
    }
    f["rtt_ms"] = rtts.back();
    f["rtts_ms"] = rtts;
  } else if (name == "peers") {
    ordered_json list = ordered_json::array();
    for (const auto& p : co_await core_.co_peers()) {
      ordered_json o;
      o["peer"] = p.peer_id;
      // Listen addresses when identify told us, else the transport address.
      std::vector<std::string> addrs(p.addrs.size() > 1 ? p.addrs.begin() + 1 : p.addrs.begin(), p.addrs.end());
      o["addrs"] = addrs;
      o["protocols"] = p.protocols;
      o["agent"] = p.agent;
      o["direction"] = direction_name(p.direction);
      o["security"] = p.security;
      o["score"] = p.score;
      list.push_back(std::move(o));
    }
    f["peers"] = std::move(list);
    ordered_json bans = ordered_json::array();
    for (const auto& b : co_await core_.co_bans()) {
      ordered_json o;
      o["key"] = b.key;
      o["remaining_s"] = b.remaining.count();
      o["reason"] = b.reason;
      bans.push_back(std::move(o));
    }
    f["bans"] = std::move(bans);
  } else if (name == "disconnect") {
    auto peer = node::string_arg(cmd, "peer");
    if (!peer.ok()) co_return std::move(peer).error();
    HBP2P_CO_TRY(co_await core_.co_disconnect(*peer));
  } else if (name == "ban") {
    auto peer = node::string_arg(cmd, "peer");
    if (!peer.ok()) co_return std::move(peer).error();
    auto secs = node::uint_arg(cmd, "seconds", 3600, 365ull * 24 * 3600);
    if (!secs.ok()) co_return std::move(secs).error();
    std::string reason = optional_string(cmd, "reason");
    if (reason.empty()) reason = "banned by operator";
    HBP2P_CO_TRY(co_await core_.co_ban(*peer, std::chrono::seconds(*secs), reason));
  } else if (name == "unban") {
    auto key = node::string_arg(cmd, "key");
    if (!key.ok()) co_return std::move(key).error();
    HBP2P_CO_TRY(co_await core_.co_unban(*key));
  } else if (name == "state" || name == "status") {
    const auto s = co_await core_.co_state();
    const auto& m = s.network_metrics;
    f["peer_id"] = s.peer_id;
    f["addrs"] = s.listen_addrs;
    f["connected_peers"] = m.connected_peers;
    f["inbound"] = m.inbound_peers;
    f["outbound"] = m.outbound_peers;
    f["pq_connections"] = m.pq_connections;
    f["noise_connections"] = m.noise_connections;
    f["known_addresses"] = m.known_addresses;
    f["routing_table_size"] = m.routing_table_size;
    f["banned"] = m.banned;
    f["topics"] = core_.services().topics();
    f["messages_published"] = m.messages_published;
    f["messages_delivered"] = m.messages_delivered;
    f["uptime_ms"] = m.uptime.count();
  } else if (name == "shutdown") {
    // reply first; run() shuts down after emitting it
  } else if (name == "find_peer" || name == "closest_peers" || name == "provide" || name == "find_providers" ||
             name == "put_value" || name == "get_value" || name == "discover") {
    co_return co_await discovery_command(cmd);
  } else if (name == "subscribe" || name == "unsubscribe" || name == "publish" || name == "send" || name == "route" ||
             name == "serve") {
    co_return co_await routing_command(cmd);
  } else {
    co_return Error(P2PNetworkError::Unsupported, "unknown command '" + name.substr(0, 64) + "'");
  }
  co_return f;
}

asio::awaitable<Result<ordered_json>> NodeCommands::discovery_command(const node::ControlCommand& cmd) {
  auto& svc = core_.services();
  ordered_json f = ordered_json::object();
  const std::string chain = optional_string(cmd, "chain");
  const std::string& name = cmd.name;
  if (name == "find_peer") {
    auto peer = node::string_arg(cmd, "peer");
    if (!peer.ok()) co_return std::move(peer).error();
    auto addrs = co_await svc.co_find_peer(*peer);
    if (!addrs.ok()) co_return std::move(addrs).error();
    f["addrs"] = *addrs;
  } else if (name == "discover") {
    auto found = co_await svc.co_discover();
    if (!found.ok()) co_return std::move(found).error();
    f["peers"] = peers_json(*found);
  } else {
    auto key = key_arg(cmd);
    if (!key.ok()) co_return std::move(key).error();
    if (name == "closest_peers") {
      auto peers = co_await svc.co_closest_peers(*key, chain);
      if (!peers.ok()) co_return std::move(peers).error();
      f["peers"] = peers_json(*peers);
    } else if (name == "provide") {
      HBP2P_CO_TRY(co_await svc.co_provide(*key, chain));
    } else if (name == "find_providers") {
      auto peers = co_await svc.co_find_providers(*key, chain);
      if (!peers.ok()) co_return std::move(peers).error();
      f["providers"] = peers_json(*peers);
    } else if (name == "put_value") {
      auto value = b64_arg(cmd, "value_b64");
      if (!value.ok()) co_return std::move(value).error();
      HBP2P_CO_TRY(co_await svc.co_put_value(*key, *value, chain));
    } else {  // get_value
      auto value = co_await svc.co_get_value(*key, chain);
      if (!value.ok()) co_return std::move(value).error();
      f["value_b64"] = base64::encode(*value);
    }
  }
  co_return f;
}

asio::awaitable<Result<ordered_json>> NodeCommands::routing_command(const node::ControlCommand& cmd) {
  auto& svc = core_.services();
  ordered_json f = ordered_json::object();
  const std::string& name = cmd.name;
  if (name == "subscribe") {
    auto topic = node::string_arg(cmd, "topic");
    if (!topic.ok()) co_return std::move(topic).error();
    auto emit = emit_;
    HBP2P_CO_TRY(svc.subscribe(*topic, [emit](const Message& m) {
      ordered_json e;
      e["topic"] = m.topic;
      e["from"] = m.from;
      e["id"] = m.id;
      e["data_b64"] = base64::encode(m.data);
      emit(node::format_event("message", e));
    }));
  } else if (name == "unsubscribe") {
    auto topic = node::string_arg(cmd, "topic");
    if (!topic.ok()) co_return std::move(topic).error();
    HBP2P_CO_TRY(svc.unsubscribe(*topic));
  } else if (name == "publish") {
    auto topic = node::string_arg(cmd, "topic");
    if (!topic.ok()) co_return std::move(topic).error();
    auto data = b64_arg(cmd, "data_b64");
    if (!data.ok()) co_return std::move(data).error();
    auto n = svc.publish(*topic, std::move(*data));
    if (!n.ok()) co_return std::move(n).error();
    f["recipients"] = *n;
  } else if (name == "serve") {
    // Registers a request handler for tests and demos: mode "echo" answers with the request.
    auto protocol = node::string_arg(cmd, "protocol");
    if (!protocol.ok()) co_return std::move(protocol).error();
    const std::string mode = optional_string(cmd, "mode");
    if (!mode.empty() && mode != "echo") co_return Error(P2PNetworkError::Unsupported, "serve mode must be \"echo\"");
    auto emit = emit_;
    const std::string proto = *protocol;
    HBP2P_CO_TRY(svc.register_protocol(proto, [emit, proto](const std::string& from, const std::vector<uint8_t>& req)
                                                   -> Result<std::vector<uint8_t>> {
      ordered_json e;
      e["peer"] = from;
      e["protocol"] = proto;
      e["data_b64"] = base64::encode(req);
      emit(node::format_event("request", e));
      return req;
    }));
  } else if (name == "send") {
    auto peer = node::string_arg(cmd, "peer");
    if (!peer.ok()) co_return std::move(peer).error();
    auto protocol = node::string_arg(cmd, "protocol");
    if (!protocol.ok()) co_return std::move(protocol).error();
    auto data = b64_arg(cmd, "data_b64");
    if (!data.ok()) co_return std::move(data).error();
    auto r = co_await svc.co_send(*peer, *protocol, std::move(*data));
    if (!r.ok()) co_return std::move(r).error();
    f["reply_b64"] = base64::encode(r->data);
    f["rtt_ms"] = ms(r->rtt);
  } else {  // route
    auto data = b64_arg(cmd, "data_b64");
    if (!data.ok()) co_return std::move(data).error();
    Destination dest;
    dest.peer_id = optional_string(cmd, "peer");
    dest.chain = optional_string(cmd, "chain");
    if (auto t = optional_string(cmd, "topic"); !t.empty()) dest.topic = t;
    if (dest.peer_id.empty() == dest.chain.empty())
      co_return Error(P2PNetworkError::InvalidMessage, "route needs exactly one of \"peer\" or \"chain\"");
    auto r = co_await svc.co_route(std::move(*data), std::move(dest));
    if (!r.ok()) co_return std::move(r).error();
    f["delivered"] = r->delivered;
    f["path"] = r->path;
    f["hops"] = r->hops;
    f["latency_ms"] = ms(r->latency);
    if (!r->reply.empty()) f["reply_b64"] = base64::encode(r->reply);
  }
  co_return f;
}

void NodeCommands::on_host_event(const node::HostEvent& e, bool json) {
  const char* dir = e.info.direction == node::Direction::Inbound ? "in" : "out";
  if (e.type == node::HostEvent::Type::Connected) {
    if (json) {
      ordered_json f;
      f["peer"] = e.info.peer.to_base58();
      f["addr"] = e.info.remote_addr.to_string();
      f["direction"] = dir;
      f["security"] = e.info.security;
      emit_(node::format_event("peer_connected", f));
    } else {
      std::string line = "connected ";
      line.append(e.info.peer.to_base58()).append(" ").append(e.info.remote_addr.to_string());
      line.append(" (").append(dir).append(", ").append(e.info.security).append(")");
      emit_(line);
    }
  } else if (e.type == node::HostEvent::Type::Disconnected) {
    if (json) {
      ordered_json f;
      f["peer"] = e.info.peer.to_base58();
      f["reason"] = e.reason;
      emit_(node::format_event("peer_disconnected", f));
    } else {
      std::string line = "disconnected ";
      line.append(e.info.peer.to_base58()).append(": ").append(e.reason);
      emit_(line);
    }
  }
}

}  // namespace hauptbuch::p2p::cli
