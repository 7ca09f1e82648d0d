// libp2p /noise XX handshake (see noise_handshake.h).
#include "secure/noise_handshake.h"

#include <sodium.h>

#include <cstring>


namespace hauptbuch::p2p::secure {
namespace {


constexpr size_t kDhSize = 32;

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
    : NoiseStyleHandshake(initiator, kNoiseProtocolName, kNoiseProtocolId, "noise"),
      identity_(identity),
      static_key_(static_key),
      options_(std::move(options)) {
  sym_.mix_hash({});  // empty prologue (Noise: MixHash(prologue) always runs)
  keypair_from(rng, e_secret_, e_public_);
}

NoiseHandshake::~NoiseHandshake() { sodium_memzero(e_secret_.data(), e_secret_.size()); }

Bytes NoiseHandshake::make_payload() const {
  return encode_payload(identity_, static_key_.identity_sig, options_);
}

Status NoiseHandshake::check_payload(ByteSpan payload) {
  return accept_payload(
      payload, options_.expected_peer,
      [this](const crypto::PublicKey& key, ByteSpan sig) { return key.verify(static_key_message(rs_), sig); },
      "identity signature over the static key");
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
      complete();
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
      complete();
      return ok_status();
    }
    default:
      return Status(P2PNetworkError::InvalidMessage, "noise: unexpected message");
  }
}

}  // namespace hauptbuch::p2p::secure
