// yamux session (`/yamux/1.0.0`), sans-I/O: many streams over one secure connection.
//
// The driver feeds decrypted bytes from the peer (feed), writes take_output() to the peer,
// and reacts to events (inbound stream, data readable, writable again, remote FIN, reset, ping
// RTT, GoAway). Applications call open_stream / write / read / close_write / reset.
// Flow control per stream (spec): each side may send at most the receiver's window (256 KiB at
// first); the receiver grants more with WindowUpdate once half of it has been read, so a slow
// reader stops the sender instead of growing our memory. The window grows (auto-tuning, up to
// max_window) when the reader keeps up, for throughput on long-latency links.
// Limits (YamuxConfig): concurrent streams, unacknowledged outbound streams (ACK backlog 256),
// pending output (write() accepts less, then nothing, when the peer does not read). A peer that
// breaks the protocol (data beyond its window, wrong stream id parity, unknown frame type...)
// gets a GoAway(protocol error) and the session is dead: feed() returns the error.
// Not thread-safe: one owner drives it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "hauptbuch/p2p/result.h"
#include "mux/yamux_frame.h"
#include "util/bytes.h"
#include "util/clock.h"

namespace hauptbuch::p2p::mux {

using StreamId = uint32_t;

struct YamuxConfig {
  uint32_t initial_window = 256 * 1024;  // spec default
  uint32_t max_window = 16 * 1024 * 1024;  // receive-window auto-tuning cap per stream
  size_t max_streams = 1024;             // concurrently open streams (both directions)
  // Received-but-unread bytes over all streams. Windows are per stream (256 KiB each), so
  // without this bound 1,024 streams could pin 256 MiB; a stream whose data would exceed it is
  // reset instead.
  size_t max_session_buffer = 32u << 20;
  size_t max_ack_backlog = 256;          // our streams the peer has not acknowledged
  size_t max_frame_payload = 64 * 1024;  // data per frame we send
  size_t max_pending_output = 1 << 20;   // write() stops accepting above this
  size_t max_pings_outstanding = 16;
};

enum class EventType {
  StreamOpened,    // inbound stream (accept it: read/write with its id)
  StreamReadable,  // data (or EOF) to read
  StreamWritable,  // send window opened again after write() accepted less than asked
  StreamReset,     // the peer reset the stream (it is gone)
  PingRtt,         // answer to our ping()
  GoAwayReceived,  // the peer will accept no new streams
};

struct Event {
  EventType type;
  StreamId stream = 0;
  Duration rtt{};
  GoAwayCode code = GoAwayCode::Normal;
};

// Application bytes queued by write_borrowed: they belong in the output at byte `at` of the
// owned output bytes (before whatever was queued after them). The session keeps only the
// reference; the caller keeps the bytes alive and unchanged until the driver has consumed them.
struct BorrowedPiece {
  size_t at = 0;
  ByteSpan data;
};

struct ReadResult {
  size_t n = 0;
  bool eof = false;  // the peer closed its side and everything was read
};

// Received bytes of one stream as a queue of chunks (one per data frame): appending and
// reading never move more than the bytes involved.
class ChunkQueue {
 public:
  void append(ByteSpan b) {
    if (b.empty()) return;
    chunks_.emplace_back(b.begin(), b.end());
    size_ += b.size();
  }
  size_t read(MutableByteSpan out);
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  std::deque<Bytes> chunks_;
  size_t front_off_ = 0;
  size_t size_ = 0;
};

class Session {
 public:
  enum class Role { Client, Server };  // the dialer is the client (odd stream ids)
  Session(Role role, YamuxConfig cfg = {});

  // Bytes from the peer, any fragmentation. Errors are final (session closed).
  Status feed(ByteSpan in, Time now);
  // The pending output as one buffer (borrowed pieces are copied in).
  Bytes take_output() {
    Bytes out;
    take_output(out);
    return out;
  }
  // Same, without allocating: the pending output is swapped into `into` (cleared first), and
  // `into`'s old storage becomes the session's output buffer, so a busy connection reuses
  // two buffers instead of growing a fresh one for every write. Borrowed pieces are copied in.
  void take_output(Bytes& into);
  // The zero-copy form: the owned bytes as take_output(Bytes&), plus the borrowed pieces to
  // splice into them (`pieces` is cleared first; each `at` indexes `into`, in order). Once
  // the caller has consumed the pieces, the writers that lent them may be released.
  void take_output(Bytes& into, std::vector<BorrowedPiece>& pieces) {
    into.clear();
    into.swap(out_);
    pieces.clear();
    pieces.swap(borrowed_);
    borrowed_bytes_ = 0;
  }
  // Drops the pending output and every borrowed reference (the driver closed the connection and
  // will write nothing more; writers that lent bytes may return).
  void discard_output() {
    out_.clear();
    borrowed_.clear();
    borrowed_bytes_ = 0;
  }
  // Frees the input and output buffers if they hold nothing (call when the connection goes
  // idle, so idle connections keep no buffer).
  void release_buffers();
  size_t pending_output() const { return out_.size() + borrowed_bytes_; }
  std::optional<Event> poll_event();

