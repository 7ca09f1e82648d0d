// Fuzz target: hostile bytes into the /noise frame decoder and ChaChaPoly CipherState decrypt
// (fixed key). Must never crash, leak or buffer more than one frame.
#include <cstddef>
#include <cstdint>

#include "secure/noise_frame.h"

using namespace hauptbuch::p2p;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  secure::NoiseFrameDecoder dec;
  secure::NoiseCipherState cs;
  const Bytes key(secure::kNoiseKeySize, 0x42);
  cs.initialize_key(key);
  ByteSpan in(data, size);
  while (!in.empty()) {
    const size_t used = dec.push(in);
    in = in.subspan(used);
    if (dec.has_frame()) {
      Bytes frame = dec.take_frame();
      Bytes out;
      (void)cs.decrypt_with_ad({}, frame, out);
    }
    if (used == 0) break;
  }
  return 0;
}
