// Our side of the kad interop test (kad_interop_test.mjs), test-only: a Host listening on
// 127.0.0.1 with one KadService (server mode), driven by JSON lines on stdin; answers on stdout.
//   kad_peer [--seed N] [--protocol P] [--timeout-ms T]
// First line: {"event":"listening","peer":"<base58>","addrs":["<multiaddr>/p2p/<id>"]}.
// Requests {"id":n,"cmd":...}; every answer carries the id and "ok" (false with "error").
//   bootstrap {addrs:[multiaddr]}            find_peer {peer} -> {addrs}
//   closest_peers {key:hex} -> {peers:[{peer,addrs}]}
//   provide {key:hex}                        find_providers {key:hex,max} -> {providers:[...]}
//   put_value {key:hex,value:hex}            get_value {key:hex} -> {value:hex}
//   table -> {size, peers:[...]}
// Exits when stdin ends.
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/read_until.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/streambuf.hpp>
#include <asio/use_awaitable.hpp>

#include <cstdio>
#include <iostream>
#include <string>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "node/host.h"
#include "protocols/kad/kad_service.h"

using namespace hauptbuch::p2p;
using nlohmann::json;

namespace {

void emit(const json& j) {
  std::fputs((j.dump() + "\n").c_str(), stdout);
  std::fflush(stdout);
}

json peers_json(const std::vector<kad::FoundPeer>& peers) {
  json arr = json::array();
  for (const auto& p : peers) {
    json addrs = json::array();
    for (const auto& a : p.addrs) addrs.push_back(a.to_string());
    arr.push_back({{"peer", p.peer.to_base58()}, {"addrs", addrs}});
  }
  return arr;
}

Result<Bytes> hex_field(const json& j, const char* name) {
  if (!j.contains(name) || !j[name].is_string()) return Error(P2PNetworkError::InvalidMessage, std::string("missing ") + name);
  auto b = from_hex(j[name].get<std::string>());
  if (!b) return Error(P2PNetworkError::InvalidMessage, std::string("bad hex in ") + name);
  return *b;
}

asio::awaitable<json> handle(kad::KadService& kad, const json& req) {
  const std::string cmd = req.value("cmd", "");
  auto fail = [](const Error& e) { return json{{"ok", false}, {"error", e.message()}}; };
  if (cmd == "bootstrap") {
    std::vector<Multiaddr> addrs;
    for (const auto& a : req.value("addrs", json::array())) {
      auto m = Multiaddr::parse(a.get<std::string>());
      if (!m.ok()) co_return fail(m.error());
      addrs.push_back(*m);
    }
    auto st = co_await kad.bootstrap(std::move(addrs));
    if (!st.ok()) co_return fail(st.error());
    co_return json{{"ok", true}, {"table", kad.routing_table_size()}};
  }
  if (cmd == "find_peer") {
    auto p = PeerId::parse(req.value("peer", ""));
    if (!p.ok()) co_return fail(p.error());
    auto r = co_await kad.find_peer(*p);
    if (!r.ok()) co_return fail(r.error());
    json addrs = json::array();
    for (const auto& a : *r) addrs.push_back(a.to_string());
    co_return json{{"ok", true}, {"addrs", addrs}};
  }
  if (cmd == "closest_peers") {
    auto key = hex_field(req, "key");
    if (!key.ok()) co_return fail(key.error());
    auto r = co_await kad.closest_peers(*key);
    if (!r.ok()) co_return fail(r.error());
    co_return json{{"ok", true}, {"peers", peers_json(*r)}};
  }
  if (cmd == "provide") {
    auto key = hex_field(req, "key");
    if (!key.ok()) co_return fail(key.error());
    auto st = co_await kad.provide(*key);
    if (!st.ok()) co_return fail(st.error());
    co_return json{{"ok", true}};
  }
  if (cmd == "find_providers") {
    auto key = hex_field(req, "key");
    if (!key.ok()) co_return fail(key.error());
    auto r = co_await kad.find_providers(*key, req.value("max", size_t{20}));
    if (!r.ok()) co_return fail(r.error());
    co_return json{{"ok", true}, {"providers", peers_json(*r)}};
  }
  if (cmd == "put_value") {
    auto key = hex_field(req, "key");
    if (!key.ok()) co_return fail(key.error());
    auto value = hex_field(req, "value");
    if (!value.ok()) co_return fail(value.error());
    auto st = co_await kad.put_value(*key, *value);
    if (!st.ok()) co_return fail(st.error());
    co_return json{{"ok", true}};
  }
  if (cmd == "get_value") {
    auto key = hex_field(req, "key");
    if (!key.ok()) co_return fail(key.error());
    auto r = co_await kad.get_value(*key);
    if (!r.ok()) co_return fail(r.error());
    co_return json{{"ok", true}, {"value", to_hex(*r)}};
  }
  if (cmd == "table") {
    co_return json{{"ok", true}, {"size", kad.routing_table_size()}, {"peers", peers_json(kad.routing_table_snapshot())}};
  }
  co_return json{{"ok", false}, {"error", "unknown command " + cmd}};
}

asio::awaitable<void> serve_stdin(asio::io_context& io, node::Host& host, kad::KadService& kad) {
  asio::posix::stream_descriptor in(io, ::dup(STDIN_FILENO));
  asio::streambuf buf(1 << 20);  // one command line is far below 1 MiB
  for (;;) {
    auto [ec, n] = co_await asio::async_read_until(in, buf, '\n', asio::experimental::as_tuple(asio::use_awaitable));
    if (ec) break;
    std::string line(asio::buffers_begin(buf.data()), asio::buffers_begin(buf.data()) + static_cast<std::ptrdiff_t>(n));
    buf.consume(n);
    json req = json::parse(line, nullptr, false);
    if (req.is_discarded() || !req.is_object()) {
      emit({{"ok", false}, {"error", "not a JSON object"}});
      continue;
    }
    // Each command runs concurrently on the host's strand.
    asio::co_spawn(host.executor(), [&kad, req]() -> asio::awaitable<void> {
      json out = co_await handle(kad, req);
      out["id"] = req.value("id", 0);
      emit(out);
    }, asio::detached);
  }
  asio::post(host.executor(), [&] {
    kad.stop();
    host.close();
    io.stop();
  });
}

}  // namespace

