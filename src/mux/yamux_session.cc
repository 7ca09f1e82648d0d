// yamux session state machine (see yamux_session.h).
#include "mux/yamux_session.h"

#include <algorithm>

namespace hauptbuch::p2p::mux {
namespace {

// Per-stream bookkeeping counted by memory_usage() besides its buffered bytes.
constexpr size_t kStreamOverhead = 160;
// Reset-stream ids remembered so a reader learns "reset" rather than "unknown".
constexpr size_t kMaxRememberedResets = 1024;

}  // namespace

size_t ChunkQueue::read(MutableByteSpan out) {
  size_t n = 0;
  while (n < out.size() && !chunks_.empty()) {
    Bytes& c = chunks_.front();
    const size_t take = std::min(out.size() - n, c.size() - front_off_);
    std::copy_n(c.begin() + static_cast<std::ptrdiff_t>(front_off_), take, out.begin() + static_cast<std::ptrdiff_t>(n));
    n += take;
    front_off_ += take;
    if (front_off_ == c.size()) {
      chunks_.pop_front();
      front_off_ = 0;
    }
  }
  size_ -= n;
  return n;
}

Session::Session(Role role, YamuxConfig cfg)
    : role_(role), cfg_(cfg), next_id_(role == Role::Client ? 1 : 2) {}

size_t Session::memory_usage() const {
  size_t m = sizeof(*this) + in_.capacity() + out_.capacity() + borrowed_.capacity() * sizeof(BorrowedPiece);
  for (const auto& [id, s] : streams_) m += kStreamOverhead + s.recv.size();
  return m;
}

void Session::release_buffers() {
  if (in_.empty()) in_ = Bytes();
  if (out_.empty()) out_ = Bytes();
  if (borrowed_.empty()) borrowed_ = std::vector<BorrowedPiece>();
}

void Session::send_header(FrameType t, uint16_t f, StreamId id, uint32_t len) {
  append_header(out_, FrameHeader{t, f, id, len});
}

void Session::push_event(Event e) { events_.push_back(e); }

std::optional<Event> Session::poll_event() {
  if (events_.empty()) return std::nullopt;
  Event e = events_.front();
  events_.pop_front();
  if (e.type == EventType::StreamReadable) {
    if (auto it = streams_.find(e.stream); it != streams_.end()) it->second.readable_pending = false;
  }
  return e;
}

void Session::mark_readable(StreamId id, Stream& s) {
  if (s.readable_pending) return;  // one pending event per stream: the queue stays bounded
  s.readable_pending = true;
  push_event({EventType::StreamReadable, id});
}

Status Session::protocol_error(std::string detail) {
  if (!closed_) {
    send_header(FrameType::GoAway, 0, 0, static_cast<uint32_t>(GoAwayCode::ProtocolError));
    closed_ = true;
  }
  return Status(P2PNetworkError::InvalidMessage, "yamux: " + detail);
}

Result<size_t> Session::frame_payload_length(const FrameHeader& h) {
  if (h.type != FrameType::Data) return size_t{0};
  // Checked before any payload is buffered: a data frame can never exceed what the peer may send
  // on that stream (its receive window), or the initial window for a stream we do not know, so
  // a hostile length cannot make us hold a huge partial frame.
  uint64_t limit = std::max<uint64_t>(256 * 1024, cfg_.initial_window);
  if (auto it = streams_.find(h.stream_id); it != streams_.end() && !it->second.released)
    limit = it->second.recv_window;
  if (h.length > limit) return Error(P2PNetworkError::InvalidMessage, "data frame larger than the receive window");
  return size_t{h.length};
}

Status Session::feed(ByteSpan in, Time now) {
  if (closed_) return Status(P2PNetworkError::InvalidConnection, "yamux: session closed");
  while (true) {
    // Fast path: whole frames straight from the input, no copy.
    while (in_.empty() && in.size() >= kYamuxHeaderSize) {
      auto h = decode_header(in);
      if (!h.ok()) return protocol_error(h.error().detail());
      auto len = frame_payload_length(*h);
      if (!len.ok()) return protocol_error(len.error().detail());
      if (in.size() - kYamuxHeaderSize < *len) break;
      HBP2P_TRY(on_frame(*h, in.subspan(kYamuxHeaderSize, *len), now));
      if (closed_) return ok_status();
      in = in.subspan(kYamuxHeaderSize + *len);
    }
    if (in.empty()) return ok_status();
    // Slow path: assemble one frame in in_ (bounded by the frame size check).
    if (in_.size() < kYamuxHeaderSize) {
      const size_t n = std::min(kYamuxHeaderSize - in_.size(), in.size());
      in_.insert(in_.end(), in.begin(), in.begin() + static_cast<std::ptrdiff_t>(n));
      in = in.subspan(n);
      if (in_.size() < kYamuxHeaderSize) return ok_status();
    }
    auto h = decode_header(in_);
    if (!h.ok()) return protocol_error(h.error().detail());
    auto len = frame_payload_length(*h);
    if (!len.ok()) return protocol_error(len.error().detail());
    const size_t have = in_.size() - kYamuxHeaderSize;
    if (have < *len) {
      // One allocation for a usual split frame; a larger one (the peer may send up to its
      // window in one frame) grows as its bytes actually arrive.
      in_.reserve(kYamuxHeaderSize + std::min(*len, cfg_.max_frame_payload));
      const size_t n = std::min(*len - have, in.size());
      in_.insert(in_.end(), in.begin(), in.begin() + static_cast<std::ptrdiff_t>(n));
      in = in.subspan(n);
      if (in_.size() - kYamuxHeaderSize < *len) return ok_status();
    }
    const FrameHeader header = *h;
    // in_ keeps its capacity for the next split frame (release_buffers() frees it when idle);
    // on_frame never re-enters feed, so the payload span stays valid until clear().
    auto st = on_frame(header, ByteSpan(in_.data() + kYamuxHeaderSize, *len), now);
    in_.clear();
    HBP2P_TRY(std::move(st));
    if (closed_) return ok_status();
  }
}

Status Session::on_stream_flags(const FrameHeader& h, Time now, Stream*& s) {
  const StreamId id = h.stream_id;
  auto it = streams_.find(id);
  if (h.flags & flags::kSyn) {
    if (id == 0) return protocol_error("SYN on stream 0");
    const bool remote_parity = (id % 2 == 1) == (role_ == Role::Server);
    if (!remote_parity) return protocol_error("SYN with our stream id parity");
    if (it != streams_.end() || reset_by_peer_.count(id)) return protocol_error("SYN for an existing stream");
    // Stream ids are never reused (spec): each new remote id must exceed every earlier one.
    if (id <= highest_remote_id_) return protocol_error("SYN reuses an old stream id");
    highest_remote_id_ = id;
    if (streams_.size() >= cfg_.max_streams || local_go_away_) {
      send_header(FrameType::WindowUpdate, flags::kRst, id, 0);  // refuse this one stream
      s = nullptr;
      return ok_status();
    }
    Stream st;
    st.acked = true;
    st.send_window = 256 * 1024;  // spec: every stream starts at 256 KiB each way
    st.recv_window = 256 * 1024;
    st.recv_window_max = 256 * 1024;
    st.last_update = now;
    it = streams_.emplace(id, std::move(st)).first;
    // ACK, granting our configured window beyond the 256 KiB default.
    const uint32_t extra = cfg_.initial_window > 256 * 1024 ? cfg_.initial_window - 256 * 1024 : 0;
    it->second.recv_window += extra;
    it->second.recv_window_max += extra;
    send_header(FrameType::WindowUpdate, flags::kAck, id, extra);
    push_event({EventType::StreamOpened, id});
  }
  if (it == streams_.end()) {
    s = nullptr;
    return ok_status();  // frame for a stream we no longer know: ignore (spec), data dropped
  }
  s = &it->second;
  if (h.flags & flags::kAck) {
    if (!s->acked) {
      s->acked = true;
      if (ack_backlog_ > 0) --ack_backlog_;
    }
  }
  if (h.flags & flags::kRst) {
    if (!s->acked && ack_backlog_ > 0) --ack_backlog_;
    buffered_ -= it->second.recv.size();
    streams_.erase(it);
    if (reset_by_peer_.size() >= kMaxRememberedResets) reset_by_peer_.erase(reset_by_peer_.begin());
    reset_by_peer_.insert(id);
    push_event({EventType::StreamReset, id});
    s = nullptr;
    return ok_status();
  }
  return ok_status();
}

Status Session::on_frame(const FrameHeader& h, ByteSpan payload, Time now) {
  switch (h.type) {
    case FrameType::Ping:
      if (h.stream_id != 0) return protocol_error("ping on a stream");
      if (h.flags & flags::kSyn) {
        // Answer. Bounded by the input: one 12-byte answer per 12-byte request, and the driver
        // stops feeding while output is pending.
        send_header(FrameType::Ping, flags::kAck, 0, h.length);
      } else if (h.flags & flags::kAck) {
        if (auto it = pings_.find(h.length); it != pings_.end()) {
          push_event({EventType::PingRtt, 0, now - it->second});
          pings_.erase(it);
        }
      }
      return ok_status();
    case FrameType::GoAway:
      if (h.stream_id != 0) return protocol_error("GoAway on a stream");
      if (!remote_go_away_) {
        remote_go_away_ = true;
        Event e{EventType::GoAwayReceived};
        e.code = h.length <= 2 ? static_cast<GoAwayCode>(h.length) : GoAwayCode::InternalError;
        push_event(e);
      }
      return ok_status();
    case FrameType::WindowUpdate:
    case FrameType::Data: {
      if (h.stream_id == 0) return protocol_error("stream frame on stream 0");
      Stream* s = nullptr;
      HBP2P_TRY(on_stream_flags(h, now, s));
      if (closed_) return ok_status();
      if (s == nullptr) return ok_status();
      if (h.type == FrameType::WindowUpdate) {
        const uint64_t w = uint64_t{s->send_window} + h.length;
        if (w > 0xffffffffu) return protocol_error("send window overflow");
        const bool was_blocked = s->send_window == 0 || s->want_writable;
        s->send_window = static_cast<uint32_t>(w);
        if (was_blocked && s->want_writable && s->send_window > 0) {
          s->want_writable = false;
          push_event({EventType::StreamWritable, h.stream_id});
        }
      } else {
        if (s->remote_fin && !payload.empty()) return protocol_error("data after FIN");
        if (payload.size() > s->recv_window) return protocol_error("data beyond the receive window");
        if (!s->released) {
          if (buffered_ + payload.size() > cfg_.max_session_buffer) {
            // Memory bound reached: this stream is reset rather than buffered further.
            const StreamId id = h.stream_id;
            reset(id);
            push_event({EventType::StreamReset, id});
            if (reset_by_peer_.size() >= kMaxRememberedResets) reset_by_peer_.erase(reset_by_peer_.begin());
            reset_by_peer_.insert(id);
            return ok_status();
          }
          s->recv_window -= static_cast<uint32_t>(payload.size());
          s->recv.append(payload);
          buffered_ += payload.size();
          if (!payload.empty()) mark_readable(h.stream_id, *s);
        }
      }
      if (h.flags & flags::kFin) {
        if (!s->remote_fin) {
          s->remote_fin = true;
          if (!s->released) mark_readable(h.stream_id, *s);  // readers see EOF
        }
        maybe_remove(h.stream_id);
      }
      return ok_status();
    }
  }
  return protocol_error("unknown frame type");
}

void Session::maybe_remove(StreamId id) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return;
  const Stream& s = it->second;
  if (s.local_fin && s.remote_fin && s.recv.empty() && !s.readable_pending) streams_.erase(it);
}

