// Hybrid (composite ML-DSA-65 + Ed25519) identity keys: the test vector published in
// docs/wire/hybrid-identity.md (read from the document itself, so document and code cannot
// drift apart), protobuf round trips and strictness, sign/verify dispatch, tampering with each
// signature half, PeerId derivation (sha2-256 multihash), and key files.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>

#include "crypto/composite_sig.h"
#include "crypto/identity.h"
#include "crypto/key_file.h"
#include "peer/peer_id.h"
#include "testing/vectors.h"

namespace hauptbuch::p2p::crypto {
namespace {

Bytes seq(uint8_t start) {
  Bytes b(32);
  for (size_t i = 0; i < b.size(); ++i) b[i] = static_cast<uint8_t>(start + i);
  return b;
}

// The vector block of docs/wire/hybrid-identity.md: lines "name: value" between the markers
// "<!-- vector-begin -->" and "<!-- vector-end -->" (code fences skipped).
std::map<std::string, std::string> doc_vector() {
  const std::string text =
      testing::read_file(testing::source_dir() + "/docs/wire/hybrid-identity.md");
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line.find("<!-- vector-begin -->") != std::string::npos) inside = true;
    else if (line.find("<!-- vector-end -->") != std::string::npos) inside = false;
    else if (inside && line.rfind("```", 0) != 0) {
      const auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      out[line.substr(0, colon)] = value;
    }
  }
  return out;
}

Bytes ascii(const std::string& s) { return Bytes(s.begin(), s.end()); }

ByteSpan ctx_span() {
  return ByteSpan(reinterpret_cast<const uint8_t*>(kHybridSignatureContext.data()),
                  kHybridSignatureContext.size());
}

TEST(HybridIdentity, DocumentedVector) {
  auto v = doc_vector();
  ASSERT_FALSE(v.empty()) << "no vector block in docs/wire/hybrid-identity.md";
  const PrivateKey k = PrivateKey::hybrid_from_seeds(seq(0x00), seq(0x20));
  EXPECT_EQ(v["mldsa_seed"], to_hex(seq(0x00)));
  EXPECT_EQ(v["ed25519_seed"], to_hex(seq(0x20)));
  EXPECT_EQ(k.type(), KeyType::HybridMlDsa65Ed25519);
  const Bytes pub = k.public_key().to_protobuf();
  EXPECT_EQ(v["public_key_protobuf"], to_hex(pub));
  EXPECT_EQ(v["public_key_protobuf_sha256"],
            to_hex(ByteSpan(PeerId::from_public_key(k.public_key()).bytes()).subspan(2)));
  EXPECT_EQ(v["private_key_protobuf"], to_hex(k.to_protobuf()));
  const PeerId id = PeerId::from_public_key(k.public_key());
  EXPECT_EQ(v["peer_id"], id.to_base58());
  EXPECT_EQ(v["peer_id_cid"], id.to_cid_string());

  // Deterministic composite signature of the documented message (ML-DSA rnd = 0).
  const Bytes msg = ascii(v["message"]);
  EXPECT_EQ(v["context"], std::string(kHybridSignatureContext));
  composite::Seed a{};
  composite::Seed b{};
  const Bytes s1 = seq(0x00);
  const Bytes s2 = seq(0x20);
  std::copy(s1.begin(), s1.end(), a.begin());
  std::copy(s2.begin(), s2.end(), b.begin());
  const composite::PrivateKey ck = composite::keygen_from_seeds(a, b);
  auto sig = composite::sign(ck, msg, ctx_span(), mldsa::Randomness::kDeterministic);
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(v["signature_deterministic"], to_hex(*sig));
  EXPECT_TRUE(k.public_key().verify(msg, *sig));
  auto from_doc = from_hex(v["signature_deterministic"]);
  ASSERT_TRUE(from_doc.has_value());
  EXPECT_TRUE(k.public_key().verify(msg, *from_doc));
}

