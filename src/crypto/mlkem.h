// ML-KEM (FIPS 203) key encapsulation, parameter sets 512/768/1024: key generation, the
// internal (derandomised) algorithms, randomised encaps, decaps with implicit rejection, and the
// §7.2 / §7.3 input checks. Decapsulation and key generation run in time independent of secret
// data (the ciphertext comparison and the K / J(z||c) selection are branch-free).
// Thread-safety: all functions are pure apart from keygen()/encaps() drawing randomness from
// libsodium's randombytes_buf, which is thread-safe; distinct objects may be used from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <memory>

#include "crypto/mlkem_params.h"
#include "hauptbuch/p2p/result.h"
#include "util/bytes.h"

namespace hauptbuch::p2p::crypto::mlkem {

using Seed = std::array<uint8_t, kSeedBytes>;
using SharedSecret = std::array<uint8_t, kSharedSecretBytes>;

// §7.2 encapsulation-key check: length and ByteEncode12(ByteDecode12(t)) == t.
// Errors: InvalidKey.
Status check_encapsulation_key(ParameterSet set, ByteSpan ek);
// §7.3 decapsulation-key check: length and H(ek part) == stored hash. Errors: InvalidKey.
Status check_decapsulation_key(ParameterSet set, ByteSpan dk);

// Encapsulation key that passed the §7.2 check.
class EncapsulationKey {
 public:
  // Errors: InvalidKey (wrong length for the set, or a coefficient >= q).
  static Result<EncapsulationKey> from_bytes(ParameterSet set, ByteSpan bytes);
  ParameterSet set() const { return set_; }
  ByteSpan bytes() const { return bytes_; }

 private:
  friend struct KeyAccess;
  EncapsulationKey(ParameterSet s, Bytes b) : set_(s), bytes_(std::move(b)) {}
  ParameterSet set_;
  Bytes bytes_;
};

// The embedded encapsulation key in expanded form (the matrix Â and t as polynomials): public
// data that decaps' re-encryption would otherwise recompute on every call. Defined in mlkem.cc.
struct ExpandedEk;

// Decapsulation key that passed the §7.3 check; wiped on destruction. Keeps the expanded form
// of its encapsulation key (public, about 6 KiB for ML-KEM-768) for decaps.
class DecapsulationKey {
 public:
  // Errors: InvalidKey (wrong length for the set, or the embedded hash of ek does not match).
  static Result<DecapsulationKey> from_bytes(ParameterSet set, ByteSpan bytes);
  DecapsulationKey(const DecapsulationKey& o) : set_(o.set_), bytes_(o.bytes_), expanded_(o.expanded_) {}
  DecapsulationKey(DecapsulationKey&& o) noexcept
      : set_(o.set_), bytes_(std::move(o.bytes_)), expanded_(std::move(o.expanded_)) {}
  DecapsulationKey& operator=(const DecapsulationKey&) = delete;
  DecapsulationKey& operator=(DecapsulationKey&&) = delete;
  ~DecapsulationKey() { secure_wipe(bytes_); }
  ParameterSet set() const { return set_; }
  ByteSpan bytes() const { return bytes_; }

 private:
  friend struct KeyAccess;
  DecapsulationKey(ParameterSet s, Bytes b, std::shared_ptr<const ExpandedEk> e)
      : set_(s), bytes_(std::move(b)), expanded_(std::move(e)) {}
  ParameterSet set_;
  Bytes bytes_;
  std::shared_ptr<const ExpandedEk> expanded_;  // never null
};

// Ciphertext of the right length for its parameter set.
class Ciphertext {
 public:
  // Errors: InvalidMessage if the length does not match the set.
  static Result<Ciphertext> from_bytes(ParameterSet set, ByteSpan bytes);
  ParameterSet set() const { return set_; }
  ByteSpan bytes() const { return bytes_; }

 private:
  friend struct KeyAccess;
  Ciphertext(ParameterSet s, Bytes b) : set_(s), bytes_(std::move(b)) {}
  ParameterSet set_;
  Bytes bytes_;
};

struct KeyPair {
  EncapsulationKey ek;
  DecapsulationKey dk;
};

struct Encapsulation {
  Ciphertext ct;
  SharedSecret ss;
};

// ML-KEM.KeyGen with fresh randomness (libsodium randombytes_buf).
KeyPair keygen(ParameterSet set);
// ML-KEM.KeyGen_internal(d, z), FIPS 203 Alg. 16 (deterministic).
KeyPair keygen_from_seed(ParameterSet set, const Seed& d, const Seed& z);
// ML-KEM.Encaps with fresh 32-byte m.
Encapsulation encaps(const EncapsulationKey& ek);
// ML-KEM.Encaps_internal(ek, m), Alg. 17 (deterministic).
Encapsulation encaps_with_m(const EncapsulationKey& ek, const Seed& m);
// ML-KEM.Decaps_internal(dk, c), Alg. 18, with implicit rejection: a modified ciphertext yields
// J(z || c), never an error. Errors: InvalidKey if dk and c belong to different parameter sets.
Result<SharedSecret> decaps(const DecapsulationKey& dk, const Ciphertext& c);

// Byte-level conveniences that run the input checks first (errors: InvalidKey for a key that
// fails its check, InvalidMessage for a ciphertext of the wrong length).
Result<Encapsulation> encaps_bytes(ParameterSet set, ByteSpan ek, const Seed& m);
Result<SharedSecret> decaps_bytes(ParameterSet set, ByteSpan dk, ByteSpan c);

}  // namespace hauptbuch::p2p::crypto::mlkem
