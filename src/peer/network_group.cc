// Network groups (see network_group.h).
#include "peer/network_group.h"

#include <algorithm>
#include <cctype>

namespace hauptbuch::p2p::peer {

bool is_local_ip4(const uint8_t ip[4]) {
  return ip[0] == 0 || ip[0] == 10 || ip[0] == 127 ||
         (ip[0] == 172 && (ip[1] & 0xf0) == 16) || (ip[0] == 192 && ip[1] == 168) ||
         (ip[0] == 169 && ip[1] == 254) || (ip[0] == 100 && (ip[1] & 0xc0) == 64);
}

bool is_local_ip6(const uint8_t ip[16]) {
  const bool zero_prefix = std::all_of(ip, ip + 15, [](uint8_t b) { return b == 0; });
  if (zero_prefix && (ip[15] == 0 || ip[15] == 1)) return true;  // :: and ::1
  if ((ip[0] & 0xfe) == 0xfc) return true;                        // fc00::/7 ULA
  if (ip[0] == 0xfe && (ip[1] & 0xc0) == 0x80) return true;       // fe80::/10
  return false;
}

namespace {

bool is_v4_mapped(const uint8_t ip[16]) {
  return std::all_of(ip, ip + 10, [](uint8_t b) { return b == 0; }) && ip[10] == 0xff &&
         ip[11] == 0xff;
}

// A local address is its own group: the whole address bytes (ip and port).
NetGroup local_group(const Multiaddr& addr) {
  const Multiaddr transport = addr.without_p2p();
  const Bytes& b = transport.bytes();
  std::string key(1 + b.size(), 'L');
  std::copy(b.begin(), b.end(), key.begin() + 1);
  return {AddrClass::Local, std::move(key)};
}

NetGroup ip4_group(const Multiaddr& addr, const uint8_t* ip) {
  if (is_local_ip4(ip)) return local_group(addr);
  std::string key(3, '4');
  key[1] = static_cast<char>(ip[0]);
  key[2] = static_cast<char>(ip[1]);
  return {AddrClass::Public, std::move(key)};
}

}  // namespace

NetGroup network_group(const Multiaddr& addr) {
  for (const auto& c : addr.components()) {
    switch (c.proto) {
      case Proto::Ip6zone:
        return local_group(addr);
      case Proto::Ip4:
        if (c.value.size() != 4) return {};
        return ip4_group(addr, c.value.data());
      case Proto::Ip6: {
        if (c.value.size() != 16) return {};
        const uint8_t* ip = c.value.data();
        if (is_v4_mapped(ip)) return ip4_group(addr, ip + 12);
        if (is_local_ip6(ip)) return local_group(addr);
        std::string key(5, '6');
        std::copy(ip, ip + 4, key.begin() + 1);
        return {AddrClass::Public, std::move(key)};
      }
      case Proto::Dns:
      case Proto::Dns4:
      case Proto::Dns6:
      case Proto::Dnsaddr: {
        std::string name(c.value.begin(), c.value.end());
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        name.insert(name.begin(), 'D');
        return {AddrClass::Dns, std::move(name)};
      }
      default:
        return {};
    }
  }
  return {};
}

}  // namespace hauptbuch::p2p::peer