TEST(HybridIdentity, ProtobufRoundTrips) {
  const PrivateKey k = PrivateKey::generate_hybrid();
  EXPECT_EQ(k.type(), KeyType::HybridMlDsa65Ed25519);
  EXPECT_EQ(k.public_key().raw().size(), kHybridPublicKeySize);
  const Bytes pub = k.public_key().to_protobuf();
  // Type 0x4842 = varint c2 90 01, Data length 1984 = varint c0 0f.
  EXPECT_EQ(to_hex(ByteSpan(pub).first(7)), "08c2900112c00f");
  EXPECT_EQ(pub.size(), 7 + kHybridPublicKeySize);
  auto back = PublicKey::from_protobuf(pub);
  ASSERT_TRUE(back.ok()) << back.error().message();
  EXPECT_EQ(*back, k.public_key());
  Bytes priv = k.to_protobuf();
  EXPECT_EQ(to_hex(ByteSpan(priv).first(6)), "08c2900112" "40");
  auto kb = PrivateKey::from_protobuf(priv);
  ASSERT_TRUE(kb.ok()) << kb.error().message();
  EXPECT_EQ(kb->public_key(), k.public_key());
  EXPECT_EQ(kb->to_protobuf(), priv);
  secure_wipe(priv);
}

TEST(HybridIdentity, StrictDecoding) {
  const PrivateKey k = PrivateKey::hybrid_from_seeds(seq(1), seq(2));
  const Bytes pub = k.public_key().to_protobuf();
  // Truncated Data, one byte short (length fixed up), trailing byte, Ed25519 length with the
  // hybrid type, non-minimal type varint.
  Bytes truncated(pub.begin(), pub.end() - 1);
  EXPECT_FALSE(PublicKey::from_protobuf(truncated).ok());
  Bytes short_len = {0x08, 0xc2, 0x90, 0x01, 0x12, 0xbf, 0x0f};
  short_len.insert(short_len.end(), pub.begin() + 7, pub.end() - 1);
  auto r = PublicKey::from_protobuf(short_len);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(P2PNetworkError::InvalidKey));
  Bytes trailing = pub;
  trailing.push_back(0);
  EXPECT_FALSE(PublicKey::from_protobuf(trailing).ok());
  Bytes ed_len = {0x08, 0xc2, 0x90, 0x01, 0x12, 0x20};
  ed_len.insert(ed_len.end(), 32, 0x11);
  EXPECT_FALSE(PublicKey::from_protobuf(ed_len).ok());
  Bytes non_minimal = {0x08, 0xc2, 0x90, 0x81, 0x00, 0x12, 0xc0, 0x0f};
  non_minimal.insert(non_minimal.end(), pub.begin() + 7, pub.end());
  EXPECT_FALSE(PublicKey::from_protobuf(non_minimal).ok());
  // A hybrid private key with the public key's Data length.
  Bytes bad_priv = {0x08, 0xc2, 0x90, 0x01, 0x12, 0x41};
  bad_priv.insert(bad_priv.end(), 65, 0x01);
  EXPECT_FALSE(PrivateKey::from_protobuf(bad_priv).ok());
}

TEST(HybridIdentity, SignVerifyAndTamperEachHalf) {
  const PrivateKey k = PrivateKey::hybrid_from_seeds(seq(3), seq(4));
  const Bytes msg = ascii("noise-libp2p-static-key:example");
  const Bytes sig = k.sign(msg);
  ASSERT_EQ(sig.size(), kHybridSignatureSize);
  EXPECT_TRUE(k.public_key().verify(msg, sig));
  EXPECT_FALSE(k.public_key().verify(ascii("other"), sig));
  Bytes bad_mldsa = sig;
  bad_mldsa[10] ^= 0x80;
  EXPECT_FALSE(k.public_key().verify(msg, bad_mldsa));
  Bytes bad_ed = sig;
  bad_ed[composite::kMlDsaSignatureBytes + 3] ^= 0x01;
  EXPECT_FALSE(k.public_key().verify(msg, bad_ed));
  // An Ed25519 signature alone, or a composite signature without context, is not accepted.
  EXPECT_FALSE(k.public_key().verify(msg, ByteSpan(sig).subspan(composite::kMlDsaSignatureBytes)));
  auto no_ctx = composite::sign(*composite::PrivateKey::from_bytes([] {
                  Bytes s = seq(3);
                  Bytes e = seq(4);
                  s.insert(s.end(), e.begin(), e.end());
                  return s;
                }()), msg, {});
  ASSERT_TRUE(no_ctx.ok());
  EXPECT_FALSE(k.public_key().verify(msg, *no_ctx));
  // The Ed25519 half does not verify under a plain Ed25519 key with the same seed either
  // (it signs M', not the message).
  const PrivateKey ed = PrivateKey::ed25519_from_seed(seq(4));
  EXPECT_FALSE(ed.public_key().verify(msg, ByteSpan(sig).subspan(composite::kMlDsaSignatureBytes)));
}