int main(int argc, char** argv) {
  int seed = 1;
  std::string protocol = "/ipfs/kad/1.0.0";
  long timeout_ms = 5000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--seed") seed = std::atoi(argv[i + 1]);
    else if (a == "--protocol") protocol = argv[i + 1];
    else if (a == "--timeout-ms") timeout_ms = std::atol(argv[i + 1]);
    else return 2;
  }
  asio::io_context io;
  P2PNetworkConfig cfg;
  node::Host host(io, crypto::PrivateKey::ed25519_from_seed(Bytes(32, static_cast<uint8_t>(seed))), cfg);
  auto addrs = host.listen({*Multiaddr::parse("/ip4/127.0.0.1/tcp/0")});
  if (!addrs.ok()) {
    std::fprintf(stderr, "listen: %s\n", addrs.error().message().c_str());
    return 1;
  }
  kad::KadServiceConfig kcfg;
  kcfg.protocol = protocol;
  kcfg.request_timeout = std::chrono::milliseconds(timeout_ms);
  kad::KadService kad(host, kcfg);
  auto started = kad.start();
  if (!started.ok()) {
    std::fprintf(stderr, "kad: %s\n", started.error().message().c_str());
    return 1;
  }
  json listen = json::array();
  for (const auto& a : *addrs) listen.push_back(a.with_component(Proto::P2p, host.peer_id().bytes())->to_string());
  emit({{"event", "listening"}, {"peer", host.peer_id().to_base58()}, {"addrs", listen}});
  asio::co_spawn(host.executor(), serve_stdin(io, host, kad), asio::detached);
  io.run();
  return 0;
}
