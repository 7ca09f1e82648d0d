// X-Wing KEM (draft-connolly-cfrg-xwing-kem-08), built on our ML-KEM-768 and libsodium X25519.
// Must never keep expanded secrets around: every intermediate secret is wiped before return.
#include "crypto/xwing.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>

#include "crypto/keccak.h"
#include "crypto/mlkem.h"

namespace hauptbuch::p2p::crypto::xwing {
namespace {

using mlkem::ParameterSet;

// The 6-byte X-Wing label "\.//^\" (draft §5.3).
constexpr std::array<uint8_t, 6> kLabel = {0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c};

// Expanded key material: ML-KEM d, z and the X25519 secret; wiped on destruction.
struct Expanded {
  std::array<uint8_t, 96> bytes{};
  ~Expanded() { secure_wipe(bytes.data(), bytes.size()); }
};

void expand(const std::array<uint8_t, kSeedBytes>& seed, Expanded& out) {
  shake256(ByteSpan(seed.data(), seed.size()), MutableByteSpan(out.bytes.data(), out.bytes.size()));
}

// X25519 per RFC 7748. libsodium returns -1 for an all-zero result but still writes it; the
// draft does not reject that case, so the (zero) output is used as is.
void x25519(const uint8_t* scalar, const uint8_t* point, uint8_t* out) {
  if (crypto_scalarmult_curve25519(out, scalar, point) != 0) {
    // all-zero output (low-order point): kept, as the draft specifies no rejection here
  }
}
void ensure_sodium() {
  static const int init = sodium_init();  // idempotent and thread-safe in libsodium
  (void)init;
}

void x25519_base(const uint8_t* scalar, uint8_t* out) {
  if (crypto_scalarmult_curve25519_base(out, scalar) != 0) {
    // cannot happen for a clamped scalar and the base point; output is used as written
  }
}

void combiner(const uint8_t* ss_m, const uint8_t* ss_x, const uint8_t* ct_x, const uint8_t* pk_x,
              SharedSecret& out) {
  std::array<uint8_t, 32 * 4 + kLabel.size()> in{};
  std::memcpy(in.data(), ss_m, 32);
  std::memcpy(in.data() + 32, ss_x, 32);
  std::memcpy(in.data() + 64, ct_x, 32);
  std::memcpy(in.data() + 96, pk_x, 32);
  std::memcpy(in.data() + 128, kLabel.data(), kLabel.size());
  out.bytes = sha3_256(ByteSpan(in.data(), in.size()));
  secure_wipe(in.data(), in.size());
}

}  // namespace

Result<PublicKey> public_key_from_bytes(ByteSpan bytes) {
  if (bytes.size() != kPublicKeyBytes) {
    return Error{P2PNetworkError::InvalidKey, "x-wing public key must be 1216 bytes"};
  }
  HBP2P_TRY(mlkem::check_encapsulation_key(ParameterSet::kMlKem768, bytes.first(kMlKemPublicKeyBytes)));
  PublicKey pk;
  std::copy(bytes.begin(), bytes.end(), pk.begin());
  return pk;
}

Result<SecretKey> secret_key_from_bytes(ByteSpan bytes) {
  if (bytes.size() != kSeedBytes) {
    return Error{P2PNetworkError::InvalidKey, "x-wing secret key must be a 32-byte seed"};
  }
  SecretKey sk;
  std::copy(bytes.begin(), bytes.end(), sk.seed.begin());
  return sk;
}

Result<Ciphertext> ciphertext_from_bytes(ByteSpan bytes) {
  if (bytes.size() != kCiphertextBytes) {
    return Error{P2PNetworkError::InvalidMessage, "x-wing ciphertext must be 1120 bytes"};
  }
  Ciphertext ct;
  std::copy(bytes.begin(), bytes.end(), ct.begin());
  return ct;
}

KeyPair keygen() {
  ensure_sodium();
  std::array<uint8_t, kSeedBytes> seed{};
  randombytes_buf(seed.data(), seed.size());
  KeyPair kp = keygen_derand(seed);
  secure_wipe(seed.data(), seed.size());
  return kp;
}

// The ML-KEM-768 key pair from the first 64 bytes of the expanded seed (d ‖ z).
static mlkem::KeyPair mlkem_keys(const Expanded& e) {
  mlkem::Seed d{}, z{};
  std::copy_n(e.bytes.begin(), 32, d.begin());
  std::copy_n(e.bytes.begin() + 32, 32, z.begin());
  mlkem::KeyPair m = mlkem::keygen_from_seed(ParameterSet::kMlKem768, d, z);
  secure_wipe(d.data(), d.size());
  secure_wipe(z.data(), z.size());
  return m;
}

KeyPair keygen_derand(const std::array<uint8_t, kSeedBytes>& seed) {
  KeyPair kp;
  kp.sk.seed = seed;
  kp.pk = public_key(kp.sk);
  return kp;
}

PublicKey public_key(const SecretKey& sk) {
  Expanded e;
  expand(sk.seed, e);
  const mlkem::KeyPair m = mlkem_keys(e);
  PublicKey pk{};
  const ByteSpan ek = m.ek.bytes();
  std::copy(ek.begin(), ek.end(), pk.begin());
  x25519_base(e.bytes.data() + 64, pk.data() + kMlKemPublicKeyBytes);
  return pk;
}

Result<Encapsulation> encaps(const PublicKey& pk) {
  ensure_sodium();
  EncapsSeed eseed{};
  randombytes_buf(eseed.data(), eseed.size());
  auto r = encaps_derand(pk, eseed);
  secure_wipe(eseed.data(), eseed.size());
  return r;
}

Result<Encapsulation> encaps_derand(const PublicKey& pk, const EncapsSeed& eseed) {
  mlkem::Seed m{};
  std::copy_n(eseed.begin(), 32, m.begin());
  auto me = mlkem::encaps_bytes(ParameterSet::kMlKem768, ByteSpan(pk.data(), kMlKemPublicKeyBytes), m);
  secure_wipe(m.data(), m.size());
  if (!me.ok()) return me.error();
  Encapsulation out;
  const uint8_t* pk_x = pk.data() + kMlKemPublicKeyBytes;
  uint8_t* ct_x = out.ct.data() + kMlKemCiphertextBytes;
  const ByteSpan ct_m = me->ct.bytes();
  std::copy(ct_m.begin(), ct_m.end(), out.ct.begin());
  x25519_base(eseed.data() + 32, ct_x);
  std::array<uint8_t, 32> ss_x{};
  x25519(eseed.data() + 32, pk_x, ss_x.data());
  combiner(me->ss.data(), ss_x.data(), ct_x, pk_x, out.ss);
  secure_wipe(ss_x.data(), ss_x.size());
  secure_wipe(me->ss.data(), me->ss.size());
  return out;
}

Result<SharedSecret> decaps(const SecretKey& sk, const Ciphertext& ct) {
  Expanded e;
  expand(sk.seed, e);
  const mlkem::KeyPair m = mlkem_keys(e);
  std::array<uint8_t, 32> pk_x{};
  x25519_base(e.bytes.data() + 64, pk_x.data());
  HBP2P_TRY_ASSIGN(auto c_m, mlkem::Ciphertext::from_bytes(ParameterSet::kMlKem768,
                                                           ByteSpan(ct.data(), kMlKemCiphertextBytes)));
  HBP2P_TRY_ASSIGN(auto ss_m, mlkem::decaps(m.dk, c_m));
  const uint8_t* ct_x = ct.data() + kMlKemCiphertextBytes;
  std::array<uint8_t, 32> ss_x{};
  x25519(e.bytes.data() + 64, ct_x, ss_x.data());
  SharedSecret out;
  combiner(ss_m.data(), ss_x.data(), ct_x, pk_x.data(), out);
  secure_wipe(ss_x.data(), ss_x.size());
  secure_wipe(ss_m.data(), ss_m.size());
  return out;
}

}  // namespace hauptbuch::p2p::crypto::xwing
