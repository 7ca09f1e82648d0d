// Drives `hbp2p node --json` processes through stdin/stdout pipes and checks the JSON-lines
// contract of docs/cli.md: listening event first, dial/ping/peers/disconnect/shutdown replies,
// events, error replies for malformed lines, and `hbp2p ping`. Every read has a deadline.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

class Process {
 public:
  explicit Process(std::vector<std::string> args) {
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(in[0], 0);
      dup2(out[1], 1);
      close(in[1]);
      close(out[0]);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    stdin_ = in[1];
    stdout_ = out[0];
  }
  ~Process() {
    close_stdin();
    if (stdout_ >= 0) close(stdout_);
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  void send(const std::string& line) {
    std::string l = line + "\n";
    ASSERT_EQ(write(stdin_, l.data(), l.size()), static_cast<ssize_t>(l.size()));
  }
  void close_stdin() {
    if (stdin_ >= 0) close(stdin_);
    stdin_ = -1;
  }
  // Next line of stdout, or nullopt after `timeout`.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (auto nl = buf_.find('\n'); nl != std::string::npos) {
        std::string line = buf_.substr(0, nl);
        buf_.erase(0, nl + 1);
        return line;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      pollfd p{stdout_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
      char tmp[4096];
      const ssize_t n = read(stdout_, tmp, sizeof tmp);
      if (n <= 0) return std::nullopt;
      buf_.append(tmp, static_cast<size_t>(n));
    }
  }
  // Next line that is a reply with this id (events are collected aside).
  std::optional<json> reply(int id) {
    for (int i = 0; i < 100; ++i) {
      auto l = read_line();
      if (!l) return std::nullopt;
      json j = json::parse(*l);  // every stdout line must be JSON
      if (j.contains("event")) {
        events.push_back(j);
        continue;
      }
      if (j["id"] == id) return j;
      others.push_back(j);
    }
    return std::nullopt;
  }
  // Exit status, waiting at most `timeout`.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      pollfd p{stdout_, POLLIN, 0};
      poll(&p, 1, 50);  // wakes early when output arrives; bounded by the deadline
      char tmp[4096];
      if (p.revents & POLLIN) (void)read(stdout_, tmp, sizeof tmp);
    }
    return std::nullopt;
  }
  std::vector<json> events, others;

 private:
  pid_t pid_ = -1;
  int stdin_ = -1, stdout_ = -1;
  bool exited_ = false;
  std::string buf_;
};

class NodeCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hbp2p-cli-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    for (const char* name : {"a.key", "b.key"}) {
      Process p({HBP2P_BINARY, "keygen", "--out", (dir_ / name).string(), "--force"});
      ASSERT_EQ(p.wait_exit(), 0);
    }
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::vector<std::string> node_args(const char* key) {
    return {HBP2P_BINARY, "node", "--key", (dir_ / key).string(), "--listen", "/ip4/127.0.0.1/tcp/0", "--json"};
  }
  fs::path dir_;
};

TEST_F(NodeCli, JsonLinesContract) {
  Process a(node_args("a.key")), b(node_args("b.key"));
  auto la = a.read_line();
  auto lb = b.read_line();
  ASSERT_TRUE(la && lb);
  json ja = json::parse(*la), jb = json::parse(*lb);
  ASSERT_EQ(ja["event"], "listening");
  const std::string peer_a = ja["peer_id"], addr_a = ja["addrs"][0];
  EXPECT_NE(addr_a.find("/ip4/127.0.0.1/tcp/"), std::string::npos);
  EXPECT_NE(addr_a.find("/p2p/" + peer_a), std::string::npos);

  b.send(json{{"id", 1}, {"cmd", "dial"}, {"addr", addr_a}}.dump());
  auto r1 = b.reply(1);
  ASSERT_TRUE(r1);
  EXPECT_EQ((*r1)["ok"], true) << r1->dump();
  EXPECT_EQ((*r1)["peer"], peer_a);

  b.send(json{{"id", 2}, {"cmd", "ping"}, {"peer", peer_a}, {"count", 3}}.dump());
  auto r2 = b.reply(2);
  ASSERT_TRUE(r2);
  EXPECT_EQ((*r2)["ok"], true) << r2->dump();
  EXPECT_EQ((*r2)["rtts_ms"].size(), 3u);
  EXPECT_GT((*r2)["rtt_ms"].get<double>(), 0.0);

  b.send(json{{"id", 3}, {"cmd", "peers"}}.dump());
  auto r3 = b.reply(3);
  ASSERT_TRUE(r3);
  ASSERT_EQ((*r3)["peers"].size(), 1u);
  const auto& p = (*r3)["peers"][0];
  EXPECT_EQ(p["peer"], peer_a);
  EXPECT_EQ(p["direction"], "out");
  EXPECT_EQ(p["security"], "/hauptbuch/pq-noise/1.0.0");  // PQ by default
  for (const char* key : {"addrs", "protocols", "agent"}) EXPECT_TRUE(p.contains(key)) << key;

  // Bad lines get error replies and the node lives on.
  b.send("this is not json");
  b.send(R"({"id":"x","cmd":"launch_rockets"})");
  b.send(R"({"id":4,"cmd":"dial","addr":"/ip4/1.2.3.4/udp/1"})");
  auto r4 = b.reply(4);
  ASSERT_TRUE(r4);
  EXPECT_EQ((*r4)["ok"], false);
  b.send(R"({"id":5,"cmd":"peers"})");
  ASSERT_TRUE(b.reply(5));
  ASSERT_GE(b.others.size(), 2u);
  EXPECT_EQ(b.others[0]["ok"], false);
  EXPECT_TRUE(b.others[0]["id"].is_null());
  EXPECT_NE(b.others[0]["error"].get<std::string>().find("InvalidMessage"), std::string::npos);
  EXPECT_EQ(b.others[1]["id"], "x");
  EXPECT_NE(b.others[1]["error"].get<std::string>().find("Unsupported"), std::string::npos);

  bool connected_event = false;
  for (const auto& e : b.events) connected_event |= e["event"] == "peer_connected" && e["peer"] == peer_a;
  EXPECT_TRUE(connected_event);

  b.send(json{{"id", 6}, {"cmd", "disconnect"}, {"peer", peer_a}}.dump());
  auto r6 = b.reply(6);
  ASSERT_TRUE(r6);
  EXPECT_EQ((*r6)["ok"], true);

  b.send(R"({"id":7,"cmd":"shutdown"})");
  auto r7 = b.reply(7);
  ASSERT_TRUE(r7);
  EXPECT_EQ((*r7)["ok"], true);
  EXPECT_EQ(b.wait_exit(), 0);
  // Closing stdin stops a node too.
  a.close_stdin();
  EXPECT_EQ(a.wait_exit(), 0);
}

TEST_F(NodeCli, PingCommand) {
  Process a(node_args("a.key"));
  auto la = a.read_line();
  ASSERT_TRUE(la);
  const std::string addr = json::parse(*la)["addrs"][0];
  Process ping({HBP2P_BINARY, "ping", addr, "--count", "3", "--interval-ms", "0"});
  std::vector<std::string> lines;
  while (auto l = ping.read_line()) lines.push_back(*l);
  EXPECT_EQ(ping.wait_exit(), 0);
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(lines.back().find("3/3 pings"), std::string::npos) << lines.back();
  Process bad({HBP2P_BINARY, "ping", "/ip4/127.0.0.1/tcp/1", "--count", "1"});
  EXPECT_EQ(bad.wait_exit(), 1);
}

}  // namespace
