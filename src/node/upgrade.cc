// Connection upgrade coroutine (see upgrade.h).
#include "node/upgrade.h"

#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <algorithm>

#include "negotiate/multistream.h"

namespace hauptbuch::p2p::node {
namespace {

constexpr auto kNoThrow = asio::experimental::as_tuple(asio::use_awaitable);
constexpr size_t kReadChunk = 16 * 1024;

asio::awaitable<Status> write_all(asio::ip::tcp::socket& s, const Bytes& b) {
  if (b.empty()) co_return ok_status();
  auto [ec, n] = co_await asio::async_write(s, asio::buffer(b), kNoThrow);
  if (ec) co_return Status(P2PNetworkError::PeerConnectionFailed, "write failed: " + ec.message());
  co_return ok_status();
}

asio::awaitable<Result<Bytes>> read_some(asio::ip::tcp::socket& s) {
  Bytes buf(kReadChunk);
  auto [ec, n] = co_await s.async_read_some(asio::buffer(buf), kNoThrow);
  if (ec) {
    co_return Error(P2PNetworkError::PeerConnectionFailed,
                    ec == asio::error::eof ? "peer closed the connection during the upgrade" : "read failed: " + ec.message());
  }
  buf.resize(n);
  co_return buf;
}

struct Negotiated {
  std::string selected;
  Bytes leftover;  // bytes after the negotiation (they belong to the next protocol)
};

// Drives a multistream-select machine (Initiator or Responder) to the end. `send(bytes)` and
// `recv()` are the channel: raw TCP for the security protocol, the secure transport for the
// muxer. `initial` are bytes already received on that channel.
template <typename Machine, typename Send, typename Recv>
asio::awaitable<Result<Negotiated>> run_multistream(Machine& ms, Send& send, Recv& recv, Bytes initial) {
  HBP2P_CO_TRY(co_await send(ms.start()));
  if (!initial.empty()) {
    HBP2P_CO_TRY(ms.feed(initial));
    HBP2P_CO_TRY(co_await send(ms.take_output()));
  }
  while (!ms.done()) {
    auto in = co_await recv();
    if (!in.ok()) co_return std::move(in).error();
    if (auto st = ms.feed(*in); !st) co_return Error(P2PNetworkError::PeerConnectionFailed, st.error().message());
    HBP2P_CO_TRY(co_await send(ms.take_output()));
  }
  co_return Negotiated{ms.selected(), ms.take_leftover()};
}

template <typename Send, typename Recv>
asio::awaitable<Result<Negotiated>> negotiate_as(bool initiator, const std::vector<std::string>& ids, Send& send,
                                                 Recv& recv, Bytes initial) {
  if (initiator) {
    negotiate::Initiator ms(ids);
    co_return co_await run_multistream(ms, send, recv, std::move(initial));
  }
  negotiate::Responder ms(ids);
  co_return co_await run_multistream(ms, send, recv, std::move(initial));
}

}  // namespace

std::vector<const SecurityProtocol*> security_for_mode(const std::vector<SecurityProtocol>& table, SecurityMode mode) {
  std::vector<const SecurityProtocol*> out;
  for (int pass = 0; pass < 2; ++pass)
    for (const auto& p : table) {
      const bool want_pq = pass == 0;
      if (p.post_quantum != want_pq) continue;
      if (mode == SecurityMode::Pq && !p.post_quantum) continue;
      if (mode == SecurityMode::Noise && p.post_quantum) continue;
      out.push_back(&p);
    }
  return out;
}

asio::awaitable<Result<Upgraded>> upgrade_connection(asio::ip::tcp::socket& socket, bool initiator,
                                                     const std::vector<const SecurityProtocol*>& offered,
                                                     std::optional<PeerId> expected, bool pq_capable,
                                                     util::WorkPool* pool) {
  if (offered.empty()) co_return Error(P2PNetworkError::Unsupported, "no security protocol enabled for this mode");
  // 1. Agree on the security protocol.
  std::vector<std::string> ids;
  for (const auto* p : offered) ids.push_back(p->id);
  auto raw_send = [&](const Bytes& b) { return write_all(socket, b); };
  auto raw_recv = [&] { return read_some(socket); };
  auto sec = co_await negotiate_as(initiator, ids, raw_send, raw_recv, {});
  if (!sec.ok()) co_return std::move(sec).error();
  const std::string selected = sec->selected;
  Bytes leftover = std::move(sec->leftover);
  const SecurityProtocol* proto = nullptr;
  for (const auto* p : offered)
    if (p->id == selected) proto = p;
  if (proto == nullptr) co_return Error(P2PNetworkError::PeerConnectionFailed, "negotiated an unknown security protocol");

  // 2. The handshake. Shared, so a step running on the pool keeps it alive even if this
  // coroutine is destroyed meanwhile (shutdown).
  std::shared_ptr<secure::SecureHandshake> hs = proto->make(initiator, expected, pq_capable);
  // One handshake step (start() when `in` is nullopt, else feed(*in)), on the pool if any. A
  // responder's start() does nothing (SecureHandshake's contract): not worth two hand-offs.
  auto step = [&](std::optional<Bytes> in) -> asio::awaitable<Status> {
    const bool trivial = !in && !initiator;
    auto run = [hs, in = std::move(in)] { return in ? hs->feed(*in) : hs->start(); };
    if (pool == nullptr || trivial) co_return run();
    auto st = co_await pool->call<Status>(std::move(run));
    if (!st) co_return Error(P2PNetworkError::SecurityValidationFailed, "handshake step failed on the work pool");
    co_return std::move(*st);
  };
  HBP2P_CO_TRY(co_await step(std::nullopt));
  HBP2P_CO_TRY(co_await write_all(socket, hs->take_output()));
  if (!leftover.empty()) {
    HBP2P_CO_TRY(co_await step(std::move(leftover)));
    HBP2P_CO_TRY(co_await write_all(socket, hs->take_output()));
  }
  while (!hs->done()) {
    auto in = co_await read_some(socket);
    if (!in.ok()) co_return std::move(in).error();
    HBP2P_CO_TRY(co_await step(std::move(*in)));
    HBP2P_CO_TRY(co_await write_all(socket, hs->take_output()));
  }
  // Downgrade detection: two PQ-capable nodes must never settle on a classical protocol.
  if (!proto->post_quantum && pq_capable && proto->peer_pq_capable && proto->peer_pq_capable(*hs))
    co_return Error(P2PNetworkError::SecurityValidationFailed,
                    "downgrade detected: both peers support post-quantum security but negotiated " + selected);
  auto transport = hs->finish();
  if (!transport.ok()) co_return std::move(transport).error();
  Bytes pending_cipher = hs->take_leftover();

  // 3. The muxer over the secure channel. Early muxer negotiation (libp2p noise extensions):
  // we always list /yamux/1.0.0; if the peer listed muxers too, the first of the initiator's
  // list that the responder supports is used with no multistream round trip.
  const std::vector<std::string> remote_muxers = hs->remote_stream_muxers();
  if (!remote_muxers.empty()) {
    if (std::find(remote_muxers.begin(), remote_muxers.end(), kYamuxProtocol) == remote_muxers.end())
      co_return Error(P2PNetworkError::Unsupported, "peer supports none of our stream muxers");
    Upgraded u;
    HBP2P_CO_TRY((*transport)->decrypt(pending_cipher, u.plaintext));
    u.transport = std::move(*transport);
    u.security = selected;
    co_return u;
  }
  auto send = [&](const Bytes& plain) -> asio::awaitable<Status> {
    if (plain.empty()) co_return ok_status();
    Bytes wire;
    HBP2P_CO_TRY((*transport)->encrypt(plain, wire));
    co_return co_await write_all(socket, wire);
  };
  auto secure_recv = [&]() -> asio::awaitable<Result<Bytes>> {
    auto in = co_await read_some(socket);
    if (!in.ok()) co_return std::move(in).error();
    Bytes plain;
    HBP2P_CO_TRY((*transport)->decrypt(*in, plain));
    co_return plain;
  };
  Bytes plain;
  HBP2P_CO_TRY((*transport)->decrypt(pending_cipher, plain));
  const std::vector<std::string> muxers{std::string(kYamuxProtocol)};
  auto mux = co_await negotiate_as(initiator, muxers, send, secure_recv, std::move(plain));
  if (!mux.ok()) co_return std::move(mux).error();
  Bytes muxer_leftover = std::move(mux->leftover);
  Upgraded u;
  u.transport = std::move(*transport);
  u.plaintext = std::move(muxer_leftover);
  u.security = selected;
  co_return u;
}

}  // namespace hauptbuch::p2p::node
