// The /hauptbuch/pq-noise/1.0.0 handshake (see pq_handshake.h, docs/wire/pq-handshake.md).
#include "secure/pq_handshake.h"

#include <sodium.h>

#include <cstring>

#include "noise.pb.h"
#include "secure/noise_transport.h"

namespace hauptbuch::p2p::secure {
namespace {

namespace pb = hauptbuch::p2p::pb::noise;
namespace mlkem = crypto::mlkem;

constexpr size_t kDh = 32;
constexpr auto kKemSet = mlkem::ParameterSet::kMlKem768;
constexpr size_t kEk = 1184;  // ML-KEM-768 encapsulation key
constexpr size_t kCt = 1088;  // ML-KEM-768 ciphertext
constexpr std::string_view kResponder = "responder:";
constexpr std::string_view kInitiator = "initiator:";

Bytes signed_message(std::string_view role, const NoiseHash& h) {
  Bytes m(kPqSignaturePrefix.size() + role.size() + h.size());
  std::memcpy(m.data(), kPqSignaturePrefix.data(), kPqSignaturePrefix.size());
  std::memcpy(m.data() + kPqSignaturePrefix.size(), role.data(), role.size());
  std::memcpy(m.data() + kPqSignaturePrefix.size() + role.size(), h.data(), h.size());
  return m;
}

}  // namespace

PqHandshake::PqHandshake(bool initiator, const crypto::PrivateKey& identity, NoiseOptions options, RandomSource& rng)
    : initiator_(initiator),
      identity_(identity),
      options_(std::move(options)),
      rng_(rng),
      state_(initiator ? State::Start : State::AwaitMsg1),
      sym_(kPqProtocolName) {
  static const int init = sodium_init();
  (void)init;
  sym_.mix_hash(ByteSpan(reinterpret_cast<const uint8_t*>(kPqProtocolId.data()), kPqProtocolId.size()));  // prologue
  rng_.fill(e_secret_);
  crypto_scalarmult_base(e_public_.data(), e_secret_.data());
}

PqHandshake::~PqHandshake() { sodium_memzero(e_secret_.data(), e_secret_.size()); }

Status PqHandshake::fail(Status st) {
  state_ = State::Failed;
  return st;
}

Status PqHandshake::dh_mix(const std::array<uint8_t, 32>& sk, const std::array<uint8_t, 32>& pk) {
  std::array<uint8_t, kDh> shared{};
  if (crypto_scalarmult(shared.data(), sk.data(), pk.data()) != 0)
    return Status(P2PNetworkError::SecurityValidationFailed, "pq-noise: low-order Diffie-Hellman key");
  sym_.mix_key(shared);
  sodium_memzero(shared.data(), shared.size());
  return ok_status();
}

Bytes PqHandshake::make_payload(std::string_view role) const {
  pb::NoiseHandshakePayload p;
  const Bytes key = identity_.public_key().to_protobuf();
  p.set_identity_key(std::string(key.begin(), key.end()));
  const Bytes sig = identity_.sign(signed_message(role, sym_.handshake_hash()));
  p.set_identity_sig(std::string(sig.begin(), sig.end()));
  if (!options_.stream_muxers.empty()) {
    auto* ext = p.mutable_extensions();
    for (const auto& m : options_.stream_muxers) ext->add_stream_muxers(m);
  }
  std::string s;
  p.SerializeToString(&s);
  return Bytes(s.begin(), s.end());
}

Status PqHandshake::check_payload(ByteSpan payload, std::string_view role, const NoiseHash& signed_hash) {
  if (payload.size() > kMaxNoisePayload) return Status(P2PNetworkError::InvalidMessage, "pq-noise: payload too large");
  pb::NoiseHandshakePayload p;
  if (!p.ParseFromArray(payload.data(), static_cast<int>(payload.size())))
    return Status(P2PNetworkError::InvalidMessage, "pq-noise: payload is not a valid protobuf");
  const std::string& key = p.identity_key();
  auto identity = crypto::PublicKey::from_protobuf(ByteSpan(reinterpret_cast<const uint8_t*>(key.data()), key.size()));
  if (!identity.ok())
    return Status(P2PNetworkError::SecurityValidationFailed, "pq-noise: peer identity key: " + identity.error().detail());
  const std::string& sig = p.identity_sig();
  if (!identity->verify(signed_message(role, signed_hash), ByteSpan(reinterpret_cast<const uint8_t*>(sig.data()), sig.size())))
    return Status(P2PNetworkError::SecurityValidationFailed, "pq-noise: transcript signature is invalid");
  if (options_.expected_peer && !options_.expected_peer->matches(*identity))
    return Status(P2PNetworkError::PeerSecurityValidationFailed,
                  "pq-noise: peer is " + PeerId::from_public_key(*identity).to_base58() + ", expected " +
                      options_.expected_peer->to_base58());
  if (p.has_extensions()) {
    constexpr int kMaxMuxers = 16;
    for (int i = 0; i < p.extensions().stream_muxers_size() && i < kMaxMuxers; ++i)
      peer_info_.stream_muxers.push_back(p.extensions().stream_muxers(i).substr(0, 128));
  }
  peer_info_.pq_capable = true;
  remote_identity_ = std::move(*identity);
  return ok_status();
}

Status PqHandshake::start() {
  if (!initiator_) return ok_status();
  if (state_ != State::Start) return Status(P2PNetworkError::InvalidMessage, "pq-noise: start() called twice");
  // msg1: e, ekem (both in clear), empty payload.
  mlkem::Seed d{}, z{};
  rng_.fill(d);
  rng_.fill(z);
  kem_.emplace(mlkem::keygen_from_seed(kKemSet, d, z));
  sodium_memzero(d.data(), d.size());
  sodium_memzero(z.data(), z.size());
  Bytes msg(e_public_.begin(), e_public_.end());
  sym_.mix_hash(e_public_);
  const ByteSpan ek = kem_->ek.bytes();
  msg.insert(msg.end(), ek.begin(), ek.end());
  sym_.mix_hash(ek);
  HBP2P_TRY(sym_.encrypt_and_hash({}, msg));
  state_ = State::AwaitMsg2;
  return append_noise_frame(msg, out_);
}

Status PqHandshake::feed(ByteSpan in) {
  while (!in.empty()) {
    if (state_ == State::Failed) return Status(P2PNetworkError::SecurityValidationFailed, "pq-noise: handshake already failed");
    if (state_ == State::Done) {
      if (leftover_.size() + in.size() > 2 * (kNoiseMaxMessageSize + kNoiseFrameHeaderSize))
        return fail(Status(P2PNetworkError::ResourceLimitExceeded, "pq-noise: too much data after the handshake"));
      leftover_.insert(leftover_.end(), in.begin(), in.end());
      return ok_status();
    }
    if (state_ == State::Start) return fail(Status(P2PNetworkError::InvalidMessage, "pq-noise: data before start()"));
    const size_t used = frames_.push(in);
    in = in.subspan(used);
    if (!frames_.has_frame()) break;
    const Bytes msg = frames_.take_frame();
    if (auto st = on_message(msg); !st) return fail(st);
  }
  return ok_status();
}

Status PqHandshake::on_message(ByteSpan msg) {
  Bytes payload;
  switch (state_) {
    case State::AwaitMsg1: {  // responder
      if (msg.size() != kDh + kEk) return Status(P2PNetworkError::InvalidMessage, "pq-noise: message 1 has the wrong size");
      std::memcpy(re_.data(), msg.data(), kDh);
      sym_.mix_hash(re_);
      const ByteSpan ek = msg.subspan(kDh, kEk);
      sym_.mix_hash(ek);
      HBP2P_TRY(sym_.decrypt_and_hash({}, payload));  // empty payload, no key yet
      auto ekey = mlkem::EncapsulationKey::from_bytes(kKemSet, ek);  // FIPS 203 §7.2 check
      if (!ekey.ok()) return Status(P2PNetworkError::InvalidMessage, "pq-noise: bad ML-KEM key: " + ekey.error().detail());
      Bytes out(e_public_.begin(), e_public_.end());
      sym_.mix_hash(e_public_);
      HBP2P_TRY(dh_mix(e_secret_, re_));  // ee
      mlkem::Seed m{};
      rng_.fill(m);
      mlkem::Encapsulation enc = mlkem::encaps_with_m(*ekey, m);
      sodium_memzero(m.data(), m.size());
      HBP2P_TRY(sym_.encrypt_and_hash(enc.ct.bytes(), out));  // ekem1: ciphertext, encrypted
      sym_.mix_key(enc.ss);
      sodium_memzero(enc.ss.data(), enc.ss.size());
      HBP2P_TRY(sym_.encrypt_and_hash(make_payload(kResponder), out));
      state_ = State::AwaitMsg3;
      return append_noise_frame(out, out_);
    }
    case State::AwaitMsg2: {  // initiator
      if (msg.size() < kDh + kCt + kNoiseTagSize + kNoiseTagSize)
        return Status(P2PNetworkError::InvalidMessage, "pq-noise: message 2 too short");
      std::memcpy(re_.data(), msg.data(), kDh);
      sym_.mix_hash(re_);
      HBP2P_TRY(dh_mix(e_secret_, re_));  // ee
      Bytes ct;
      HBP2P_TRY(sym_.decrypt_and_hash(msg.subspan(kDh, kCt + kNoiseTagSize), ct));
      auto c = mlkem::Ciphertext::from_bytes(kKemSet, ct);
      if (!c.ok()) return Status(P2PNetworkError::InvalidMessage, "pq-noise: bad ML-KEM ciphertext");
      auto ss = mlkem::decaps(kem_->dk, *c);
      if (!ss.ok()) return Status(P2PNetworkError::SecurityValidationFailed, "pq-noise: decapsulation failed");
      sym_.mix_key(*ss);
      sodium_memzero(ss->data(), ss->size());
      kem_.reset();
      const NoiseHash signed_hash = sym_.handshake_hash();
      HBP2P_TRY(sym_.decrypt_and_hash(msg.subspan(kDh + kCt + kNoiseTagSize), payload));
      HBP2P_TRY(check_payload(payload, kResponder, signed_hash));
      Bytes out;
      HBP2P_TRY(sym_.encrypt_and_hash(make_payload(kInitiator), out));
      HBP2P_TRY(append_noise_frame(out, out_));
      hash_ = sym_.handshake_hash();
      keys_ = sym_.split();
      state_ = State::Done;
      return ok_status();
    }
    case State::AwaitMsg3: {  // responder
      if (msg.size() < kNoiseTagSize) return Status(P2PNetworkError::InvalidMessage, "pq-noise: message 3 too short");
      const NoiseHash signed_hash = sym_.handshake_hash();
      HBP2P_TRY(sym_.decrypt_and_hash(msg, payload));
      HBP2P_TRY(check_payload(payload, kInitiator, signed_hash));
      hash_ = sym_.handshake_hash();
      keys_ = sym_.split();
      state_ = State::Done;
      return ok_status();
    }
    default:
      return Status(P2PNetworkError::InvalidMessage, "pq-noise: unexpected message");
  }
}

Result<std::unique_ptr<SecureTransport>> PqHandshake::finish() {
  if (state_ != State::Done || !keys_ || !remote_identity_)
    return Error(P2PNetworkError::InvalidMessage, "pq-noise: finish() before the handshake completed");
  auto [c1, c2] = std::move(*keys_);
  keys_.reset();
  std::unique_ptr<SecureTransport> t;
  if (initiator_)
    t = std::make_unique<NoiseTransport>(std::move(c1), std::move(c2), *remote_identity_, std::string(kPqProtocolId));
  else
    t = std::make_unique<NoiseTransport>(std::move(c2), std::move(c1), *remote_identity_, std::string(kPqProtocolId));
  return t;
}

}  // namespace hauptbuch::p2p::secure
