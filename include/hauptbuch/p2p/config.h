/// @file
/// P2PNetworkConfig: every setting of a node, with the specification's defaults.
///
/// Loaded from a TOML file (load_config_file), then overridden by command-line flags, then
/// checked by validate(). Every limit says why it has its value. docs/config.md lists every
/// key; a test checks that list against this struct.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hauptbuch/p2p/result.h"

namespace hauptbuch::p2p {

/// Which secure channels a node offers and accepts (see docs/wire/pq-handshake.md).
enum class SecurityMode { Pq, Noise, Both };

struct P2PNetworkConfig {
  /// --- the specification's settings ---
  uint32_t max_peers = 1000;
  std::chrono::milliseconds connection_timeout{30'000};
  std::chrono::milliseconds message_timeout{60'000};
  std::chrono::milliseconds discovery_timeout{120'000};
  /// A node with its own io_context runs handshake steps and gossipsub signature checks on a
  /// work pool of the hardware's threads, and connect_to_peers dials all addresses at once.
  bool enable_parallel_processing = true;
  bool enable_security_optimization = true;

  /// --- identity and addresses ---
  std::string key_file;                     ///< path of the identity key (hbp2p keygen)
  std::vector<std::string> listen_addrs;    ///< multiaddrs, e.g. /ip4/0.0.0.0/tcp/4001
  std::vector<std::string> bootstrap_peers; ///< multiaddrs with `/p2p/<peer id>`
  SecurityMode security = SecurityMode::Both;

  /// --- connection limits (why: an attacker controls inbound, we control outbound) ---
  uint32_t max_inbound = 800;         ///< inbound share of max_peers
  uint32_t max_outbound = 200;        ///< outbound share of max_peers
  /// Outbound peers the peer manager keeps dialling for (from the address store, at most 2
  /// per network group): Bitcoin Core keeps 8 full-relay outbound peers for the same reason.
  uint32_t outbound_target = 8;
  uint32_t max_inbound_per_ip = 8;    ///< one host cannot take many slots
  uint32_t max_inbound_per_subnet = 32;  ///< per /24 (IPv4) or /48 (IPv6)
  std::chrono::milliseconds handshake_timeout{10'000};  ///< slow-loris bound
  /// A connection with no open stream for this long is closed (GoAway). Gossip keeps a stream to
  /// every gossipsub peer, so this ends connections nothing uses (checked every second).
  std::chrono::milliseconds idle_timeout{300'000};

  /// --- chains served by this node (cross-chain namespaces) ---
  std::vector<std::string> chains;

  /// --- operations ---
  std::string log_level = "info";     // trace, debug, info, warn, error, off
  std::string metrics_addr;           ///< empty: no /metrics endpoint
  std::string data_dir;               ///< peer store and other state; empty: in memory

  /// Checks every value; the error names the key and the reason.
  Status validate() const;
};

/// Reads a TOML file into a config that starts from the defaults. Unknown keys are an error
/// (a typo must not silently leave a default in place).
Result<P2PNetworkConfig> load_config_file(const std::string& path);
/// Same, from TOML text (`origin` names it in error messages).
Result<P2PNetworkConfig> parse_config(std::string_view toml_text, std::string_view origin = "config");

std::string_view to_string(SecurityMode m) noexcept;
Result<SecurityMode> parse_security_mode(std::string_view s);

}  // namespace hauptbuch::p2p