TEST(HybridIdentity, CrossTypeSignaturesRejected) {
  const PrivateKey h = PrivateKey::hybrid_from_seeds(seq(5), seq(6));
  const PrivateKey e = PrivateKey::ed25519_from_seed(seq(6));
  const Bytes msg = ascii("m");
  EXPECT_FALSE(h.public_key().verify(msg, e.sign(msg)));
  EXPECT_FALSE(e.public_key().verify(msg, h.sign(msg)));
}

TEST(HybridIdentity, PeerIdIsSha256OfProtobuf) {
  const PrivateKey k = PrivateKey::hybrid_from_seeds(seq(7), seq(8));
  const PeerId id = PeerId::from_public_key(k.public_key());
  ASSERT_EQ(id.bytes().size(), 34U);
  EXPECT_EQ(id.bytes()[0], 0x12);  // sha2-256
  EXPECT_EQ(id.bytes()[1], 0x20);
  EXPECT_EQ(id.to_base58().rfind("Qm", 0), 0U);
  EXPECT_TRUE(id.matches(k.public_key()));
  EXPECT_FALSE(id.extract_public_key().has_value());
  auto parsed = PeerId::parse(id.to_base58());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, id);
  // Both public keys are committed to: changing either seed changes the PeerId.
  EXPECT_NE(PeerId::from_public_key(PrivateKey::hybrid_from_seeds(seq(7), seq(9)).public_key()), id);
  EXPECT_NE(PeerId::from_public_key(PrivateKey::hybrid_from_seeds(seq(9), seq(8)).public_key()), id);
}

TEST(HybridIdentity, MoveKeepsKey) {
  PrivateKey a = PrivateKey::hybrid_from_seeds(seq(10), seq(11));
  const PublicKey pub = a.public_key();
  PrivateKey b = std::move(a);
  EXPECT_EQ(b.public_key(), pub);
  PrivateKey c = PrivateKey::generate_ed25519();
  c = std::move(b);
  EXPECT_EQ(c.type(), KeyType::HybridMlDsa65Ed25519);
  EXPECT_EQ(c.public_key(), pub);
  EXPECT_TRUE(pub.verify(ascii("x"), c.sign(ascii("x"))));
}

TEST(HybridIdentity, KeyFileRoundTripAndCorruption) {
  const auto dir = std::filesystem::path(::testing::TempDir()) /
                   ("hbp2p_hybrid_keyfile_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string p = (dir / "id.key").string();
  const PrivateKey k = PrivateKey::generate_hybrid();
  ASSERT_TRUE(write_key_file(p, k, false).ok());
  struct stat st {};
  ASSERT_EQ(::stat(p.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777U, 0600U);
  EXPECT_FALSE(write_key_file(p, k, false).ok());  // refuses to overwrite
  auto r = read_key_file(p);
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->type(), KeyType::HybridMlDsa65Ed25519);
  EXPECT_EQ(r->public_key(), k.public_key());
  // Group-readable: refused.
  ASSERT_EQ(::chmod(p.c_str(), 0640), 0);
  auto g = read_key_file(p);
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.error().message().find("chmod 600"), std::string::npos);
  // Truncated file: a clear "corrupt" error.
  ASSERT_EQ(::chmod(p.c_str(), 0600), 0);
  ASSERT_EQ(::truncate(p.c_str(), 20), 0);
  auto c = read_key_file(p);
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(c.error().is(P2PNetworkError::InvalidKey));
  EXPECT_NE(c.error().message().find("corrupt"), std::string::npos) << c.error().message();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hauptbuch::p2p::crypto
