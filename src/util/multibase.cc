// Multibase prefix dispatch over the strict base codecs.
#include "util/multibase.h"

#include <algorithm>
#include <cctype>

#include "util/base32.h"
#include "util/base58.h"
#include "util/base64.h"

namespace hauptbuch::p2p::multibase {

std::string encode(Base base, ByteSpan data) {
  std::string out(1, static_cast<char>(base));
  switch (base) {
    case Base::Base58Btc: out += base58::encode(data); break;
    case Base::Base32: out += base32::encode_lower(data); break;
    case Base::Base32Upper: {
      std::string s = base32::encode_lower(data);
      for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out += s;
      break;
    }
    case Base::Base64: out += base64::encode(data, false, false); break;
    case Base::Base64Url: out += base64::encode(data, true, false); break;
    case Base::Base64UrlPad: out += base64::encode(data, true, true); break;
    case Base::Base16: out += to_hex(data); break;
  }
  return out;
}

Result<Bytes> decode(std::string_view text) {
  if (text.empty()) return {P2PNetworkError::InvalidMessage, "multibase: empty input"};
  const std::string_view body = text.substr(1);
  switch (text[0]) {
    case 'z': return base58::decode(body);
    case 'b':
      if (std::any_of(body.begin(), body.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
        return {P2PNetworkError::InvalidMessage, "multibase: upper case in base32 ('b')"};
      }
      return base32::decode(body);
    case 'B':
      if (std::any_of(body.begin(), body.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
        return {P2PNetworkError::InvalidMessage, "multibase: lower case in base32upper ('B')"};
      }
      return base32::decode(body);
    case 'm':
    case 'u':
      if (body.find('=') != std::string_view::npos) {
        return {P2PNetworkError::InvalidMessage, "multibase: padding in unpadded base64"};
      }
      return base64::decode(body, text[0] == 'u');
    case 'U':
      if (body.size() % 4 != 0) {
        return {P2PNetworkError::InvalidMessage, "multibase: base64urlpad without full padding"};
      }
      return base64::decode(body, true);
    case 'f': {
      if (std::any_of(body.begin(), body.end(), [](char c) { return c >= 'A' && c <= 'F'; })) {
        return {P2PNetworkError::InvalidMessage, "multibase: upper case in base16 ('f')"};
      }
      auto b = from_hex(body);
      if (!b) return {P2PNetworkError::InvalidMessage, "multibase: invalid base16"};
      return std::move(*b);
    }
    default: return {P2PNetworkError::Unsupported, "multibase: unknown prefix"};
  }
}

}  // namespace hauptbuch::p2p::multibase
