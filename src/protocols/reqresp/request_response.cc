// RequestResponse service (see request_response.h): the requester's exchange and the
// responder's serving coroutine, both bounded by deadlines and per-peer slots.
#include "protocols/reqresp/request_response.h"

#include <asio/steady_timer.hpp>

#include <algorithm>

#include "protocols/reqresp/deadline.h"
#include "protocols/reqresp/reqresp_codec.h"

namespace hauptbuch::p2p::reqresp {

struct RequestResponse::State {
  node::Host* host = nullptr;
  RequestResponseConfig cfg;
  RequestResponseStats stats;
  std::map<std::string, Handler> handlers;
  std::map<PeerId, size_t> inbound, outbound;  // in-flight counts; entries erased at zero
  std::function<void(const PeerId&)> on_misbehaviour;
  void misbehaved(const PeerId& p) const {
    if (on_misbehaviour) on_misbehaviour(p);
  }
};

namespace {

using State = RequestResponse::State;

std::string num(uint64_t v) { return std::to_string(v); }

std::string ms_text(Duration d) {
  std::string s = num(static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()));
  s.append(" ms");
  return s;
}

// One per-peer slot (inbound or outbound); released when the last holder lets go, i.e. when
// both the serving/requesting coroutine and any detached operation it started have ended.
class Slot {
 public:
  Slot(std::shared_ptr<State> st, std::map<PeerId, size_t> State::*table, PeerId peer)
      : st_(std::move(st)), table_(table), peer_(std::move(peer)) {
    ++((*st_).*table_)[peer_];
  }
  ~Slot() {
    auto& t = (*st_).*table_;
    auto it = t.find(peer_);
    if (it != t.end() && --it->second == 0) t.erase(it);
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  std::shared_ptr<State> st_;
  std::map<PeerId, size_t> State::*table_;
  PeerId peer_;
};

size_t count(const std::map<PeerId, size_t>& t, const PeerId& p) {
  auto it = t.find(p);
  return it == t.end() ? 0 : it->second;
}

// Resets `s` if it is still open when the timer fires; cancelled on destruction.
class Watchdog {
 public:
  Watchdog(const node::StreamPtr& s, Duration limit) : timer_(s->connection()->executor(), limit) {
    timer_.async_wait([w = std::weak_ptr<node::Stream>(s)](std::error_code ec) {
      if (!ec)
        if (auto p = w.lock()) p->reset();
    });
  }
  ~Watchdog() { timer_.cancel(); }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  asio::steady_timer timer_;
};

// Reads and discards what the peer still sends (at most `limit` bytes) so that a requester
// blocked on flow control can finish its write and read our refusal. Resets the stream if the
// peer sends more than `limit`.
asio::awaitable<void> drain(node::StreamPtr s, uint64_t limit) {
  uint8_t buf[kDrainChunk];
  uint64_t seen = 0;
  for (;;) {
    auto n = co_await s->read_some(MutableByteSpan(buf, sizeof buf));
    if (!n.ok() || *n == 0) co_return;
    seen += *n;
    if (seen > limit) {
      s->reset();
      co_return;
    }
  }
}

// Answers with an error status, closes our side and drains the rest of the request.
asio::awaitable<void> refuse(node::StreamPtr s, WireStatus status, std::string detail, uint64_t max_drain) {
  const Bytes body = encode_error(status, detail);
  auto w = co_await s->write_message(body);
  (void)s->close_write();
  if (w.ok()) co_await drain(s, max_drain);
}

// Runs the application's handler; `slot` keeps the peer's inbound slot taken until the
// handler really ends, even if the deadline gave up on it.
asio::awaitable<Result<Bytes>> run_handler(RequestResponse::Handler h, PeerId from, Bytes req,
                                           std::shared_ptr<Slot> slot) {
  (void)slot;
  co_return co_await h(std::move(from), std::move(req));
}

// Most a refused requester may still send before we reset: the largest request we accept
// plus a margin for its prefix (we only discard, never store, these bytes).
uint64_t drain_limit(const State& st) { return static_cast<uint64_t>(st.cfg.max_request_size) + 2 * kDrainChunk; }

asio::awaitable<void> serve(std::shared_ptr<State> st, std::string protocol, node::StreamPtr s) {
  auto it = st->handlers.find(protocol);
  if (it == st->handlers.end()) {
    s->reset();
    co_return;
  }
  RequestResponse::Handler handler = it->second;
  const PeerId peer = s->connection()->info().peer;
  const Duration limit = st->cfg.timeout;

  if (count(st->inbound, peer) >= st->cfg.max_inbound_per_peer) {
    ++st->stats.inbound_refused;
    ++st->stats.inbound_failures[status_name(WireStatus::Busy)];
    Watchdog wd(s, limit);
    std::string d = "too many concurrent requests from this peer (limit ";
    d.append(num(st->cfg.max_inbound_per_peer)).append(")");
    co_await refuse(s, WireStatus::Busy, std::move(d), drain_limit(*st));
    co_return;
  }
  auto slot = std::make_shared<Slot>(st, &State::inbound, peer);

  Bytes request;
  {
    Watchdog wd(s, limit);
    uint64_t declared = 0;
    auto r = co_await s->read_message(st->cfg.max_request_size, &declared);
    if (!r.ok()) {
      if (r.error().is(P2PNetworkError::ResourceLimitExceeded)) {
        ++st->stats.inbound_refused;
        ++st->stats.inbound_failures[status_name(WireStatus::TooLarge)];
        co_await refuse(s, WireStatus::TooLarge, r.error().detail(), std::min(declared, kMaxDrainBytes));
      } else {
        ++st->stats.inbound_failures[error_name(static_cast<P2PNetworkError>(r.error().code().value()))];
        if (r.error().is(P2PNetworkError::InvalidMessage)) st->misbehaved(peer);
        s->reset();
      }
      co_return;
    }
    request = std::move(r).value();
  }
  ++st->stats.requests_received;
  st->stats.bytes_received += request.size();

  std::string late = "handler did not answer within ";
  late.append(ms_text(limit));
  auto answer = co_await race_deadline<Bytes>(s->connection()->executor(), limit,
                                              run_handler(handler, peer, std::move(request), slot), late);
  Bytes body;
  if (answer.ok()) {
    auto enc = encode_ok(*answer, st->cfg.max_response_size);
    body = enc.ok() ? std::move(enc).value() : encode_error(WireStatus::HandlerError, enc.error().detail());
  } else {
    body = encode_error(status_for_error(answer.error()), answer.error().detail());
  }
  const bool ok = body[0] == static_cast<uint8_t>(WireStatus::Ok);
  if (ok) {
    ++st->stats.responses_sent;
    st->stats.bytes_sent += body.size() - 1;
  } else {
    ++st->stats.inbound_failures[status_name(static_cast<WireStatus>(body[0]))];
  }
  Watchdog wd(s, limit);
  auto w = co_await s->write_message(body);
  if (w.ok()) (void)s->close_write();
}

// Ties a Host handler (a plain function returning an awaitable, so no lambda coroutine
// captures can dangle) to the service, if it still exists.
asio::awaitable<void> serve_entry(std::weak_ptr<State> wst, std::string protocol, node::StreamPtr s) {
  auto st = wst.lock();
  if (!st) {
    s->reset();
    co_return;
  }
  co_await serve(std::move(st), std::move(protocol), std::move(s));
}

// The stream of one outbound exchange, shared with the deadline that may abandon it.
struct Outbound {
  node::StreamPtr stream;
  bool abandoned = false;
};

Error map_stream_error(Error e, std::string_view what) {
  if (e.is(P2PNetworkError::Cancelled) || e.is(P2PNetworkError::InvalidConnection)) {
    std::string d(what);
    d.append(": ").append(e.detail());
    return Error(P2PNetworkError::PeerConnectionFailed, std::move(d));
  }
  return e;
}

asio::awaitable<Result<Bytes>> exchange(node::Host* host, std::shared_ptr<State> st, PeerId peer, std::string protocol,
                                        Bytes data, std::shared_ptr<Outbound> ob, std::shared_ptr<Slot> slot) {
  (void)slot;
  std::vector<std::string> protos;
  protos.push_back(protocol);
  auto s = co_await host->new_stream(peer, std::move(protos));
  if (!s.ok()) {
    const Error& e = s.error();
    if (e.is(P2PNetworkError::Unsupported)) {
      std::string d = "peer does not serve ";
      d.append(protocol);
      co_return Error(P2PNetworkError::MessageRoutingFailed, std::move(d));
    }
    if (e.is(P2PNetworkError::InvalidConnection)) co_return Error(P2PNetworkError::PeerConnectionFailed, e.detail());
    co_return map_stream_error(std::move(s).error(), "opening the stream failed");
  }
  node::StreamPtr stream = *s;
  if (ob->abandoned) {  // the deadline passed while the stream was negotiated
    stream->reset();
    co_return Error(P2PNetworkError::Timeout, "abandoned");
  }
  ob->stream = stream;
  auto w = co_await stream->write_message(data);
  if (!w.ok()) co_return map_stream_error(std::move(w).error(), "sending the request failed");
  (void)stream->close_write();
  // Status byte + payload, so the body may be one byte longer than the payload cap.
  auto body = co_await stream->read_message(st->cfg.max_response_size + 1);
  ob->stream.reset();
  if (!body.ok()) {
    if (body.error().is(P2PNetworkError::ResourceLimitExceeded))
      co_return Error(P2PNetworkError::InvalidMessage, body.error().detail());
    if (body.error().is(P2PNetworkError::InvalidMessage)) st->misbehaved(peer);
    co_return map_stream_error(std::move(body).error(), "reading the response failed");
  }
  auto resp = decode_response(*body, st->cfg.max_response_size);
  if (!resp.ok()) {
    st->misbehaved(peer);
    co_return std::move(resp).error();
  }
  if (resp->status != WireStatus::Ok) co_return error_for_status(resp->status, resp->detail);
  co_return std::move(resp->payload);
}

}  // namespace

RequestResponseConfig RequestResponseConfig::from(const P2PNetworkConfig& cfg) {
  RequestResponseConfig c;
  c.timeout = cfg.message_timeout;
  return c;
}

RequestResponse::RequestResponse(node::Host& host, RequestResponseConfig cfg)
    : host_(host), st_(std::make_shared<State>()) {
  st_->host = &host;
  st_->cfg = cfg;
}

RequestResponse::~RequestResponse() {
  for (const auto& [protocol, h] : st_->handlers) host_.remove_handler(protocol);
  st_->host = nullptr;
}

void RequestResponse::set_misbehaviour_callback(std::function<void(const PeerId&)> cb) {
  st_->on_misbehaviour = std::move(cb);
}

Status RequestResponse::register_protocol(const std::string& protocol, Handler handler) {
  if (protocol.empty() || protocol[0] != '/')
    return Status(P2PNetworkError::InvalidConfig, "a protocol id must start with '/'");
  if (!handler) return Status(P2PNetworkError::InvalidConfig, "no handler given");
  if (st_->handlers.count(protocol)) {
    std::string d = "protocol already registered: ";
    d.append(protocol);
    return Status(P2PNetworkError::InvalidConfig, std::move(d));
  }
  st_->handlers.emplace(protocol, std::move(handler));
  std::weak_ptr<State> w = st_;
  host_.set_handler(protocol, [w, protocol](node::StreamPtr s) { return serve_entry(w, protocol, std::move(s)); });
  return ok_status();
}

void RequestResponse::unregister_protocol(const std::string& protocol) {
  if (st_->handlers.erase(protocol)) host_.remove_handler(protocol);
}

asio::awaitable<Result<Response>> RequestResponse::request(PeerId peer, std::string protocol, Bytes data,
                                                           std::optional<Duration> timeout) {
  auto st = st_;
  auto fail = [&st](Error e) -> Result<Response> {
    ++st->stats.outbound_failures[error_name(static_cast<P2PNetworkError>(e.code().value()))];
    return e;
  };
  if (data.size() > st->cfg.max_request_size) {
    std::string d = "request of ";
    d.append(num(data.size())).append(" bytes exceeds the limit of ").append(num(st->cfg.max_request_size));
    co_return fail(Error(P2PNetworkError::ResourceLimitExceeded, std::move(d)));
  }
  if (count(st->outbound, peer) >= st->cfg.max_outbound_per_peer) {
    std::string d = "too many requests in flight to this peer (limit ";
    d.append(num(st->cfg.max_outbound_per_peer)).append(")");
    co_return fail(Error(P2PNetworkError::ResourceLimitExceeded, std::move(d)));
  }
  auto slot = std::make_shared<Slot>(st, &State::outbound, peer);
  ++st->stats.requests_sent;
  const size_t sent = data.size();
  const Duration limit = timeout.value_or(st->cfg.timeout);
  auto ob = std::make_shared<Outbound>();
  std::string late = "no response within ";
  late.append(ms_text(limit));
  const Time start = Clock::now();
  auto r = co_await race_deadline<Bytes>(host_.executor(), limit,
                                         exchange(&host_, st, peer, std::move(protocol), std::move(data), ob, slot),
                                         std::move(late), [ob] {
                                           ob->abandoned = true;
                                           if (ob->stream) ob->stream->reset();
                                           ob->stream.reset();
                                         });
  if (!r.ok()) co_return fail(std::move(r).error());
  ++st->stats.responses_received;
  st->stats.bytes_sent += sent;
  st->stats.bytes_received += r->size();
  co_return Response{std::move(r).value(), Clock::now() - start};
}

const RequestResponseStats& RequestResponse::stats() const { return st_->stats; }
const RequestResponseConfig& RequestResponse::config() const { return st_->cfg; }
size_t RequestResponse::inbound_in_flight(const PeerId& peer) const { return count(st_->inbound, peer); }
size_t RequestResponse::outbound_in_flight(const PeerId& peer) const { return count(st_->outbound, peer); }

}  // namespace hauptbuch::p2p::reqresp
