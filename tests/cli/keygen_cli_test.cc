// `hbp2p keygen` and `hbp2p id` as processes: hybrid is the default key type, ed25519 on request,
// mode 0600, no overwrite without --force, group-readable and corrupt key files refused with a
// clear message, and `id` reproducing the PeerId keygen printed for both key types.
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;

struct ProcResult {
  int status = -1;
  std::string out;  // stdout and stderr together
};

// Runs `hbp2p <args>` through the shell (arguments are our own fixed strings and temp paths).
ProcResult hbp2p(const std::string& args) {
  const std::string cmd = std::string("'") + HBP2P_BINARY + "' " + args + " 2>&1";
  ProcResult r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[512];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

class KeygenCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           (std::string("hbp2p_keygen_cli_") + info->name() + "_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const char* name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST_F(KeygenCli, DefaultIsHybridAndIdAgrees) {
  const std::string key = path("h.key");
  const ProcResult k = hbp2p("keygen --out '" + key + "'");
  ASSERT_EQ(k.status, 0) << k.out;
  const std::string id = trim(k.out);
  EXPECT_EQ(id.rfind("Qm", 0), 0U) << id;  // sha2-256 PeerId: the key is > 42 bytes
  struct stat st {};
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777U, 0600U);
  EXPECT_EQ(st.st_size, 70);  // 08 c2 90 01 12 40 + two 32-byte seeds
  const ProcResult i = hbp2p("id --key '" + key + "' --show-type");
  ASSERT_EQ(i.status, 0) << i.out;
  EXPECT_EQ(trim(i.out), id + " hybrid");
  const ProcResult c = hbp2p("id --key '" + key + "' --cid");
  ASSERT_EQ(c.status, 0) << c.out;
  EXPECT_EQ(trim(c.out).rfind("bafzbei", 0), 0U) << c.out;
}

TEST_F(KeygenCli, Ed25519OnRequest) {
  const std::string key = path("e.key");
  const ProcResult k = hbp2p("keygen --type ed25519 --out '" + key + "'");
  ASSERT_EQ(k.status, 0) << k.out;
  const std::string id = trim(k.out);
  EXPECT_EQ(id.rfind("12D3KooW", 0), 0U) << id;
  const ProcResult i = hbp2p("id --key '" + key + "' --show-type");
  ASSERT_EQ(i.status, 0) << i.out;
  EXPECT_EQ(trim(i.out), id + " ed25519");
  const ProcResult plain = hbp2p("id --key '" + key + "'");
  EXPECT_EQ(trim(plain.out), id);
}

TEST_F(KeygenCli, RefusesOverwriteUnlessForced) {
  const std::string key = path("k.key");
  const ProcResult first = hbp2p("keygen --out '" + key + "'");
  ASSERT_EQ(first.status, 0) << first.out;
  const ProcResult again = hbp2p("keygen --type ed25519 --out '" + key + "'");
  EXPECT_EQ(again.status, 1);
  EXPECT_NE(again.out.find("already exists"), std::string::npos) << again.out;
  const ProcResult id = hbp2p("id --key '" + key + "'");
  EXPECT_EQ(trim(id.out), trim(first.out));  // unchanged
  const ProcResult forced = hbp2p("keygen --type ed25519 --force --out '" + key + "'");
  ASSERT_EQ(forced.status, 0) << forced.out;
  EXPECT_NE(trim(forced.out), trim(first.out));
}

TEST_F(KeygenCli, RefusesReadableAndCorruptKeys) {
  const std::string key = path("r.key");
  ASSERT_EQ(hbp2p("keygen --out '" + key + "'").status, 0);
  ASSERT_EQ(::chmod(key.c_str(), 0644), 0);
  const ProcResult readable = hbp2p("id --key '" + key + "'");
  EXPECT_EQ(readable.status, 1);
  EXPECT_NE(readable.out.find("chmod 600"), std::string::npos) << readable.out;

  const std::string bad = path("bad.key");
  {
    std::ofstream f(bad, std::ios::binary);
    f << "not a key";
  }
  ASSERT_EQ(::chmod(bad.c_str(), 0600), 0);
  const ProcResult corrupt = hbp2p("id --key '" + bad + "'");
  EXPECT_EQ(corrupt.status, 1);
  EXPECT_NE(corrupt.out.find("corrupt"), std::string::npos) << corrupt.out;

  const ProcResult missing = hbp2p("id --key '" + path("none.key") + "'");
  EXPECT_EQ(missing.status, 1);
}

TEST_F(KeygenCli, UnknownTypeIsRefused) {
  // A CLI11 validation error (its own exit status, not 0 or 1); no file is written.
  const ProcResult r = hbp2p("keygen --type rsa --out '" + path("x.key") + "'");
  EXPECT_NE(r.status, 0) << r.out;
  EXPECT_NE(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("not in"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(path("x.key")));
}

}  // namespace
