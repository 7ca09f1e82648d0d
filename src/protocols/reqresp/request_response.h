// RequestResponse: one request and one response per stream, on any number of protocol ids,
// over a Host (wire format: docs/wire/reqresp.md). Serves registered protocols with awaitable
// handlers and sends requests with a deadline, bounding every side: message sizes (both
// directions), inbound requests served per peer at once (excess answered Busy, never queued)
// and outbound requests in flight per peer (excess refused locally).
//
// Threading: construct, use and destroy on the Host's strand (host.executor()); the service
// must be destroyed before its Host. Handlers run on that strand. Nothing throws.
#pragma once

#include <asio/awaitable.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "hauptbuch/p2p/config.h"
#include "hauptbuch/p2p/result.h"
#include "node/host.h"
#include "protocols/reqresp/reqresp_wire.h"

namespace hauptbuch::p2p::reqresp {

struct RequestResponseConfig {
  size_t max_request_size = kDefaultMaxMessageSize;   // requests we send and accept
  size_t max_response_size = kDefaultMaxMessageSize;  // responses we send and accept
  size_t max_inbound_per_peer = kDefaultMaxInboundPerPeer;
  size_t max_outbound_per_peer = kDefaultMaxOutboundPerPeer;
  // Deadline of a whole exchange (stream, request, response) on both sides.
  Duration timeout = std::chrono::seconds(60);

  // Defaults with timeout = cfg.message_timeout.
  static RequestResponseConfig from(const P2PNetworkConfig& cfg);
};

struct Response {
  Bytes data;
  Duration rtt{};  // from opening the stream to the end of the response
};

struct RequestResponseStats {
  uint64_t requests_sent = 0;       // outbound requests started
  uint64_t responses_received = 0;  // outbound requests answered Ok
  uint64_t requests_received = 0;   // inbound requests read
  uint64_t responses_sent = 0;      // inbound requests answered Ok
  uint64_t inbound_refused = 0;     // answered Busy or TooLarge
  uint64_t bytes_sent = 0, bytes_received = 0;  // request/response bodies, both roles
  // Failed outbound requests by P2PNetworkError name ("Timeout", "ResourceLimitExceeded", …).
  std::map<std::string, uint64_t> outbound_failures;
  // Inbound requests not answered Ok, by wire status or error name.
  std::map<std::string, uint64_t> inbound_failures;
};

class RequestResponse {
 public:
  // Answers one request. An error is sent back as an error status (status_for_error).
  using Handler = std::function<asio::awaitable<Result<Bytes>>(PeerId from, Bytes request)>;

  RequestResponse(node::Host& host, RequestResponseConfig cfg);
  ~RequestResponse();
  RequestResponse(const RequestResponse&) = delete;
  RequestResponse& operator=(const RequestResponse&) = delete;

  // Serves `protocol` with `handler` (registers it with the Host). Errors: InvalidConfig for an
  // empty protocol id or one already registered here.
  Status register_protocol(const std::string& protocol, Handler handler);
  void unregister_protocol(const std::string& protocol);

  // Sends `data` to the connected `peer` on `protocol` and awaits the answer, bounded by
  // `timeout` (default: config timeout). Errors: ResourceLimitExceeded (request too large,
  // too many requests in flight to this peer, or the peer answered Busy/TooLarge),
  // PeerConnectionFailed (not connected, stream failed or reset), MessageRoutingFailed (the
  // peer does not serve `protocol` or its handler failed), Timeout, InvalidMessage (malformed
  // or oversized response, or the peer rejected the request as malformed).
  asio::awaitable<Result<Response>> request(PeerId peer, std::string protocol, Bytes data,
                                            std::optional<Duration> timeout = std::nullopt);

  // Called (on the strand) when a peer breaks the wire format: a request frame that does not
  // parse (bad length prefix, end inside the message) or a response that does not decode. Not
  // called for timeouts, resets, Busy/TooLarge refusals or handler errors, which honest peers
  // cause too. The node lowers the peer's score (peer::Behaviour::InvalidMessage).
  void set_misbehaviour_callback(std::function<void(const PeerId&)> cb);

  const RequestResponseStats& stats() const;
  const RequestResponseConfig& config() const;
  // Requests currently served for / in flight to `peer`.
  size_t inbound_in_flight(const PeerId& peer) const;
  size_t outbound_in_flight(const PeerId& peer) const;

  struct State;  // implementation detail (request_response.cc)

 private:
  node::Host& host_;
  std::shared_ptr<State> st_;
};

}  // namespace hauptbuch::p2p::reqresp
