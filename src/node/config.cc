// Loading and validating P2PNetworkConfig from TOML (toml++).
#include "hauptbuch/p2p/config.h"

#include <fmt/format.h>

#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <toml++/toml.h>

namespace hauptbuch::p2p {
namespace {

using Setter = std::function<Status(const toml::node&, P2PNetworkConfig&)>;

Error bad(std::string_view key, std::string_view why) {
  return Error(P2PNetworkError::InvalidConfig, fmt::format("key '{}': {}", key, why));
}

template <typename T>
Setter uint_key(std::string key, T P2PNetworkConfig::*field) {
  return [key, field](const toml::node& n, P2PNetworkConfig& c) -> Status {
    auto v = n.value<int64_t>();
    if (!v || !n.is_integer()) return bad(key, "must be an integer");
    if (*v < 0 || static_cast<uint64_t>(*v) > std::numeric_limits<T>::max())
      return bad(key, "out of range");
    c.*field = static_cast<T>(*v);
    return ok_status();
  };
}

Setter ms_key(std::string key, std::chrono::milliseconds P2PNetworkConfig::*field) {
  return [key, field](const toml::node& n, P2PNetworkConfig& c) -> Status {
    auto v = n.value<int64_t>();
    if (!v || !n.is_integer()) return bad(key, "must be an integer number of milliseconds");
    if (*v <= 0) return bad(key, "must be > 0");
    c.*field = std::chrono::milliseconds(*v);
    return ok_status();
  };
}

Setter bool_key(std::string key, bool P2PNetworkConfig::*field) {
  return [key, field](const toml::node& n, P2PNetworkConfig& c) -> Status {
    if (!n.is_boolean()) return bad(key, "must be true or false");
    c.*field = *n.value<bool>();
    return ok_status();
  };
}

Setter string_key(std::string key, std::string P2PNetworkConfig::*field) {
  return [key, field](const toml::node& n, P2PNetworkConfig& c) -> Status {
    if (!n.is_string()) return bad(key, "must be a string");
    c.*field = *n.value<std::string>();
    return ok_status();
  };
}

Setter strings_key(std::string key, std::vector<std::string> P2PNetworkConfig::*field) {
  return [key, field](const toml::node& n, P2PNetworkConfig& c) -> Status {
    const toml::array* arr = n.as_array();
    if (arr == nullptr) return bad(key, "must be an array of strings");
    std::vector<std::string> out;
    for (const toml::node& e : *arr) {
      if (!e.is_string()) return bad(key, "must be an array of strings");
      out.push_back(*e.value<std::string>());
    }
    c.*field = std::move(out);
    return ok_status();
  };
}

const std::map<std::string, Setter, std::less<>>& setters() {
  using C = P2PNetworkConfig;
  static const std::map<std::string, Setter, std::less<>> table = {
      {"max_peers", uint_key("max_peers", &C::max_peers)},
      {"connection_timeout_ms", ms_key("connection_timeout_ms", &C::connection_timeout)},
      {"message_timeout_ms", ms_key("message_timeout_ms", &C::message_timeout)},
      {"discovery_timeout_ms", ms_key("discovery_timeout_ms", &C::discovery_timeout)},
      {"enable_parallel_processing", bool_key("enable_parallel_processing", &C::enable_parallel_processing)},
      {"enable_security_optimization",
       bool_key("enable_security_optimization", &C::enable_security_optimization)},
      {"key_file", string_key("key_file", &C::key_file)},
      {"listen", strings_key("listen", &C::listen_addrs)},
      {"bootstrap", strings_key("bootstrap", &C::bootstrap_peers)},
      {"security",
       [](const toml::node& n, C& c) -> Status {
         if (!n.is_string()) return bad("security", "must be one of \"pq\", \"noise\", \"both\"");
         auto m = parse_security_mode(*n.value<std::string>());
         if (!m) return bad("security", "must be one of \"pq\", \"noise\", \"both\"");
         c.security = *m;
         return ok_status();
       }},
      {"max_inbound", uint_key("max_inbound", &C::max_inbound)},
      {"max_outbound", uint_key("max_outbound", &C::max_outbound)},
      {"outbound_target", uint_key("outbound_target", &C::outbound_target)},
      {"max_inbound_per_ip", uint_key("max_inbound_per_ip", &C::max_inbound_per_ip)},
      {"max_inbound_per_subnet", uint_key("max_inbound_per_subnet", &C::max_inbound_per_subnet)},
      {"handshake_timeout_ms", ms_key("handshake_timeout_ms", &C::handshake_timeout)},
      {"idle_timeout_ms", ms_key("idle_timeout_ms", &C::idle_timeout)},
      {"chains", strings_key("chains", &C::chains)},
      {"log_level", string_key("log_level", &C::log_level)},
      {"metrics_addr", string_key("metrics_addr", &C::metrics_addr)},
      {"data_dir", string_key("data_dir", &C::data_dir)},
  };
  return table;
}

bool valid_chain_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char ch : id) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string_view to_string(SecurityMode m) noexcept {
  switch (m) {
    case SecurityMode::Pq: return "pq";
    case SecurityMode::Noise: return "noise";
    case SecurityMode::Both: return "both";
  }
  return "both";
}

Result<SecurityMode> parse_security_mode(std::string_view s) {
  if (s == "pq") return SecurityMode::Pq;
  if (s == "noise") return SecurityMode::Noise;
  if (s == "both") return SecurityMode::Both;
  return Error(P2PNetworkError::InvalidConfig,
               fmt::format("security mode '{}': must be pq, noise or both", s));
}

Status P2PNetworkConfig::validate() const {
  if (max_peers == 0) return bad("max_peers", "must be > 0");
  if (max_inbound > max_peers) return bad("max_inbound", "must be <= max_peers");
  if (max_outbound > max_peers) return bad("max_outbound", "must be <= max_peers");
  if (outbound_target > max_outbound) return bad("outbound_target", "must be <= max_outbound");
  if (max_inbound_per_ip == 0) return bad("max_inbound_per_ip", "must be > 0");
  if (max_inbound_per_subnet < max_inbound_per_ip)
    return bad("max_inbound_per_subnet", "must be >= max_inbound_per_ip");
  if (handshake_timeout > connection_timeout)
    return bad("handshake_timeout_ms", "must be <= connection_timeout_ms");
  static constexpr std::string_view kLevels[] = {"trace", "debug", "info", "warn",
                                                 "error", "critical", "off"};
  bool level_ok = false;
  for (auto l : kLevels) level_ok |= (l == log_level);
  if (!level_ok) return bad("log_level", "must be one of trace, debug, info, warn, error, critical, off");
  for (const auto& chain : chains)
    if (!valid_chain_id(chain))
      return bad("chains", fmt::format("'{}' is not a chain id (1-64 of a-z 0-9 - _)", chain));
  return ok_status();
}

Result<P2PNetworkConfig> parse_config(std::string_view toml_text, std::string_view origin) {
  toml::table tbl;
  try {
    tbl = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return Error(P2PNetworkError::InvalidConfig,
                 fmt::format("{}:{}:{}: {}", origin, where.line, where.column, e.description()));
  }
  P2PNetworkConfig cfg;
  for (const auto& [key, node] : tbl) {
    auto it = setters().find(key.str());
    if (it == setters().end()) return bad(key.str(), "unknown key");
    HBP2P_TRY(it->second(node, cfg));
  }
  HBP2P_TRY(cfg.validate());
  return cfg;
}

Result<P2PNetworkConfig> load_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(P2PNetworkError::InvalidConfig, fmt::format("cannot read config file '{}'", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  static constexpr size_t kMaxConfigBytes = 1 << 20;  // a config is small; refuse surprises
  if (ss.str().size() > kMaxConfigBytes)
    return Error(P2PNetworkError::InvalidConfig, fmt::format("config file '{}' is larger than 1 MiB", path));
  return parse_config(ss.str(), path);
}

}  // namespace hauptbuch::p2p
