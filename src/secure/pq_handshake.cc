// The /hauptbuch/pq-noise/1.0.0 handshake (see pq_handshake.h, docs/wire/pq-handshake.md).
#include "secure/pq_handshake.h"

#include <sodium.h>

#include <cstring>


namespace hauptbuch::p2p::secure {
namespace {

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
    : NoiseStyleHandshake(initiator, kPqProtocolName, kPqProtocolId, "pq-noise"),
      identity_(identity),
      options_(std::move(options)),
      rng_(rng) {
  options_.pq_capable = false;  // the marker belongs to /noise payloads only
  sym_.mix_hash(ByteSpan(reinterpret_cast<const uint8_t*>(kPqProtocolId.data()), kPqProtocolId.size()));  // prologue
  rng_.fill(e_secret_);
  crypto_scalarmult_base(e_public_.data(), e_secret_.data());
}

PqHandshake::~PqHandshake() { sodium_memzero(e_secret_.data(), e_secret_.size()); }

Bytes PqHandshake::make_payload(std::string_view role) const {
  return encode_payload(identity_, identity_.sign(signed_message(role, sym_.handshake_hash())), options_);
}

Status PqHandshake::check_payload(ByteSpan payload, std::string_view role, const NoiseHash& signed_hash) {
  HBP2P_TRY(accept_payload(
      payload, options_.expected_peer,
      [&](const crypto::PublicKey& key, ByteSpan sig) { return key.verify(signed_message(role, signed_hash), sig); },
      "transcript signature"));
  peer_info_.pq_capable = true;
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
  return send(msg);
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
      return send(out);
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
      HBP2P_TRY(send(out));
      complete();
      return ok_status();
    }
    case State::AwaitMsg3: {  // responder
      if (msg.size() < kNoiseTagSize) return Status(P2PNetworkError::InvalidMessage, "pq-noise: message 3 too short");
      const NoiseHash signed_hash = sym_.handshake_hash();
      HBP2P_TRY(sym_.decrypt_and_hash(msg, payload));
      HBP2P_TRY(check_payload(payload, kInitiator, signed_hash));
      complete();
      return ok_status();
    }
    default:
      return Status(P2PNetworkError::InvalidMessage, "pq-noise: unexpected message");
  }
}

}  // namespace hauptbuch::p2p::secure
