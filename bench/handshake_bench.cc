// Handshakes per second on one core (issue 5): libp2p /noise (Noise XX, X25519, Ed25519
// identity) and our PQ channel /hauptbuch/pq-noise/1.0.0, each measured
//   - sans-I/O: both sides in one thread, messages handed over in memory, so the rate is the
//     cryptography and state machines of BOTH ends (one handshake = initiator + responder);
//   - over loopback TCP: a fresh 127.0.0.1 connection per handshake (connect + accept + the
//     handshake's messages through the kernel), still both ends in this one thread.
// Static keys are made once per node, as Host does (the Noise static key's identity signature is
// reused); ephemeral keys are fresh every time. The reference is OpenSSL TLS 1.3 with X25519 and
// an Ed25519 certificate measured by bench/tls_reference.sh in the same run.
// Google Benchmark; items_per_second is handshakes per second. JSON: --benchmark_format=json.
#include <benchmark/benchmark.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>

#include "secure/noise_handshake.h"
#include "secure/pq_handshake.h"
#include "util/random.h"

namespace hauptbuch::p2p::secure {
namespace {

struct Node {
  crypto::PrivateKey id = crypto::PrivateKey::generate_ed25519();
  NoiseStaticKey sk = NoiseStaticKey::generate(id, SystemRandom::instance());
};

NoiseOptions options() {
  NoiseOptions o;
  o.stream_muxers = {"/yamux/1.0.0"};
  return o;
}

std::pair<std::unique_ptr<SecureHandshake>, std::unique_ptr<SecureHandshake>> make_pair(bool pq, Node& a, Node& b) {
  auto& rng = SystemRandom::instance();
  if (pq)
    return {std::make_unique<PqHandshake>(true, a.id, options(), rng),
            std::make_unique<PqHandshake>(false, b.id, options(), rng)};
  return {std::make_unique<NoiseHandshake>(true, a.id, a.sk, options(), rng),
          std::make_unique<NoiseHandshake>(false, b.id, b.sk, options(), rng)};
}

// Both sides in memory; true when both finished and produced transports.
bool handshake_in_memory(SecureHandshake& i, SecureHandshake& r) {
  if (!i.start().ok() || !r.start().ok()) return false;
  for (int round = 0; round < 8 && (!i.done() || !r.done()); ++round) {
    if (Bytes m = i.take_output(); !m.empty() && !r.feed(m).ok()) return false;
    if (Bytes m = r.take_output(); !m.empty() && !i.feed(m).ok()) return false;
  }
  return i.done() && r.done() && i.finish().ok() && r.finish().ok();
}

void BM_HandshakeInMemory(benchmark::State& state) {
  const bool pq = state.range(0) != 0;
  Node a, b;
  for (auto _ : state) {
    auto [i, r] = make_pair(pq, a, b);
    if (!handshake_in_memory(*i, *r)) state.SkipWithError("handshake failed");
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(pq ? "/hauptbuch/pq-noise/1.0.0, both ends, in memory" : "/noise, both ends, in memory");
}
BENCHMARK(BM_HandshakeInMemory)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond)->UseRealTime();

// Loopback TCP helpers (blocking sockets; every message is small enough for the socket buffers,
// so one thread can write on one end and then read on the other).
struct Fd {
  int fd = -1;
  explicit Fd(int f = -1) : fd(f) {}
  Fd(Fd&& o) noexcept : fd(std::exchange(o.fd, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    if (fd >= 0) ::close(fd);
    fd = std::exchange(o.fd, -1);
    return *this;
  }
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

bool send_all(int fd, ByteSpan b) {
  while (!b.empty()) {
    const ssize_t n = ::send(fd, b.data(), b.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    b = b.subspan(static_cast<size_t>(n));
  }
  return true;
}

// Reads exactly `n` bytes (the size the other side just wrote) and feeds them.
bool recv_feed(int fd, size_t n, SecureHandshake& to) {
  uint8_t buf[8192];
  while (n > 0) {
    const ssize_t got = ::recv(fd, buf, std::min(sizeof(buf), n), 0);
    if (got <= 0) return false;
    if (!to.feed(ByteSpan(buf, static_cast<size_t>(got))).ok()) return false;
    n -= static_cast<size_t>(got);
  }
  return true;
}

void no_delay(int fd) {
  int one = 1;
  (void)::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

void BM_HandshakeLoopback(benchmark::State& state) {
  const bool pq = state.range(0) != 0;
  Node a, b;
  Fd listener(::socket(AF_INET, SOCK_STREAM, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (::bind(listener.fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || ::listen(listener.fd, 64) != 0 ||
      ::getsockname(listener.fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    state.SkipWithError("listen failed");
    return;
  }
  for (auto _ : state) {
    Fd c(::socket(AF_INET, SOCK_STREAM, 0));
    if (::connect(c.fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      state.SkipWithError("connect failed");
      break;
    }
    Fd s(::accept(listener.fd, nullptr, nullptr));
    no_delay(c.fd);
    no_delay(s.fd);
    auto [i, r] = make_pair(pq, a, b);
    bool ok = i->start().ok() && r->start().ok();
    for (int round = 0; ok && round < 8 && (!i->done() || !r->done()); ++round) {
      if (Bytes m = i->take_output(); !m.empty()) ok = ok && send_all(c.fd, m) && recv_feed(s.fd, m.size(), *r);
      if (Bytes m = r->take_output(); !m.empty()) ok = ok && send_all(s.fd, m) && recv_feed(c.fd, m.size(), *i);
    }
    ok = ok && i->done() && r->done() && i->finish().ok() && r->finish().ok();
    if (!ok) {
      state.SkipWithError("handshake failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(pq ? "/hauptbuch/pq-noise/1.0.0, both ends, new loopback TCP connection each"
                    : "/noise, both ends, new loopback TCP connection each");
}
BENCHMARK(BM_HandshakeLoopback)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace hauptbuch::p2p::secure

BENCHMARK_MAIN();
