// ML-KEM scheme: round trips for all parameter sets, the §7.2/§7.3 key checks, implicit
// rejection on tampered ciphertexts, length errors, and ACVP keyGen spot checks.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "crypto/keccak.h"
#include "crypto/mlkem.h"
#include "testing/vectors.h"

namespace hauptbuch::p2p::crypto::mlkem {
namespace {

constexpr ParameterSet kAll[] = {ParameterSet::kMlKem512, ParameterSet::kMlKem768,
                                 ParameterSet::kMlKem1024};

Seed seed_of(uint8_t v) {
  Seed s;
  s.fill(v);
  return s;
}

TEST(MlKemScheme, SizesMatchFips203) {
  EXPECT_EQ(params_for(ParameterSet::kMlKem512).ek_bytes(), 800u);
  EXPECT_EQ(params_for(ParameterSet::kMlKem512).dk_bytes(), 1632u);
  EXPECT_EQ(params_for(ParameterSet::kMlKem512).ct_bytes(), 768u);
  EXPECT_EQ(params_for(ParameterSet::kMlKem768).ek_bytes(), 1184u);
  EXPECT_EQ(params_for(ParameterSet::kMlKem768).dk_bytes(), 2400u);
  EXPECT_EQ(params_for(ParameterSet::kMlKem768).ct_bytes(), 1088u);
  EXPECT_EQ(params_for(ParameterSet::kMlKem1024).ek_bytes(), 1568u);
  EXPECT_EQ(params_for(ParameterSet::kMlKem1024).dk_bytes(), 3168u);
  EXPECT_EQ(params_for(ParameterSet::kMlKem1024).ct_bytes(), 1568u);
}

TEST(MlKemScheme, RoundTripAllSets) {
  for (auto set : kAll) {
    for (int i = 0; i < 5; ++i) {
      const auto kp = keygen(set);
      const auto enc = encaps(kp.ek);
      auto ss = decaps(kp.dk, enc.ct);
      ASSERT_TRUE(ss.ok());
      EXPECT_EQ(ss.value(), enc.ss);
    }
    // Deterministic variants agree with each other.
    const auto a = keygen_from_seed(set, seed_of(1), seed_of(2));
    const auto b = keygen_from_seed(set, seed_of(1), seed_of(2));
    EXPECT_EQ(to_bytes(a.ek.bytes()), to_bytes(b.ek.bytes()));
    EXPECT_EQ(to_bytes(a.dk.bytes()), to_bytes(b.dk.bytes()));
    const auto e1 = encaps_with_m(a.ek, seed_of(3));
    const auto e2 = encaps_with_m(a.ek, seed_of(3));
    EXPECT_EQ(to_bytes(e1.ct.bytes()), to_bytes(e2.ct.bytes()));
    EXPECT_EQ(e1.ss, e2.ss);
    EXPECT_EQ(decaps(a.dk, e1.ct).value(), e1.ss);
  }
}

TEST(MlKemScheme, TamperedCiphertextGivesImplicitRejectionKey) {
  for (auto set : kAll) {
    const Seed z = seed_of(0x5a);
    const auto kp = keygen_from_seed(set, seed_of(7), z);
    const auto enc = encaps_with_m(kp.ek, seed_of(8));
    for (size_t pos : {size_t{0}, enc.ct.bytes().size() / 2, enc.ct.bytes().size() - 1}) {
      Bytes bad = to_bytes(enc.ct.bytes());
      bad[pos] ^= 0x01;
      auto ct = Ciphertext::from_bytes(set, bad);
      ASSERT_TRUE(ct.ok());
      auto ss = decaps(kp.dk, ct.value());
      ASSERT_TRUE(ss.ok());
      SharedSecret expect;
      Shake256 j;
      j.absorb(z);
      j.absorb(bad);
      j.squeeze(expect);
      EXPECT_EQ(ss.value(), expect) << "pos " << pos;
      EXPECT_NE(ss.value(), enc.ss);
    }
  }
}

TEST(MlKemScheme, EncapsulationKeyCheck) {
  const auto kp = keygen_from_seed(ParameterSet::kMlKem768, seed_of(1), seed_of(2));
  Bytes ek = to_bytes(kp.ek.bytes());
  EXPECT_TRUE(check_encapsulation_key(ParameterSet::kMlKem768, ek).ok());
  // Wrong length, and a key of another parameter set.
  EXPECT_TRUE(check_encapsulation_key(ParameterSet::kMlKem768, ByteSpan(ek).first(ek.size() - 1))
                  .error().is(P2PNetworkError::InvalidKey));
  EXPECT_FALSE(check_encapsulation_key(ParameterSet::kMlKem512, ek).ok());
  // Coefficient 0 := q = 3329 = 0xD01 (first 12 bits little-endian): fails the modulus check.
  Bytes bad = ek;
  bad[0] = 0x01;
  bad[1] = static_cast<uint8_t>((bad[1] & 0xf0) | 0x0d);
  auto r = EncapsulationKey::from_bytes(ParameterSet::kMlKem768, bad);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(P2PNetworkError::InvalidKey));
  // q - 1 is fine; the rho part is never checked.
  bad[0] = 0x00;
  EXPECT_TRUE(check_encapsulation_key(ParameterSet::kMlKem768, bad).ok());
  bad = ek;
  bad.back() ^= 0xff;
  EXPECT_TRUE(check_encapsulation_key(ParameterSet::kMlKem768, bad).ok());
  EXPECT_FALSE(encaps_bytes(ParameterSet::kMlKem768, Bytes(1184, 0xff), seed_of(0)).ok());
}

TEST(MlKemScheme, DecapsulationKeyCheck) {
  for (auto set : kAll) {
    const auto kp = keygen_from_seed(set, seed_of(3), seed_of(4));
    Bytes dk = to_bytes(kp.dk.bytes());
    EXPECT_TRUE(check_decapsulation_key(set, dk).ok());
    const Params p = params_for(set);
    Bytes bad = dk;
    bad[p.dk_pke_bytes() + p.ek_bytes()] ^= 0x80;  // modified H(ek)
    auto r = DecapsulationKey::from_bytes(set, bad);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().is(P2PNetworkError::InvalidKey));
    bad = dk;
    bad[p.dk_pke_bytes() + 5] ^= 0x01;  // modified embedded ek
    EXPECT_FALSE(check_decapsulation_key(set, bad).ok());
    EXPECT_FALSE(check_decapsulation_key(set, ByteSpan(dk).first(dk.size() - 1)).ok());
    EXPECT_FALSE(check_decapsulation_key(set, Bytes{}).ok());
  }
}

