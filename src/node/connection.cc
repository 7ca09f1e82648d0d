// Connection and Stream coroutines (see connection.h).
#include "node/connection.h"

#include <asio/experimental/as_tuple.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/use_awaitable.hpp>

#include <atomic>

#include "negotiate/multistream.h"
#include <spdlog/spdlog.h>
#include "util/varint.h"

namespace hauptbuch::p2p::node {
namespace {

using asio::use_awaitable;
constexpr auto kNoThrow = asio::experimental::as_tuple(use_awaitable);
// Largest single socket read: bounded so a fast peer cannot make us allocate much at once;
// idle connections hold no read buffer at all (we wait for readability first).
constexpr size_t kMaxReadChunk = 256 * 1024;
// Reads and writes smaller than this are request/response traffic: after one of them, with
// nothing more waiting, the connection drops its read/write buffers (cheap to make again for
// small messages), so idle connections hold none. Bulk transfers keep and reuse theirs.
constexpr size_t kSmallTransfer = 16 * 1024;
// Stream writes of at least this many bytes lend them to the session instead of copying them
// into yamux frames. Smaller ones are copied: a lending write waits for the writer's seal,
// while message traffic (gossip RPC frames of up to 64 KiB, say) gains from queuing frame
// after frame for one socket write. With a 16 KiB threshold the gossip bench looked slower
// (174k and 209k against 207k and 213k msgs/s), though within this machine's noise.
constexpr size_t kLendThreshold = 256 * 1024;
// A connection that moved bulk data and then went quiet drops its buffers after this long.
constexpr auto kIdleBufferRelease = std::chrono::seconds(1);
std::atomic<ConnectionId> g_next_connection_id{1};

}  // namespace

// ---- Stream --------------------------------------------------------------------------------

Stream::Stream(std::shared_ptr<Connection> conn, mux::StreamId id, Executor ex)
    : conn_(std::move(conn)), id_(id), timer_(ex) {}

Stream::~Stream() {
  // A stream dropped by its owner: reset unless our side was closed cleanly (then the peer's
  // remaining data is discarded until it closes too).
  if (conn_ && !conn_->closed_ && conn_->session_.has_stream(id_)) {
    conn_->session_.release(id_);
    conn_->kick_writer();
  }
  if (conn_) {
    conn_->streams_.erase(id_);
    if (conn_->streams_.empty()) conn_->idle_since_ = Clock::now();
  }
}

void Stream::wake() { timer_.cancel(); }

asio::awaitable<void> Stream::wait() {
  timer_.expires_at(asio::steady_timer::time_point::max());
  co_await timer_.async_wait(kNoThrow);
}

asio::awaitable<Result<size_t>> Stream::read_some(MutableByteSpan buf) {
  if (buf.empty()) co_return size_t{0};
  if (!prefix_.empty()) {
    const size_t n = std::min(buf.size(), prefix_.size());
    std::copy_n(prefix_.begin(), n, buf.begin());
    prefix_.erase(prefix_.begin(), prefix_.begin() + static_cast<std::ptrdiff_t>(n));
    co_return n;
  }
  for (;;) {
    if (conn_->closed_) co_return Error(P2PNetworkError::Cancelled, "connection closed: " + conn_->close_reason_);
    auto r = conn_->session_.read(id_, buf, Clock::now());
    if (!r.ok()) co_return std::move(r).error();
    if (r->n > 0) {
      conn_->kick_writer();  // a window update may be due
      co_return r->n;
    }
    if (r->eof) co_return size_t{0};
    co_await wait();
  }
}

asio::awaitable<Status> Stream::read_exact(MutableByteSpan buf) {
  size_t got = 0;
  while (got < buf.size()) {
    auto r = co_await read_some(buf.subspan(got));
    if (!r.ok()) co_return std::move(r).error();
    if (*r == 0) co_return Status(P2PNetworkError::InvalidMessage, "stream ended early");
    got += *r;
  }
  co_return ok_status();
}

asio::awaitable<Status> Stream::write(ByteSpan data) {
  size_t off = 0;
  uint64_t lent_until = 0;  // the writer's seal count at which every byte we lent is sealed
  Status st = ok_status();
  while (off < data.size()) {
    if (conn_->closed_) {
      st = Status(P2PNetworkError::Cancelled, "connection closed: " + conn_->close_reason_);
      break;
    }
    const ByteSpan rest = data.subspan(off);
    const bool lend = rest.size() >= kLendThreshold;
    auto n = lend ? conn_->session_.write_borrowed(id_, rest) : conn_->session_.write(id_, rest);
    if (!n.ok()) {
      st = std::move(n).error();
      break;
    }
    off += *n;
    if (*n > 0) {
      conn_->kick_writer();
      if (lend) lent_until = conn_->sealed_gen_ + 1;  // the writer seals all pending output at once
    }
    if (off < data.size()) co_await wait();
  }
  // The session references lent bytes until the writer has sealed them, whatever became of the
  // stream; a closed connection has dropped its references.
  while (lent_until > conn_->sealed_gen_ && !conn_->closed_) co_await wait();
  co_return st;
}

asio::awaitable<Result<Bytes>> Stream::read_message(size_t max_size, uint64_t* declared) {
  // uvarint length, byte by byte (at most kMaxBytes), then the body.
  uint8_t prefix[varint::kMaxBytes];
  size_t n = 0;
  for (;;) {
    if (n == 0) {
      // The peer may end the stream between messages: that is a close, not a broken message.
      auto got = co_await read_some(MutableByteSpan(prefix, 1));
      if (!got.ok()) co_return std::move(got).error();
      if (*got == 0) co_return Error(P2PNetworkError::Cancelled, "stream closed by the peer");
    } else {
      HBP2P_CO_TRY(co_await read_exact(MutableByteSpan(prefix + n, 1)));
    }
    ++n;
    const auto d = varint::decode(ByteSpan(prefix, n));
    if (d.status == varint::DecodeStatus::Invalid) co_return Error(P2PNetworkError::InvalidMessage, "bad length prefix");
    if (d.status == varint::DecodeStatus::NeedMore) continue;
    if (declared) *declared = d.value;
    if (d.value > max_size)
      co_return Error(P2PNetworkError::ResourceLimitExceeded,
                      "message of " + std::to_string(d.value) + " bytes exceeds the limit of " + std::to_string(max_size));
    Bytes body(static_cast<size_t>(d.value));  // <= max_size, checked above
    HBP2P_CO_TRY(co_await read_exact(body));
    co_return body;
  }
}

asio::awaitable<Status> Stream::write_message(ByteSpan msg) {
  Bytes out;
  varint::append(out, msg.size());
  out.insert(out.end(), msg.begin(), msg.end());
  co_return co_await write(out);
}

Status Stream::close_write() {
  if (conn_->closed_) return Status(P2PNetworkError::Cancelled, "connection closed");
  auto st = conn_->session_.close_write(id_);
  conn_->kick_writer();
  return st;
}

void Stream::reset() {
  if (!conn_->closed_) {
    conn_->session_.reset(id_);
    conn_->kick_writer();
  }
}

// ---- Connection ----------------------------------------------------------------------------

Connection::Connection(asio::ip::tcp::socket socket, std::unique_ptr<secure::SecureTransport> transport,
                       ConnectionInfo info, Executor ex, mux::YamuxConfig ycfg)
    : socket_(std::move(socket)),
      transport_(std::move(transport)),
      info_(std::move(info)),
      ex_(ex),
      session_(info_.direction == Direction::Outbound ? mux::Session::Role::Client : mux::Session::Role::Server, ycfg),
      id_(g_next_connection_id++),
      writer_wake_(ex),
      open_wait_(ex) {}

Connection::~Connection() = default;

size_t Connection::memory_usage() const {
  return sizeof(*this) + session_.memory_usage() + streams_.size() * (sizeof(Stream) + 64) +
         read_buf_.capacity() + read_plain_.capacity();
}

void Connection::start(Bytes initial_plaintext, InboundHandler on_stream, ClosedHandler on_closed) {
  on_stream_ = std::move(on_stream);
  on_closed_ = std::move(on_closed);
  auto self = shared_from_this();
  asio::co_spawn(ex_, [self, initial = std::move(initial_plaintext)]() mutable { return self->reader(std::move(initial)); },
                 asio::detached);
  asio::co_spawn(ex_, [self] { return self->writer(); }, asio::detached);
  // One yamux ping, so inbound eviction knows this peer's round-trip time (12 bytes each way).
  if (session_.ping(Clock::now()).ok()) kick_writer();
}

void Connection::kick_writer() { writer_wake_.cancel(); }

void Connection::wake_all() {
  for (auto& [id, w] : streams_)
    if (auto s = w.lock()) s->wake();
}

void Connection::close(const std::string& reason) {
  if (closed_) return;
  closed_ = true;
  close_reason_ = reason;
  std::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  session_.discard_output();  // nothing more is written; lent bytes are no longer referenced
  writer_wake_.cancel();
  open_wait_.cancel();
  wake_all();
  if (on_closed_) {
    auto cb = std::move(on_closed_);
    cb(*this, reason);
  }
}

void Connection::handle_events() {
  open_wait_.cancel();  // ACKs may have freed the backlog
  while (auto ev = session_.poll_event()) {
    switch (ev->type) {
      case mux::EventType::StreamOpened: {
        auto s = std::make_shared<Stream>(shared_from_this(), ev->stream, ex_);
        streams_[ev->stream] = s;
        if (on_stream_) on_stream_(s);
        break;
      }
      case mux::EventType::StreamReadable:
      case mux::EventType::StreamWritable:
      case mux::EventType::StreamReset:
        if (auto it = streams_.find(ev->stream); it != streams_.end())
          if (auto s = it->second.lock()) s->wake();
        break;
      case mux::EventType::PingRtt:
        note_rtt(ev->rtt);
        break;
      case mux::EventType::GoAwayReceived:
        break;
    }
  }
}

asio::awaitable<void> Connection::reader(Bytes initial) {
  auto self = shared_from_this();
  if (!initial.empty()) {
    if (auto st = session_.feed(initial, Clock::now()); !st) {
      kick_writer();
      close(st.error().message());
      co_return;
    }
    handle_events();
    kick_writer();
  }
  while (!closed_) {
    auto [wec] = co_await socket_.async_wait(asio::ip::tcp::socket::wait_read, kNoThrow);
    if (wec || closed_) break;
    std::error_code aec;
    const size_t avail = socket_.available(aec);
    const size_t want = std::clamp<size_t>(avail, 4096, kMaxReadChunk);
    if (read_buf_.size() < want) read_buf_.resize(want);
    reading_ = true;  // read_buf_ is in use until the bytes are fed to the session
    auto [ec, n] = co_await socket_.async_read_some(asio::buffer(read_buf_), kNoThrow);
    if (ec || closed_) {
      close(ec == asio::error::eof ? "peer closed the connection" : "read failed: " + ec.message());
      co_return;
    }
    // read_plain_ only grows (no zero-fill per read); the transport says how much it wrote.
    const size_t room = transport_->max_opened_size(n);
    if (read_plain_.size() < room) read_plain_.resize(room);
    auto opened = transport_->decrypt_into(ByteSpan(read_buf_.data(), n), read_plain_);
    if (!opened.ok()) {
      close(opened.error().message());
      co_return;
    }
    if (auto st = session_.feed(ByteSpan(read_plain_.data(), *opened), Clock::now()); !st) {
      // The peer broke the protocol: the session queued a GoAway(protocol error); flush it
      // (bounded by go_away_and_close's 1 s watchdog), then close. No more reading.
      go_away_and_close(st.error().message());
      co_return;
    }
    reading_ = false;
    handle_events();
    kick_writer();
    // A busy connection keeps its buffers (no allocation and zero-fill per read); after a
    // small read with nothing more waiting they go (and the writer drops them after an idle
    // second in any case), so idle connections keep none.
    if (n < kSmallTransfer && socket_.available(aec) == 0) release_read_buffers();
  }
  close("closed");
}

void Connection::release_read_buffers() {
  if (reading_) return;
  read_buf_ = Bytes();
  read_plain_ = Bytes();
  session_.release_buffers();
}

asio::awaitable<void> Connection::writer() {
  auto self = shared_from_this();
  // Both buffers are reused while data flows: `plain` swaps storage with the session's output
  // buffer, `wire` receives every pending frame at once (one socket write for all of them) and
  // only grows, so a busy connection pays no zero-fill per write.
  Bytes plain, wire;
  std::vector<mux::BorrowedPiece> lent;  // application bytes to seal in place (Stream::write)
  std::vector<ByteSpan> pieces;          // plain and lent interleaved, in output order
  size_t wire_len = 0;  // bytes of `wire` in the last write
  bool idle_timeout = false;
  while (!closed_) {
    session_.take_output(plain, lent);
    if (plain.empty() && lent.empty()) {
      // Idle: after a small write at once, after a bulk one when a second passed without output.
      if (wire_len < kSmallTransfer || idle_timeout) {
        plain = Bytes();
        wire = Bytes();
        lent = {};
        pieces = {};
        session_.release_buffers();
        if (idle_timeout) release_read_buffers();
      }
      const bool holding = wire.capacity() > 0 || read_buf_.capacity() > 0;
      if (holding && !idle_timeout)
        writer_wake_.expires_after(kIdleBufferRelease);
      else
        writer_wake_.expires_at(asio::steady_timer::time_point::max());
      auto [wec] = co_await writer_wake_.async_wait(kNoThrow);
      idle_timeout = !wec && holding;  // the timer expired rather than being cancelled by a kick
      continue;
    }
    idle_timeout = false;
    pieces.clear();
    size_t at = 0, total = plain.size();
    for (const auto& p : lent) {
      pieces.push_back(ByteSpan(plain.data() + at, p.at - at));
      pieces.push_back(p.data);
      at = p.at;
      total += p.data.size();
    }
    pieces.push_back(ByteSpan(plain.data() + at, plain.size() - at));
    wire_len = transport_->sealed_size(total);
    if (wire.size() < wire_len) wire.resize(wire_len);
    if (auto st = transport_->encrypt_gather_into(pieces, MutableByteSpan(wire.data(), wire_len)); !st) {
      close(st.error().message());
      co_return;
    }
    ++sealed_gen_;
    if (!lent.empty()) {
      lent.clear();
      wake_all();  // writers whose lent bytes are now sealed may return (and lend more)
    }
    // Offer the kernel everything at once: asio::async_write would split it into 64 KiB
    // send calls, and between two nodes on their own threads one call per batch moved 1.66 to
    // 1.80 GB/s against 1.31 to 1.64 (bench/README.md, 2026-12-07 04:20 UTC).
    std::error_code ec;
    for (size_t done = 0; !ec && done < wire_len;) {
      auto [wec, n] = co_await socket_.async_write_some(asio::buffer(wire.data() + done, wire_len - done), kNoThrow);
      ec = wec;
      if (!ec && n == 0) ec = asio::error::connection_aborted;  // no progress: never spin
      done += n;
    }
    if (ec) {
      close("write failed: " + ec.message());
      co_return;
    }
    wake_all();  // writers that waited for output room
    if (close_after_flush_ && session_.pending_output() == 0) {
      close(close_reason_.empty() ? "closed" : close_reason_);
      co_return;
    }
  }
}

void Connection::go_away_and_close(const std::string& reason) {
  if (closed_ || close_after_flush_) return;
  close_after_flush_ = true;
  close_reason_ = reason;
  session_.go_away(mux::GoAwayCode::Normal);
  kick_writer();
  auto self = shared_from_this();
  auto timer = std::make_shared<asio::steady_timer>(ex_, std::chrono::seconds(1));
  timer->async_wait([self, timer, reason](std::error_code) { self->close(reason); });
}

asio::awaitable<Status> Connection::negotiate_inbound(StreamPtr s, std::function<bool(std::string_view)> supported) {
  negotiate::Responder ms(std::move(supported));
  HBP2P_CO_TRY(co_await s->write(ms.start()));
  Bytes buf(512);
  while (!ms.done()) {
    auto n = co_await s->read_some(buf);
    if (!n.ok()) co_return std::move(n).error();
    if (*n == 0) co_return Status(P2PNetworkError::InvalidMessage, "stream closed during protocol negotiation");
    auto st = ms.feed(ByteSpan(buf.data(), *n));
    if (Bytes out = ms.take_output(); !out.empty()) HBP2P_CO_TRY(co_await s->write(out));
    if (!st) co_return st;
  }
  s->protocol_ = ms.selected();
  s->prefix_ = ms.take_leftover();
  co_return ok_status();
}

asio::awaitable<Result<StreamPtr>> Connection::open_stream(std::vector<std::string> protocols) {
  auto self = shared_from_this();
  // Wait while the peer has not acknowledged max_ack_backlog of our streams (bounded by the
  // connection: it either ACKs or the connection ends).
  for (int waits = 0; !closed_ && session_.ack_backlog_full() && waits < 100000; ++waits) {
    open_wait_.expires_at(asio::steady_timer::time_point::max());
    co_await open_wait_.async_wait(kNoThrow);
  }
  if (closed_) co_return Error(P2PNetworkError::InvalidConnection, "connection closed");
  auto id = session_.open_stream();
  if (!id.ok()) co_return std::move(id).error();
  auto s = std::make_shared<Stream>(self, *id, ex_);
  streams_[*id] = s;
  negotiate::Initiator ini(std::move(protocols));
  HBP2P_CO_TRY(co_await s->write(ini.start()));
  Bytes buf(512);
  while (!ini.done()) {
    auto n = co_await s->read_some(buf);
    if (!n.ok()) co_return std::move(n).error();
    if (*n == 0) co_return Error(P2PNetworkError::PeerConnectionFailed, "stream closed during protocol negotiation");
    HBP2P_CO_TRY(ini.feed(ByteSpan(buf.data(), *n)));
    if (Bytes out = ini.take_output(); !out.empty()) HBP2P_CO_TRY(co_await s->write(out));
  }
  s->protocol_ = ini.selected();
  s->prefix_ = ini.take_leftover();
  co_return s;
}

}  // namespace hauptbuch::p2p::node
