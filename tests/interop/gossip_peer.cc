// Our side of the gossipsub interop test (gossipsub_interop_test.mjs), test-only: a Host on
// 127.0.0.1 with a GossipService, driven by JSON lines on stdin; answers and events on stdout.
//   gossip_peer [--seed N]
// First line: {"event":"listening","peer":"<base58>","addrs":["<multiaddr>/p2p/<id>"]}.
// Requests {"id":n,"cmd":...}; every answer carries the id and "ok" (false with "error").
//   dial {addr}                 subscribe {topic}          unsubscribe {topic}
//   publish {topic,data:hex} -> {recipients}
//   peers {topic?} -> {peers:[base58], topic_peers:[base58]}   mesh {topic} -> {peers}
//   stats -> {rpcs_in, rpcs_out, bad_frames, delivered, duplicates, invalid}
// Event per delivered message (own publications excluded):
//   {"event":"message","topic","author":base58|"","from":base58,"id":hex,"data":hex}
// Exits when stdin ends.
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/io_context.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/read_until.hpp>
#include <asio/streambuf.hpp>
#include <asio/use_awaitable.hpp>

#include <cstdio>
#include <string>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "node/host.h"
#include "protocols/gossipsub/service.h"

using namespace hauptbuch::p2p;
using nlohmann::json;

namespace {

void emit(const json& j) {
  std::fputs((j.dump() + "\n").c_str(), stdout);
  std::fflush(stdout);
}

std::string peer_text(const Bytes& b) {
  if (b.empty()) return {};
  auto p = PeerId::from_bytes(b);
  return p.ok() ? p->to_base58() : to_hex(b);
}

json key_list(const std::vector<gossipsub::PeerKey>& keys) {
  json arr = json::array();
  for (const auto& k : keys) arr.push_back(peer_text(Bytes(k.begin(), k.end())));
  return arr;
}

asio::awaitable<json> handle(node::Host& host, gossipsub::GossipService& gs, const json& req) {
  const std::string cmd = req.value("cmd", "");
  const std::string topic = req.value("topic", "");
  auto fail = [](const Error& e) { return json{{"ok", false}, {"error", e.message()}}; };
  if (cmd == "dial") {
    auto m = Multiaddr::parse(req.value("addr", ""));
    if (!m.ok()) co_return fail(m.error());
    auto c = co_await host.dial(*m);
    if (!c.ok()) co_return fail(c.error());
    co_return json{{"ok", true}};
  }
  if (cmd == "subscribe") {
    auto st = gs.subscribe(topic);
    if (!st.ok()) co_return fail(st.error());
    co_return json{{"ok", true}};
  }
  if (cmd == "unsubscribe") {
    gs.unsubscribe(topic);
    co_return json{{"ok", true}};
  }
  if (cmd == "publish") {
    auto data = from_hex(req.value("data", ""));
    if (!data) co_return json{{"ok", false}, {"error", "bad hex in data"}};
    auto r = gs.publish(topic, std::move(*data));
    if (!r.ok()) co_return fail(r.error());
    co_return json{{"ok", true}, {"recipients", *r}};
  }
  if (cmd == "peers") {
    json peers = json::array();
    for (const auto& p : gs.peers()) peers.push_back(p.to_base58());
    co_return json{{"ok", true}, {"peers", peers}, {"topic_peers", key_list(gs.router().topic_peers(topic))}};
  }
  if (cmd == "mesh") co_return json{{"ok", true}, {"peers", key_list(gs.router().mesh(topic))}};
  if (cmd == "stats") {
    const auto s = gs.stats();
    co_return json{{"ok", true}, {"rpcs_in", s.rpcs_in}, {"rpcs_out", s.rpcs_out}, {"bad_frames", s.bad_frames},
                   {"delivered", s.router.delivered}, {"duplicates", s.router.duplicates}, {"invalid", s.router.invalid}};
  }
  co_return json{{"ok", false}, {"error", "unknown command " + cmd}};
}

asio::awaitable<void> serve_stdin(asio::io_context& io, node::Host& host, gossipsub::GossipService& gs) {
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
    asio::co_spawn(host.executor(), [&host, &gs, req]() -> asio::awaitable<void> {
      json out = co_await handle(host, gs, req);
      out["id"] = req.value("id", 0);
      emit(out);
    }, asio::detached);
  }
  asio::post(host.executor(), [&] {
    gs.stop();
    host.close();
    io.stop();
  });
}

}  // namespace

int main(int argc, char** argv) {
  int seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--seed") seed = std::atoi(argv[i + 1]);
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
  gossipsub::GossipService gs(host);
  gs.set_message_callback([](const gossipsub::ReceivedMessage& m) {
    if (m.received_from.empty()) return;  // our own publication
    emit({{"event", "message"}, {"topic", m.topic}, {"author", peer_text(m.author)},
          {"from", peer_text(m.received_from)}, {"id", to_hex(m.id)}, {"data", to_hex(m.data)}});
  });
  gs.start();
  json listen = json::array();
  for (const auto& a : *addrs) listen.push_back(a.with_component(Proto::P2p, host.peer_id().bytes())->to_string());
  emit({{"event", "listening"}, {"peer", host.peer_id().to_base58()}, {"addrs", listen}});
  asio::co_spawn(host.executor(), serve_stdin(io, host, gs), asio::detached);
  io.run();
  return 0;
}