Result<StreamId> Session::open_stream() {
  if (closed_ || remote_go_away_ || local_go_away_)
    return Error(P2PNetworkError::InvalidConnection, "yamux: session is closing");
  if (streams_.size() >= cfg_.max_streams)
    return Error(P2PNetworkError::ConnectionLimitsExceeded, "yamux: stream limit reached");
  if (ack_backlog_ >= cfg_.max_ack_backlog)
    return Error(P2PNetworkError::ConnectionLimitsExceeded, "yamux: too many unacknowledged streams");
  if (next_id_ > 0xfffffffdu) return Error(P2PNetworkError::ConnectionLimitsExceeded, "yamux: stream ids exhausted");
  const StreamId id = next_id_;
  next_id_ += 2;
  Stream st;
  st.send_window = 256 * 1024;
  const uint32_t extra = cfg_.initial_window > 256 * 1024 ? cfg_.initial_window - 256 * 1024 : 0;
  st.recv_window = 256 * 1024 + extra;
  st.recv_window_max = st.recv_window;
  streams_.emplace(id, std::move(st));
  ++ack_backlog_;
  send_header(FrameType::WindowUpdate, flags::kSyn, id, extra);
  return id;
}

void Session::take_output(Bytes& into) {
  into.clear();
  into.swap(out_);
  if (borrowed_.empty()) return;
  // Splice the borrowed payloads in, last first, so earlier positions stay valid.
  into.reserve(into.size() + borrowed_bytes_);
  for (auto it = borrowed_.rbegin(); it != borrowed_.rend(); ++it)
    into.insert(into.begin() + static_cast<std::ptrdiff_t>(it->at), it->data.begin(), it->data.end());
  borrowed_.clear();
  borrowed_bytes_ = 0;
}

