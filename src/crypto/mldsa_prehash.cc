// ML-DSA external API (FIPS 204 Alg. 2-5): pure ML-DSA with context, HashML-DSA with the
// pre-hash functions of section 5.4 and their OIDs. SHA-2 comes from OpenSSL EVP, SHA-3/SHAKE
// from crypto/keccak.h.
#include <openssl/evp.h>
#include <sodium.h>

#include <string_view>

#include "crypto/keccak.h"
#include "crypto/mldsa.h"

namespace hauptbuch::p2p::crypto::mldsa {
namespace {

struct PreHashInfo {
  PreHash ph;
  std::string_view name;   // ACVP spelling
  uint8_t oid_last;        // OID 2.16.840.1.101.3.4.2.x
  const char* evp_name;    // OpenSSL name, or nullptr for our Keccak
  size_t out_bytes;
};

constexpr PreHashInfo kPreHashes[] = {
    {PreHash::kSha2_224, "SHA2-224", 0x04, "SHA224", 28},
    {PreHash::kSha2_256, "SHA2-256", 0x01, "SHA256", 32},
    {PreHash::kSha2_384, "SHA2-384", 0x02, "SHA384", 48},
    {PreHash::kSha2_512, "SHA2-512", 0x03, "SHA512", 64},
    {PreHash::kSha2_512_224, "SHA2-512/224", 0x05, "SHA512-224", 28},
    {PreHash::kSha2_512_256, "SHA2-512/256", 0x06, "SHA512-256", 32},
    {PreHash::kSha3_224, "SHA3-224", 0x07, nullptr, 28},
    {PreHash::kSha3_256, "SHA3-256", 0x08, nullptr, 32},
    {PreHash::kSha3_384, "SHA3-384", 0x09, nullptr, 48},
    {PreHash::kSha3_512, "SHA3-512", 0x0A, nullptr, 64},
    {PreHash::kShake128, "SHAKE-128", 0x0B, nullptr, 32},
    {PreHash::kShake256, "SHAKE-256", 0x0C, nullptr, 64},
};

const PreHashInfo& info(PreHash ph) {
  for (const auto& i : kPreHashes)
    if (i.ph == ph) return i;
  return kPreHashes[0];
}

Result<Bytes> digest(const PreHashInfo& in, ByteSpan msg) {
  Bytes out(in.out_bytes);
  if (in.evp_name != nullptr) {
    unsigned int n = 0;
    EVP_MD* md = EVP_MD_fetch(nullptr, in.evp_name, nullptr);
    const bool ok = md != nullptr && EVP_Digest(msg.data(), msg.size(), out.data(), &n, md, nullptr) == 1 &&
                    n == in.out_bytes;
    EVP_MD_free(md);
    if (!ok) return Error(P2PNetworkError::Unsupported, std::string("OpenSSL lacks ") + in.evp_name);
    return out;
  }
  switch (in.ph) {
    case PreHash::kSha3_224: { auto d = sha3_224(msg); std::copy(d.begin(), d.end(), out.begin()); break; }
    case PreHash::kSha3_256: { auto d = sha3_256(msg); std::copy(d.begin(), d.end(), out.begin()); break; }
    case PreHash::kSha3_384: { auto d = sha3_384(msg); std::copy(d.begin(), d.end(), out.begin()); break; }
    case PreHash::kSha3_512: { auto d = sha3_512(msg); std::copy(d.begin(), d.end(), out.begin()); break; }
    case PreHash::kShake128: shake128(msg, out); break;
    default: shake256(msg, out); break;
  }
  return out;
}

Result<Bytes> pure_message_prime(ByteSpan msg, ByteSpan ctx) {
  if (ctx.size() > kMaxContextBytes)
    return Error(P2PNetworkError::InvalidMessage, "ML-DSA context longer than 255 bytes");
  Bytes m;
  m.reserve(2 + ctx.size() + msg.size());
  m.push_back(0);
  m.push_back(static_cast<uint8_t>(ctx.size()));
  m.insert(m.end(), ctx.begin(), ctx.end());
  m.insert(m.end(), msg.begin(), msg.end());
  return m;
}

Seed random_or_zero(Randomness mode) {
  Seed rnd{};
  if (mode == Randomness::kHedged) randombytes_buf(rnd.data(), rnd.size());
  return rnd;
}

Status check_sig(const PublicKey& pk, ByteSpan m_prime, ByteSpan sig) {
  if (sig.size() != params(pk.set()).sig_bytes)
    return Error(P2PNetworkError::SecurityValidationFailed, "ML-DSA signature has wrong length");
  if (!verify_internal(pk, m_prime, sig))
    return Error(P2PNetworkError::SecurityValidationFailed, "ML-DSA signature does not verify");
  return ok_status();
}

}  // namespace

Result<PreHash> prehash_from_name(std::string_view name) {
  for (const auto& i : kPreHashes)
    if (i.name == name) return i.ph;
  return Error(P2PNetworkError::Unsupported, "unknown HashML-DSA pre-hash");
}

Result<Bytes> hash_message_prime(PreHash ph, ByteSpan msg, ByteSpan ctx) {
  if (ctx.size() > kMaxContextBytes)
    return Error(P2PNetworkError::InvalidMessage, "ML-DSA context longer than 255 bytes");
  const PreHashInfo& in = info(ph);
  HBP2P_TRY_ASSIGN(Bytes d, digest(in, msg));
  Bytes m{1, static_cast<uint8_t>(ctx.size())};
  m.insert(m.end(), ctx.begin(), ctx.end());
  const uint8_t oid[11] = {0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, in.oid_last};
  m.insert(m.end(), oid, oid + sizeof oid);
  m.insert(m.end(), d.begin(), d.end());
  return m;
}

Result<Bytes> sign_with_rnd(const SecretKey& sk, ByteSpan msg, ByteSpan ctx, const Seed& rnd) {
  HBP2P_TRY_ASSIGN(Bytes m, pure_message_prime(msg, ctx));
  return sign_internal(sk, m, rnd);
}

Result<Bytes> sign(const SecretKey& sk, ByteSpan msg, ByteSpan ctx, Randomness mode) {
  return sign_with_rnd(sk, msg, ctx, random_or_zero(mode));
}

Status verify(const PublicKey& pk, ByteSpan msg, ByteSpan sig, ByteSpan ctx) {
  HBP2P_TRY_ASSIGN(Bytes m, pure_message_prime(msg, ctx));
  return check_sig(pk, m, sig);
}

Result<Bytes> hash_sign_with_rnd(const SecretKey& sk, ByteSpan msg, ByteSpan ctx, PreHash ph,
                                 const Seed& rnd) {
  HBP2P_TRY_ASSIGN(Bytes m, hash_message_prime(ph, msg, ctx));
  return sign_internal(sk, m, rnd);
}

Result<Bytes> hash_sign(const SecretKey& sk, ByteSpan msg, ByteSpan ctx, PreHash ph, Randomness mode) {
  return hash_sign_with_rnd(sk, msg, ctx, ph, random_or_zero(mode));
}

Status hash_verify(const PublicKey& pk, ByteSpan msg, ByteSpan sig, ByteSpan ctx, PreHash ph) {
  HBP2P_TRY_ASSIGN(Bytes m, hash_message_prime(ph, msg, ctx));
  return check_sig(pk, m, sig);
}

}  // namespace hauptbuch::p2p::crypto::mldsa
