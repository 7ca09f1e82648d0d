// Fuzz target: multibase / base58 / base32 / base64 decoding and multihash parsing.
// Invariants: no crash, no UB, no out-of-bounds read; whatever a canonical base decodes
// re-encodes to exactly the same text; a parsed multihash re-encodes to the same bytes.
#include <cstdlib>
#include <string>

#include "util/base32.h"
#include "util/base58.h"
#include "util/base64.h"
#include "util/multibase.h"
#include "util/multihash.h"

using namespace hauptbuch::p2p;

namespace {

void check_equal(const std::string& a, std::string_view b) {
  if (a != b) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteSpan in(data, size);
  const std::string_view text = as_string_view(in);

  // Multibase: every supported prefix is canonical in our strict decoder.
  auto mb = multibase::decode(text);
  if (mb.ok()) {
    check_equal(multibase::encode(static_cast<multibase::Base>(text[0]), *mb), text);
  }

  // Raw codecs on the whole input.
  if (auto d = base58::decode(text); d.ok()) check_equal(base58::encode(*d), text);
  if (auto d = base32::decode(text); d.ok()) {
    std::string lower(text);
    for (char& c : lower) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    check_equal(base32::encode_lower(*d), lower);
  }
  for (bool url : {false, true}) {
    if (auto d = base64::decode(text, url); d.ok()) {
      const bool padded = !text.empty() && text.back() == '=';
      const std::string re = base64::encode(*d, url, padded);
      // Unpadded input whose length is a multiple of 4 needs no padding either way.
      if (re != text && base64::encode(*d, url, !padded) != text) std::abort();
    }
  }

  // Multihash: parse -> encode is the identity.
  auto mh = Multihash::parse(in);
  if (mh.ok()) {
    const Bytes re = mh->encode();
    if (re.size() != size || !std::equal(re.begin(), re.end(), data)) std::abort();
  }
  return 0;
}
