// libp2p /noise XX handshake (see noise_handshake.h).
#include "secure/noise_handshake.h"

#include <sodium.h>

#include <cstring>

#include "noise.pb.h"
#include "secure/noise_transport.h"

namespace hauptbuch::p2p::secure {
namespace {

namespace pb = hauptbuch::p2p::pb::noise;

constexpr size_t kDhSize = 32;
constexpr std::string_view kPqMarker = "pq1";  // hauptbuch_pq extension value (version 1)

void init_sodium() {
  static const int init = sodium_init();  // idempotent, thread-safe in libsodium
  (void)init;
}

Bytes static_key_message(const std::array<uint8_t, 32>& pub) {
  Bytes m(kNoiseStaticKeyPrefix.size() + pub.size());
  std::memcpy(m.data(), kNoiseStaticKeyPrefix.data(), kNoiseStaticKeyPrefix.size());
  std::memcpy(m.data() + kNoiseStaticKeyPrefix.size(), pub.data(), pub.size());
  return m;
}

void keypair_from(RandomSource& rng, std::array<uint8_t, 32>& secret, std::array<uint8_t, 32>& pub) {
  init_sodium();
  rng.fill(secret);
  crypto_scalarmult_base(pub.data(), secret.data());
}

}  // namespace

NoiseStaticKey NoiseStaticKey::generate(const crypto::PrivateKey& identity, RandomSource& rng) {
  NoiseStaticKey k;
  keypair_from(rng, k.secret, k.public_key);
  k.identity_sig = identity.sign(static_key_message(k.public_key));
  return k;
}

NoiseStaticKey::~NoiseStaticKey() { sodium_memzero(secret.data(), secret.size()); }

NoiseHandshake::NoiseHandshake(bool initiator, const crypto::PrivateKey& identity,
                               const NoiseStaticKey& static_key, NoiseOptions options, RandomSource& rng)
    : initiator_(initiator),
      identity_(identity),
      static_key_(static_key),
      options_(std::move(options)),
      state_(initiator ? State::Start : State::AwaitMsg1),
      sym_(kNoiseProtocolName) {
  sym_.mix_hash({});  // empty prologue (Noise: MixHash(prologue) always runs)
  keypair_from(rng, e_secret_, e_public_);
}

NoiseHandshake::~NoiseHandshake() { sodium_memzero(e_secret_.data(), e_secret_.size()); }

Status NoiseHandshake::fail(Status st) {
  state_ = State::Failed;
  return st;
}

Status NoiseHandshake::send(const Bytes& msg) { return append_noise_frame(msg, out_); }

Status NoiseHandshake::dh_mix(const std::array<uint8_t, 32>& sk, const std::array<uint8_t, 32>& pk) {
  std::array<uint8_t, kDhSize> shared{};
  if (crypto_scalarmult(shared.data(), sk.data(), pk.data()) != 0)
    return Status(P2PNetworkError::SecurityValidationFailed, "noise: low-order Diffie-Hellman key");
  sym_.mix_key(shared);
  sodium_memzero(shared.data(), shared.size());
  return ok_status();
}

Bytes NoiseHandshake::make_payload() const {
  pb::NoiseHandshakePayload p;
  const Bytes key = identity_.public_key().to_protobuf();
  p.set_identity_key(std::string(key.begin(), key.end()));
  p.set_identity_sig(std::string(static_key_.identity_sig.begin(), static_key_.identity_sig.end()));
  if (!options_.stream_muxers.empty() || options_.pq_capable) {
    auto* ext = p.mutable_extensions();
    for (const auto& m : options_.stream_muxers) ext->add_stream_muxers(m);
    if (options_.pq_capable) ext->set_hauptbuch_pq(std::string(kPqMarker));
  }
  std::string s;
  p.SerializeToString(&s);
  return Bytes(s.begin(), s.end());
}

Status NoiseHandshake::check_payload(ByteSpan payload) {
  if (payload.size() > kMaxNoisePayload)
    return Status(P2PNetworkError::InvalidMessage, "noise: handshake payload too large");
  pb::NoiseHandshakePayload p;
  if (!p.ParseFromArray(payload.data(), static_cast<int>(payload.size())))
    return Status(P2PNetworkError::InvalidMessage, "noise: handshake payload is not a valid protobuf");
  const std::string& key = p.identity_key();
  auto identity = crypto::PublicKey::from_protobuf(
      ByteSpan(reinterpret_cast<const uint8_t*>(key.data()), key.size()));
  if (!identity.ok())
    return Status(P2PNetworkError::SecurityValidationFailed, "noise: peer identity key: " + identity.error().detail());
  const std::string& sig = p.identity_sig();
  if (!identity->verify(static_key_message(rs_), ByteSpan(reinterpret_cast<const uint8_t*>(sig.data()), sig.size())))
    return Status(P2PNetworkError::SecurityValidationFailed, "noise: identity signature over the static key is invalid");
  if (options_.expected_peer && !options_.expected_peer->matches(*identity))
    return Status(P2PNetworkError::PeerSecurityValidationFailed,
                  "noise: peer is " + PeerId::from_public_key(*identity).to_base58() + ", expected " +
                      options_.expected_peer->to_base58());
  if (p.has_extensions()) {
    constexpr int kMaxMuxers = 16;
    for (int i = 0; i < p.extensions().stream_muxers_size() && i < kMaxMuxers; ++i)
      peer_info_.stream_muxers.push_back(p.extensions().stream_muxers(i).substr(0, 128));
    peer_info_.pq_capable = p.extensions().has_hauptbuch_pq();
  }
  remote_identity_ = std::move(*identity);
  return ok_status();
}

Status NoiseHandshake::start() {
  if (!initiator_) return ok_status();
  if (state_ != State::Start) return Status(P2PNetworkError::InvalidMessage, "noise: start() called twice");
  // msg1: e (payload empty).
  Bytes msg(e_public_.begin(), e_public_.end());
  sym_.mix_hash(e_public_);
  HBP2P_TRY(sym_.encrypt_and_hash({}, msg));
  state_ = State::AwaitMsg2;
  return send(msg);
}

Status NoiseHandshake::feed(ByteSpan in) {
  while (!in.empty()) {
    if (state_ == State::Failed) return Status(P2PNetworkError::SecurityValidationFailed, "noise: handshake already failed");
    if (state_ == State::Done) {
      // Transport frames that followed the last handshake message (bounded: one frame's worth
      // at most arrives before the driver switches to the transport).
      if (leftover_.size() + in.size() > 2 * (kNoiseMaxMessageSize + kNoiseFrameHeaderSize))
        return fail(Status(P2PNetworkError::ResourceLimitExceeded, "noise: too much data after the handshake"));
      leftover_.insert(leftover_.end(), in.begin(), in.end());
      return ok_status();
    }
    if (state_ == State::Start) return fail(Status(P2PNetworkError::InvalidMessage, "noise: data before start()"));
    const size_t used = frames_.push(in);
    in = in.subspan(used);
    if (!frames_.has_frame()) break;
    const Bytes msg = frames_.take_frame();
    if (auto st = on_message(msg); !st) return fail(st);
  }
  return ok_status();
}

Status NoiseHandshake::on_message(ByteSpan msg) {
  Bytes payload;
  switch (state_) {
    case State::AwaitMsg1: {  // responder: <- e; then -> e, ee, s, es + payload
      if (msg.size() < kDhSize) return Status(P2PNetworkError::InvalidMessage, "noise: message 1 too short");
      std::memcpy(re_.data(), msg.data(), kDhSize);
      sym_.mix_hash(re_);
      HBP2P_TRY(sym_.decrypt_and_hash(msg.subspan(kDhSize), payload));  // no key yet: plaintext
      if (payload.size() > kMaxNoisePayload) return Status(P2PNetworkError::InvalidMessage, "noise: message 1 payload too large");
      Bytes out(e_public_.begin(), e_public_.end());
      sym_.mix_hash(e_public_);
      HBP2P_TRY(dh_mix(e_secret_, re_));                    // ee
      HBP2P_TRY(sym_.encrypt_and_hash(static_key_.public_key, out));  // s
      HBP2P_TRY(dh_mix(static_key_.secret, re_));           // es (responder: DH(s, re))
      HBP2P_TRY(sym_.encrypt_and_hash(make_payload(), out));
      state_ = State::AwaitMsg3;
      return send(out);
    }
    case State::AwaitMsg2: {  // initiator: <- e, ee, s, es + payload; then -> s, se + payload
      constexpr size_t kEncryptedStatic = kDhSize + kNoiseTagSize;
      if (msg.size() < kDhSize + kEncryptedStatic + kNoiseTagSize)
        return Status(P2PNetworkError::InvalidMessage, "noise: message 2 too short");
      std::memcpy(re_.data(), msg.data(), kDhSize);
      sym_.mix_hash(re_);
      HBP2P_TRY(dh_mix(e_secret_, re_));  // ee
      Bytes rs;
      HBP2P_TRY(sym_.decrypt_and_hash(msg.subspan(kDhSize, kEncryptedStatic), rs));
      if (rs.size() != kDhSize) return Status(P2PNetworkError::InvalidMessage, "noise: bad static key");
      std::memcpy(rs_.data(), rs.data(), kDhSize);
      HBP2P_TRY(dh_mix(e_secret_, rs_));  // es (initiator: DH(e, rs))
      HBP2P_TRY(sym_.decrypt_and_hash(msg.subspan(kDhSize + kEncryptedStatic), payload));
      HBP2P_TRY(check_payload(payload));
      Bytes out;
      HBP2P_TRY(sym_.encrypt_and_hash(static_key_.public_key, out));  // s
      HBP2P_TRY(dh_mix(static_key_.secret, re_));                     // se (initiator: DH(s, re))
      HBP2P_TRY(sym_.encrypt_and_hash(make_payload(), out));
      HBP2P_TRY(send(out));
      hash_ = sym_.handshake_hash();
      keys_ = sym_.split();
      state_ = State::Done;
      return ok_status();
    }
    case State::AwaitMsg3: {  // responder: <- s, se + payload
      constexpr size_t kEncryptedStatic = kDhSize + kNoiseTagSize;
      if (msg.size() < kEncryptedStatic + kNoiseTagSize)
        return Status(P2PNetworkError::InvalidMessage, "noise: message 3 too short");
      Bytes rs;
      HBP2P_TRY(sym_.decrypt_and_hash(msg.subspan(0, kEncryptedStatic), rs));
      if (rs.size() != kDhSize) return Status(P2PNetworkError::InvalidMessage, "noise: bad static key");
      std::memcpy(rs_.data(), rs.data(), kDhSize);
      HBP2P_TRY(dh_mix(e_secret_, rs_));  // se (responder: DH(e, rs))
      HBP2P_TRY(sym_.decrypt_and_hash(msg.subspan(kEncryptedStatic), payload));
      HBP2P_TRY(check_payload(payload));
      hash_ = sym_.handshake_hash();
      keys_ = sym_.split();
      state_ = State::Done;
      return ok_status();
    }
    default:
      return Status(P2PNetworkError::InvalidMessage, "noise: unexpected message");
  }
}

Result<std::unique_ptr<SecureTransport>> NoiseHandshake::finish() {
  if (state_ != State::Done || !keys_ || !remote_identity_)
    return Error(P2PNetworkError::InvalidMessage, "noise: finish() before the handshake completed");
  auto [c1, c2] = std::move(*keys_);
  keys_.reset();
  // c1 encrypts initiator -> responder, c2 the other way.
  std::unique_ptr<SecureTransport> t;
  if (initiator_)
    t = std::make_unique<NoiseTransport>(std::move(c1), std::move(c2), *remote_identity_, std::string(kNoiseProtocolId));
  else
    t = std::make_unique<NoiseTransport>(std::move(c2), std::move(c1), *remote_identity_, std::string(kNoiseProtocolId));
  return t;
}

}  // namespace hauptbuch::p2p::secure