TEST(MlKemScheme, LengthAndSetMismatchErrors) {
  auto ct = Ciphertext::from_bytes(ParameterSet::kMlKem768, Bytes(1087));
  ASSERT_FALSE(ct.ok());
  EXPECT_TRUE(ct.error().is(P2PNetworkError::InvalidMessage));
  const auto kp512 = keygen_from_seed(ParameterSet::kMlKem512, seed_of(1), seed_of(1));
  const auto c768 = Ciphertext::from_bytes(ParameterSet::kMlKem768, Bytes(1088));
  ASSERT_TRUE(c768.ok());
  auto ss = decaps(kp512.dk, c768.value());
  ASSERT_FALSE(ss.ok());
  EXPECT_TRUE(ss.error().is(P2PNetworkError::InvalidKey));
  EXPECT_FALSE(decaps_bytes(ParameterSet::kMlKem512, kp512.dk.bytes(), Bytes(767)).ok());
}

TEST(MlKemScheme, AcvpKeyGenFirstCaseOfEachSet) {
  const auto doc = nlohmann::json::parse(testing::read_file(testing::vectors_dir() + "/mlkem/keygen.json"));
  int checked = 0;
  for (const auto& g : doc["testGroups"]) {
    const std::string ps = g["parameterSet"];
    const ParameterSet set = ps == "ML-KEM-512" ? ParameterSet::kMlKem512
                             : ps == "ML-KEM-768" ? ParameterSet::kMlKem768
                                                  : ParameterSet::kMlKem1024;
    const auto& t = g["tests"][0];
    auto d = from_hex(t["d"].get<std::string>());
    auto z = from_hex(t["z"].get<std::string>());
    ASSERT_TRUE(d && z);
    Seed ds, zs;
    std::copy(d->begin(), d->end(), ds.begin());
    std::copy(z->begin(), z->end(), zs.begin());
    const auto kp = keygen_from_seed(set, ds, zs);
    EXPECT_EQ(to_hex(kp.ek.bytes()), to_hex(*from_hex(t["ek"].get<std::string>())));
    EXPECT_EQ(to_hex(kp.dk.bytes()), to_hex(*from_hex(t["dk"].get<std::string>())));
    ++checked;
  }
  EXPECT_EQ(checked, 3);
}

}  // namespace
}  // namespace hauptbuch::p2p::crypto::mlkem