Result<size_t> Session::write(StreamId id, ByteSpan data) { return write_impl(id, data, false); }

Result<size_t> Session::write_borrowed(StreamId id, ByteSpan data) { return write_impl(id, data, true); }

Result<size_t> Session::write_impl(StreamId id, ByteSpan data, bool borrow) {
  if (closed_) return Error(P2PNetworkError::InvalidConnection, "yamux: session closed");
  auto it = streams_.find(id);
  if (it == streams_.end()) {
    if (reset_by_peer_.count(id)) return Error(P2PNetworkError::Cancelled, "yamux: stream reset by peer");
    return Error(P2PNetworkError::InvalidConnection, "yamux: unknown stream");
  }
  Stream& s = it->second;
  if (s.local_fin) return Error(P2PNetworkError::InvalidConnection, "yamux: write after close");
  const size_t pending = pending_output();
  size_t budget = pending >= cfg_.max_pending_output ? 0 : cfg_.max_pending_output - pending;
  size_t n = std::min<size_t>({data.size(), s.send_window, budget});
  size_t sent = 0;
  while (sent < n) {
    const size_t chunk = std::min(n - sent, cfg_.max_frame_payload);
    send_header(FrameType::Data, 0, id, static_cast<uint32_t>(chunk));
    if (borrow) {
      borrowed_.push_back(BorrowedPiece{out_.size(), data.subspan(sent, chunk)});
      borrowed_bytes_ += chunk;
    } else {
      out_.insert(out_.end(), data.begin() + static_cast<std::ptrdiff_t>(sent),
                  data.begin() + static_cast<std::ptrdiff_t>(sent + chunk));
    }
    sent += chunk;
  }
  s.send_window -= static_cast<uint32_t>(sent);
  if (sent < data.size() && s.send_window == 0) s.want_writable = true;
  if (sent < data.size() && s.send_window > 0) s.want_writable = true;  // output budget: retry on Writable
  return sent;
}

