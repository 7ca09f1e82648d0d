// Key files: 0600 on write, no overwrite without force, refusal of group/other-readable files,
// corrupt and oversized contents.
#include "crypto/key_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace hauptbuch::p2p::crypto {
namespace {

class KeyFile : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::path(::testing::TempDir()) /
           (std::string("hbp2p_keyfile_") + info->name() + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string path(const char* name) const { return (dir_ / name).string(); }

  static void write_raw(const std::string& p, const Bytes& b, mode_t mode) {
    {
      std::ofstream f(p, std::ios::binary | std::ios::trunc);
      f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    }
    ASSERT_EQ(::chmod(p.c_str(), mode), 0);
  }

  static unsigned mode_of(const std::string& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0);
    return static_cast<unsigned>(st.st_mode) & 07777U;
  }

  std::filesystem::path dir_;
};

TEST_F(KeyFile, WriteIs0600AndReadsBack) {
  const PrivateKey k = PrivateKey::generate_ed25519();
  const std::string p = path("id.key");
  auto w = write_key_file(p, k, false);
  ASSERT_TRUE(w.ok()) << w.error().message();
  EXPECT_EQ(mode_of(p), 0600U);
  auto r = read_key_file(p);
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->public_key(), k.public_key());
  EXPECT_EQ(r->to_protobuf(), k.to_protobuf());
  // No temporary files left behind.
  size_t entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir_)) ++entries;
  EXPECT_EQ(entries, 1U);
}

TEST_F(KeyFile, RefusesOverwriteWithoutForce) {
  const PrivateKey a = PrivateKey::generate_ed25519();
  const PrivateKey b = PrivateKey::generate_ed25519();
  const std::string p = path("id.key");
  ASSERT_TRUE(write_key_file(p, a, false).ok());
  auto again = write_key_file(p, b, false);
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.error().is(P2PNetworkError::IoFailed));
  EXPECT_NE(again.error().detail().find("already exists"), std::string::npos);
  auto r = read_key_file(p);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->public_key(), a.public_key());

  ASSERT_TRUE(write_key_file(p, b, true).ok());
  EXPECT_EQ(mode_of(p), 0600U);
  auto r2 = read_key_file(p);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->public_key(), b.public_key());
}

TEST_F(KeyFile, RefusesGroupOrOtherReadable) {
  const PrivateKey k = PrivateKey::generate_ed25519();
  const std::string p = path("open.key");
  write_raw(p, k.to_protobuf(), 0644);
  auto r = read_key_file(p);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(P2PNetworkError::InvalidKey));
  EXPECT_NE(r.error().detail().find("0644"), std::string::npos) << r.error().detail();
  EXPECT_NE(r.error().detail().find("chmod 600 " + p), std::string::npos) << r.error().detail();

  ASSERT_EQ(::chmod(p.c_str(), 0640), 0);
  EXPECT_FALSE(read_key_file(p).ok());
  ASSERT_EQ(::chmod(p.c_str(), 0600), 0);
  EXPECT_TRUE(read_key_file(p).ok());
}

TEST_F(KeyFile, RefusesCorruptContent) {
  const PrivateKey k = PrivateKey::generate_ed25519();
  Bytes b = k.to_protobuf();
  b[b.size() - 1] ^= 0x01;  // stored public key no longer matches the seed
  const std::string p = path("corrupt.key");
  write_raw(p, b, 0600);
  auto r = read_key_file(p);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(P2PNetworkError::InvalidKey));
  EXPECT_NE(r.error().detail().find("corrupt"), std::string::npos);

  write_raw(p, Bytes{}, 0600);
  EXPECT_FALSE(read_key_file(p).ok());
  write_raw(p, Bytes(10, 0x41), 0600);
  EXPECT_FALSE(read_key_file(p).ok());
}

TEST_F(KeyFile, RefusesOversizedFile) {
  const std::string p = path("big.key");
  write_raw(p, Bytes(kMaxKeyFileSize + 1, 0), 0600);
  auto r = read_key_file(p);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(P2PNetworkError::InvalidKey));
  EXPECT_NE(r.error().detail().find("larger than"), std::string::npos);
}

TEST_F(KeyFile, MissingFileIsIoFailed) {
  auto r = read_key_file(path("missing.key"));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(P2PNetworkError::IoFailed));
}

}  // namespace
}  // namespace hauptbuch::p2p::crypto