  // Errors: ConnectionLimitsExceeded (stream limit or ACK backlog), InvalidConnection (session
  // closed or GoAway received).
  Result<StreamId> open_stream();
  // Queues up to data.size() bytes; returns how many were accepted (0: wait for StreamWritable).
  // Errors: InvalidConnection (unknown/reset stream, write side closed, session closed).
  Result<size_t> write(StreamId id, ByteSpan data);
  // write() without copying the payload: only the frame headers are queued, the payload is
  // referenced (BorrowedPiece) until the driver takes it with take_output(Bytes&, pieces).
  // The caller must keep `data` unchanged until then, whatever happens to the stream.
  Result<size_t> write_borrowed(StreamId id, ByteSpan data);
  // Errors: InvalidConnection for an unknown stream, Cancelled for a reset stream.
  Result<ReadResult> read(StreamId id, MutableByteSpan buf, Time now);
  Status close_write(StreamId id);
  void reset(StreamId id);
  // The application is done with the stream: if our side was closed (FIN sent) the stream is
  // kept until the peer closes too, with incoming data discarded; otherwise it is reset.
  void release(StreamId id);
  // Sends a ping; its RTT arrives as a PingRtt event. Errors: ResourceLimitExceeded.
  Status ping(Time now);
  void go_away(GoAwayCode code = GoAwayCode::Normal);

  bool closed() const { return closed_; }
  bool remote_go_away() const { return remote_go_away_; }
  size_t stream_count() const { return streams_.size(); }
  bool has_stream(StreamId id) const { return streams_.count(id) != 0; }
  bool ack_backlog_full() const { return ack_backlog_ >= cfg_.max_ack_backlog; }
  size_t buffered() const { return buffered_; }
  // Bytes held for this session: buffers plus a fixed estimate per stream.
  size_t memory_usage() const;

 private:
  struct Stream {
    bool acked = false;          // outbound: peer sent ACK
    bool local_fin = false, remote_fin = false;
    uint32_t send_window;
    uint32_t recv_window;        // what the peer may still send
    uint32_t recv_window_max;    // current window size (auto-tuned)
    uint32_t consumed = 0;       // read since the last WindowUpdate we sent
    Time last_update{};
    ChunkQueue recv;
    bool want_writable = false;
    bool released = false;       // no reader any more: incoming data is discarded
    bool readable_pending = false;
  };
  Status protocol_error(std::string detail);
  Result<size_t> write_impl(StreamId id, ByteSpan data, bool borrow);
  Result<size_t> frame_payload_length(const FrameHeader& h);
  Status on_frame(const FrameHeader& h, ByteSpan payload, Time now);
  Status on_stream_flags(const FrameHeader& h, Time now, Stream*& s);
  void send_header(FrameType t, uint16_t f, StreamId id, uint32_t len);
  void push_event(Event e);
  void maybe_remove(StreamId id);
  void mark_readable(StreamId id, Stream& s);

  Role role_;
  YamuxConfig cfg_;
  StreamId next_id_;
  std::map<StreamId, Stream> streams_;
  std::set<StreamId> reset_by_peer_;  // ids reset by the peer, until the app notices (bounded)
  size_t ack_backlog_ = 0;
  size_t buffered_ = 0;     // sum of all streams' receive buffers
  StreamId highest_remote_id_ = 0;  // ids are never reused
  Bytes in_;                // partial frame
  Bytes out_;
  std::vector<BorrowedPiece> borrowed_;  // write_borrowed payloads, by position in out_
  size_t borrowed_bytes_ = 0;
  std::deque<Event> events_;
  std::map<uint32_t, Time> pings_;
  uint32_t next_ping_ = 1;
  bool closed_ = false, remote_go_away_ = false, local_go_away_ = false;
};

}  // namespace hauptbuch::p2p::mux
