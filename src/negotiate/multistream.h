// multistream-select 1.0 (`/multistream/1.0.0`; specs: multiformats/multistream-select,
// libp2p/specs connections/README.md), as two sans-I/O state machines.
//
// Every message is a uvarint length, then UTF-8 text ending in '\n' (the length counts it).
// The initiator (dialer) sends the header and its first proposal together (what every libp2p
// implementation does), then moves down its list on each "na" until the responder echoes one.
// The responder (listener) sends the header at once, then echoes a supported proposal or
// answers "na" ("ls" is answered with "na" too: listing our protocols only helps scanners).
// Bytes that arrive after the final message belong to the next protocol and are handed back
// by take_leftover(): nothing is lost. Never throws; errors:
//   InvalidMessage — malformed length, message longer than kMaxMessageLength, missing '\n',
//                    wrong header, too many refused proposals;
//   Unsupported    — (initiator) every proposal was refused.
// Not thread-safe (one per stream).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "hauptbuch/p2p/result.h"
#include "util/bytes.h"

namespace hauptbuch::p2p::negotiate {

inline constexpr std::string_view kMultistreamProtocol = "/multistream/1.0.0";
// Longest message we accept, newline included. go-libp2p and rust-libp2p use 1024 too; protocol
// ids are short ("/ipfs/kad/1.0.0"), so anything longer is an attack or a bug.
inline constexpr size_t kMaxMessageLength = 1024;
// Proposals a responder refuses before giving up on the peer.
inline constexpr size_t kMaxRefusals = 16;

// Encodes one message: uvarint(len + 1) ‖ text ‖ '\n'. Precondition: text has no '\n' and is
// shorter than kMaxMessageLength.
Bytes encode_message(std::string_view text);

// Incremental reader of multistream messages from a byte stream.
class MessageReader {
 public:
  Status push(ByteSpan in);
  // Next complete message text without its '\n' (nullopt: need more bytes).
  Result<std::optional<std::string>> next();
  Bytes take_rest();  // unread bytes
 private:
  Bytes buf_;
  size_t pos_ = 0;
};

// What the initiator and responder share: buffering, the header check, failure and completion
// state, leftover bytes. Each role handles the messages after the header in on_message().
class Negotiator {
 public:
  virtual ~Negotiator() = default;
  // Feeds bytes from the peer. After an error the stream must be closed.
  Status feed(ByteSpan in);
  Bytes take_output() { return std::exchange(out_, {}); }
  bool done() const { return done_; }
  const std::string& selected() const { return selected_; }
  Bytes take_leftover() { return reader_.take_rest(); }

 protected:
  // Called once the peer's header has been checked; may fail (then negotiation fails).
  virtual Status on_header() { return ok_status(); }
  // One message after the header. Sets done_/selected_ on agreement; an error fails.
  virtual Status on_message(const std::string& text) = 0;
  void send(std::string_view text);

  bool done_ = false;
  std::string selected_;

 private:
  bool header_seen_ = false;
  bool failed_ = false;
  MessageReader reader_;
  Bytes out_;
};

class Initiator final : public Negotiator {
 public:
  explicit Initiator(std::vector<std::string> protocols);
  // Header + first proposal.
  Bytes start();

 private:
  Status on_header() override;
  Status on_message(const std::string& text) override;
  std::vector<std::string> protocols_;
  size_t next_ = 0;  // index of the proposal awaiting an answer
};

class Responder final : public Negotiator {
 public:
  using Supported = std::function<bool(std::string_view)>;
  explicit Responder(Supported supported) : supported_(std::move(supported)) {}
  explicit Responder(std::vector<std::string> protocols);
  // The header (sent without waiting for the initiator's).
  Bytes start();

 private:
  Status on_message(const std::string& text) override;
  Supported supported_;
  size_t refusals_ = 0;
};

}  // namespace hauptbuch::p2p::negotiate
