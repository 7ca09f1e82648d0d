// ML-KEM (FIPS 203) parameter sets: the constants of Table 2 and the derived byte sizes.
// Pure data; nothing here touches secrets.
#pragma once

#include <cstddef>
#include <cstdint>

namespace hauptbuch::p2p::crypto::mlkem {

enum class ParameterSet { kMlKem512, kMlKem768, kMlKem1024 };

inline constexpr int kN = 256;
inline constexpr int kQ = 3329;
inline constexpr size_t kSeedBytes = 32;          // d, z, m, rho, sigma
inline constexpr size_t kSharedSecretBytes = 32;
inline constexpr size_t kPolyBytes = 384;          // ByteEncode12 of one polynomial
inline constexpr int kMaxK = 4;

struct Params {
  ParameterSet set;
  int k;
  int eta1;
  int eta2;
  int du;
  int dv;
  constexpr size_t ek_bytes() const { return kPolyBytes * static_cast<size_t>(k) + 32; }
  constexpr size_t dk_pke_bytes() const { return kPolyBytes * static_cast<size_t>(k); }
  constexpr size_t dk_bytes() const { return 768 * static_cast<size_t>(k) + 96; }
  constexpr size_t ct_u_bytes() const { return 32 * static_cast<size_t>(du * k); }
  constexpr size_t ct_bytes() const { return 32 * static_cast<size_t>(du * k + dv); }
};

constexpr Params params_for(ParameterSet s) {
  switch (s) {
    case ParameterSet::kMlKem512: return {s, 2, 3, 2, 10, 4};
    case ParameterSet::kMlKem768: return {s, 3, 2, 2, 10, 4};
    case ParameterSet::kMlKem1024: return {s, 4, 2, 2, 11, 5};
  }
  return {ParameterSet::kMlKem768, 3, 2, 2, 10, 4};
}

}  // namespace hauptbuch::p2p::crypto::mlkem