Result<ReadResult> Session::read(StreamId id, MutableByteSpan buf, Time now) {
  auto it = streams_.find(id);
  if (it == streams_.end()) {
    if (reset_by_peer_.count(id)) return Error(P2PNetworkError::Cancelled, "yamux: stream reset by peer");
    return Error(P2PNetworkError::InvalidConnection, "yamux: unknown stream");
  }
  Stream& s = it->second;
  ReadResult r;
  r.n = s.recv.read(buf);
  buffered_ -= r.n;
  s.consumed += static_cast<uint32_t>(r.n);
  // Grant more window once half of it has been read. Auto-tuning: if the previous grant was
  // used up within a short time, double the window (up to max_window).
  if (!s.remote_fin && s.consumed >= s.recv_window_max / 2) {
    uint32_t delta = s.consumed;
    if (now - s.last_update < std::chrono::milliseconds(100) && s.recv_window_max < cfg_.max_window) {
      const uint32_t grow = std::min(s.recv_window_max, cfg_.max_window - s.recv_window_max);
      s.recv_window_max += grow;
      delta += grow;
    }
    s.recv_window += delta;
    s.consumed = 0;
    s.last_update = now;
    send_header(FrameType::WindowUpdate, 0, id, delta);
  }
  r.eof = s.remote_fin && s.recv.empty();
  if (r.eof) {
    s.readable_pending = false;
    maybe_remove(id);
  }
  return r;
}

Status Session::close_write(StreamId id) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return Status(P2PNetworkError::InvalidConnection, "yamux: unknown stream");
  if (it->second.local_fin) return ok_status();
  it->second.local_fin = true;
  if (!closed_) send_header(FrameType::WindowUpdate, flags::kFin, id, 0);
  maybe_remove(id);
  return ok_status();
}

void Session::release(StreamId id) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return;
  Stream& s = it->second;
  if (!s.local_fin) {
    reset(id);
    return;
  }
  s.released = true;
  buffered_ -= s.recv.size();
  s.recv = ChunkQueue();
  s.readable_pending = false;
  maybe_remove(id);
}

void Session::reset(StreamId id) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return;
  if (!it->second.acked && ack_backlog_ > 0) --ack_backlog_;
  buffered_ -= it->second.recv.size();
  streams_.erase(it);
  if (!closed_) send_header(FrameType::WindowUpdate, flags::kRst, id, 0);
}

Status Session::ping(Time now) {
  if (closed_) return Status(P2PNetworkError::InvalidConnection, "yamux: session closed");
  if (pings_.size() >= cfg_.max_pings_outstanding)
    return Status(P2PNetworkError::ResourceLimitExceeded, "yamux: too many pings outstanding");
  const uint32_t v = next_ping_++;
  pings_[v] = now;
  send_header(FrameType::Ping, flags::kSyn, 0, v);
  return ok_status();
}

void Session::go_away(GoAwayCode code) {
  if (closed_ || local_go_away_) return;
  local_go_away_ = true;
  send_header(FrameType::GoAway, 0, 0, static_cast<uint32_t>(code));
}

}  // namespace hauptbuch::p2p::mux
