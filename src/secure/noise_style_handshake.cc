// Shared machinery of the Noise-style handshakes (see noise_style_handshake.h).
#include "secure/noise_style_handshake.h"

#include <sodium.h>

#include "noise.pb.h"
#include "secure/noise_transport.h"

namespace hauptbuch::p2p::secure {

NoiseStyleHandshake::NoiseStyleHandshake(bool initiator, std::string_view protocol_name,
                                         std::string_view protocol_id, std::string_view prefix)
    : initiator_(initiator),
      state_(initiator ? State::Start : State::AwaitMsg1),
      sym_(protocol_name),
      protocol_id_(protocol_id),
      prefix_(prefix) {
  static const int init = sodium_init();  // idempotent, thread-safe in libsodium
  (void)init;
}

Status NoiseStyleHandshake::error(P2PNetworkError code, std::string_view detail) const {
  return Status(code, std::string(prefix_) + ": " + std::string(detail));
}

Status NoiseStyleHandshake::fail(Status st) {
  state_ = State::Failed;
  return st;
}

Status NoiseStyleHandshake::dh_mix(const std::array<uint8_t, 32>& sk, const std::array<uint8_t, 32>& pk) {
  std::array<uint8_t, 32> shared{};
  if (crypto_scalarmult(shared.data(), sk.data(), pk.data()) != 0)
    return error(P2PNetworkError::SecurityValidationFailed, "low-order Diffie-Hellman key");
  sym_.mix_key(shared);
  sodium_memzero(shared.data(), shared.size());
  return ok_status();
}

void NoiseStyleHandshake::complete() {
  hash_ = sym_.handshake_hash();
  keys_ = sym_.split();
  state_ = State::Done;
}

namespace {
constexpr std::string_view kPqMarker = "pq1";  // hauptbuch_pq extension value (version 1)
constexpr int kMaxMuxers = 16;
constexpr size_t kMaxMuxerName = 128;
ByteSpan span_of(const std::string& s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }
}  // namespace

Bytes NoiseStyleHandshake::encode_payload(const crypto::PrivateKey& identity, ByteSpan signature,
                                          const NoiseOptions& options) const {
  pb::noise::NoiseHandshakePayload p;
  const Bytes key = identity.public_key().to_protobuf();
  p.set_identity_key(std::string(key.begin(), key.end()));
  p.set_identity_sig(std::string(signature.begin(), signature.end()));
  if (!options.stream_muxers.empty() || options.pq_capable) {
    auto* ext = p.mutable_extensions();
    for (const auto& m : options.stream_muxers) ext->add_stream_muxers(m);
    if (options.pq_capable) ext->set_hauptbuch_pq(std::string(kPqMarker));
  }
  std::string s;
  p.SerializeToString(&s);
  return Bytes(s.begin(), s.end());
}

Status NoiseStyleHandshake::accept_payload(ByteSpan payload, const std::optional<PeerId>& expected,
                                           const std::function<bool(const crypto::PublicKey&, ByteSpan)>& signature_ok,
                                           std::string_view what_is_signed) {
  if (payload.size() > kMaxNoisePayload) return error(P2PNetworkError::InvalidMessage, "handshake payload too large");
  pb::noise::NoiseHandshakePayload p;
  if (!p.ParseFromArray(payload.data(), static_cast<int>(payload.size())))
    return error(P2PNetworkError::InvalidMessage, "handshake payload is not a valid protobuf");
  auto identity = crypto::PublicKey::from_protobuf(span_of(p.identity_key()));
  if (!identity.ok())
    return error(P2PNetworkError::SecurityValidationFailed, "peer identity key: " + identity.error().detail());
  if (!signature_ok(*identity, span_of(p.identity_sig())))
    return error(P2PNetworkError::SecurityValidationFailed, std::string(what_is_signed) + " is invalid");
  if (expected && !expected->matches(*identity))
    return error(P2PNetworkError::PeerSecurityValidationFailed,
                 "peer is " + PeerId::from_public_key(*identity).to_base58() + ", expected " + expected->to_base58());
  if (p.has_extensions()) {
    for (int i = 0; i < p.extensions().stream_muxers_size() && i < kMaxMuxers; ++i)
      peer_info_.stream_muxers.push_back(p.extensions().stream_muxers(i).substr(0, kMaxMuxerName));
    peer_info_.pq_capable = p.extensions().has_hauptbuch_pq();
  }
  remote_identity_ = std::move(*identity);
  return ok_status();
}

Status NoiseStyleHandshake::feed(ByteSpan in) {
  while (!in.empty()) {
    if (state_ == State::Failed) return error(P2PNetworkError::SecurityValidationFailed, "handshake already failed");
    if (state_ == State::Done) {
      // Transport frames that followed the last handshake message (bounded: little arrives
      // before the driver switches to the transport).
      if (leftover_.size() + in.size() > 2 * (kNoiseMaxMessageSize + kNoiseFrameHeaderSize))
        return fail(error(P2PNetworkError::ResourceLimitExceeded, "too much data after the handshake"));
      leftover_.insert(leftover_.end(), in.begin(), in.end());
      return ok_status();
    }
    if (state_ == State::Start) return fail(error(P2PNetworkError::InvalidMessage, "data before start()"));
    const size_t used = frames_.push(in);
    in = in.subspan(used);
    if (!frames_.has_frame()) break;
    const Bytes msg = frames_.take_frame();
    if (auto st = on_message(msg); !st) return fail(st);
  }
  return ok_status();
}

Result<std::unique_ptr<SecureTransport>> NoiseStyleHandshake::finish() {
  if (state_ != State::Done || !keys_ || !remote_identity_)
    return Error(error(P2PNetworkError::InvalidMessage, "finish() before the handshake completed").error());
  auto [c1, c2] = std::move(*keys_);
  keys_.reset();
  // c1 encrypts initiator -> responder, c2 the other way.
  if (initiator_)
    return std::unique_ptr<SecureTransport>(
        std::make_unique<NoiseTransport>(std::move(c1), std::move(c2), *remote_identity_, std::string(protocol_id_)));
  return std::unique_ptr<SecureTransport>(
      std::make_unique<NoiseTransport>(std::move(c2), std::move(c1), *remote_identity_, std::string(protocol_id_)));
}

}  // namespace hauptbuch::p2p::secure
