// Connection and Stream: an upgraded connection (TCP + secure channel + yamux) driven by Asio
// C++20 coroutines, and the streams multiplexed over it.
//
// Ownership and concurrency: everything of one Host runs on the Host's strand, so the sans-I/O
// cores (SecureTransport, yamux Session) are only touched from one thread at a time. A
// Connection owns the socket, the secure transport and the yamux session; it runs a reader
// coroutine (socket -> decrypt -> session.feed -> wake streams / accept inbound streams) and a
// writer coroutine (session output -> encrypt -> socket). A Stream is a handle to one yamux
// stream; its awaitable read/write suspend until the session says data or window is there.
// Waiting uses a steady_timer per waiter that is cancelled to wake it (no lost wake-ups: the
// condition is re-checked on the strand before every wait). Nothing throws: every awaitable
// returns Result/Status; errors close the connection.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <asio/strand.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mux/yamux_session.h"
#include "node/connection_manager.h"
#include "peer/peer_id.h"
#include "secure/secure_channel.h"
#include "util/clock.h"
#include "util/multiaddr.h"

namespace hauptbuch::p2p::node {

using Executor = asio::strand<asio::io_context::executor_type>;
class Connection;

class Stream : public std::enable_shared_from_this<Stream> {
 public:
  Stream(std::shared_ptr<Connection> conn, mux::StreamId id, Executor ex);
  ~Stream();

  // Up to buf.size() bytes; 0 means the peer closed its side (EOF). Errors: Cancelled (reset
  // or connection closed).
  asio::awaitable<Result<size_t>> read_some(MutableByteSpan buf);
  // Exactly buf.size() bytes. Errors as read_some, InvalidMessage on early EOF.
  asio::awaitable<Status> read_exact(MutableByteSpan buf);
  // All of data (waits for flow-control window). Errors: Cancelled, InvalidConnection.
  // Large writes are not copied: the connection seals them straight from `data`, and write
  // returns once it has (so `data` must stay unchanged until write returns, as always).
  asio::awaitable<Status> write(ByteSpan data);
  // uvarint-length-prefixed message helpers (max_size bounds the length accepted). read_message
  // errors: Cancelled when the stream ends before a message starts (the peer closed it between
  // messages) or is reset, InvalidMessage for a bad length prefix or an end inside a message,
  // ResourceLimitExceeded for a declared length above max_size (`declared`, if given, receives
  // it, so a caller can drain or refuse).
  asio::awaitable<Result<Bytes>> read_message(size_t max_size, uint64_t* declared = nullptr);
  asio::awaitable<Status> write_message(ByteSpan msg);
  Status close_write();
  void reset();

  mux::StreamId id() const { return id_; }
  const std::string& protocol() const { return protocol_; }
  std::shared_ptr<Connection> connection() const { return conn_; }

 private:
  friend class Connection;
  void wake();
  asio::awaitable<void> wait();
  std::shared_ptr<Connection> conn_;
  mux::StreamId id_;
  std::string protocol_;
  Bytes prefix_;  // bytes that arrived with the negotiation (read first)
  asio::steady_timer timer_;
};
using StreamPtr = std::shared_ptr<Stream>;

struct ConnectionInfo {
  PeerId peer;
  Multiaddr remote_addr;  // transport address of the peer (without /p2p)
  Direction direction;
  std::string security;   // "/noise" or "/hauptbuch/pq-noise/1.0.0"
  // Filled by identify.
  std::vector<std::string> protocols;
  std::vector<Multiaddr> listen_addrs;
  std::string agent;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using InboundHandler = std::function<void(StreamPtr)>;  // called for every inbound stream
  using ClosedHandler = std::function<void(Connection&, const std::string& reason)>;

  Connection(asio::ip::tcp::socket socket, std::unique_ptr<secure::SecureTransport> transport,
             ConnectionInfo info, Executor ex, mux::YamuxConfig ycfg);
  ~Connection();

  // Starts the reader and writer; `initial_ciphertext` are bytes already received after the
  // handshake. The handlers run on the strand.
  void start(Bytes initial_ciphertext, InboundHandler on_stream, ClosedHandler on_closed);
  // A new outbound stream negotiated to one of `protocols` (multistream-select).
  asio::awaitable<Result<StreamPtr>> open_stream(std::vector<std::string> protocols);
  // Responder side of multistream-select on an inbound stream; on success the stream's
  // protocol() is set. Errors: InvalidMessage, Unsupported, Cancelled.
  static asio::awaitable<Status> negotiate_inbound(StreamPtr s, std::function<bool(std::string_view)> supported);
  void close(const std::string& reason);
  // Sends GoAway, flushes (bounded by a 1 s watchdog), then closes.
  void go_away_and_close(const std::string& reason);

  bool closed() const { return closed_; }
  ConnectionId id() const { return id_; }
  const ConnectionInfo& info() const { return info_; }
  ConnectionInfo& mutable_info() { return info_; }
  size_t memory_usage() const;
  Executor executor() const { return ex_; }
  // When the connection was set up (inbound eviction protects the longest-connected peers).
  Time connected_at() const { return connected_at_; }
  // When the peer last delivered something valid and new (Time{}: never); eviction protects
  // recently useful peers.
  Time last_useful() const { return last_useful_; }
  void mark_useful(Time t) { last_useful_ = t; }
  // Lowest round-trip time seen to the peer (Duration::max() while none): a yamux ping sent when
  // the connection starts, and every /ipfs/ping through Host::ping. Inbound eviction protects the
  // peers with the lowest.
  Duration min_rtt() const { return min_rtt_; }
  void note_rtt(Duration rtt) { min_rtt_ = std::min(min_rtt_, rtt); }
  // Since when no stream has been open (the connection's start, or its last stream's end);
  // nullopt while a stream is open. The node closes connections idle for idle_timeout.
  std::optional<Time> idle_since() const {
    if (!streams_.empty()) return std::nullopt;
    return idle_since_;
  }

 private:
  friend class Stream;
  asio::awaitable<void> reader(Bytes initial);
  asio::awaitable<void> writer();
  void kick_writer();
  void handle_events();
  void wake_all();
  void release_read_buffers();  // unless a read is using them

  asio::ip::tcp::socket socket_;
  std::unique_ptr<secure::SecureTransport> transport_;
  ConnectionInfo info_;
  Executor ex_;
  mux::Session session_;
  ConnectionId id_;
  std::map<mux::StreamId, std::weak_ptr<Stream>> streams_;
  asio::steady_timer writer_wake_;
  asio::steady_timer open_wait_;  // openers waiting for the peer to ACK earlier streams
  InboundHandler on_stream_;
  ClosedHandler on_closed_;
  bool closed_ = false;
  Time idle_since_ = Clock::now();
  Time connected_at_ = Clock::now();
  Time last_useful_{};
  Duration min_rtt_ = Duration::max();
  bool close_after_flush_ = false;
  // Counts the writer's seals of pending output; a Stream::write that lent bytes to the
  // session waits until the seal after its loan.
  uint64_t sealed_gen_ = 0;
  std::string close_reason_;
  // Reader buffers (members so the writer's idle timer can release them): ciphertext from the
  // socket (≤ kMaxReadChunk) and its plaintext.
  Bytes read_buf_, read_plain_;
  bool reading_ = false;
};
using ConnectionPtr = std::shared_ptr<Connection>;

}  // namespace hauptbuch::p2p::node
