// ping protocol (see ping.h).
#include "protocols/ping/ping.h"

namespace hauptbuch::p2p::ping {

asio::awaitable<void> serve(node::StreamPtr stream) {
  Bytes buf(kPingSize);
  for (;;) {
    auto st = co_await stream->read_exact(buf);
    if (!st.ok()) break;
    if (!(co_await stream->write(buf)).ok()) break;
  }
  (void)stream->close_write();
}

asio::awaitable<Result<Duration>> ping_once(node::Stream& stream, RandomSource& rng) {
  Bytes payload(kPingSize), echo(kPingSize);
  rng.fill(payload);
  const Time start = Clock::now();
  HBP2P_CO_TRY(co_await stream.write(payload));
  HBP2P_CO_TRY(co_await stream.read_exact(echo));
  const Duration rtt = Clock::now() - start;
  if (echo != payload) co_return Error(P2PNetworkError::InvalidMessage, "ping: echo does not match");
  co_return rtt;
}

}  // namespace hauptbuch::p2p::ping
