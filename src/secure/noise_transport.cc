// NoiseTransport (see noise_transport.h).
#include "secure/noise_transport.h"

namespace hauptbuch::p2p::secure {

NoiseTransport::NoiseTransport(NoiseCipherState send, NoiseCipherState recv,
                               crypto::PublicKey remote_identity, std::string protocol)
    : send_(std::move(send)),
      recv_(std::move(recv)),
      remote_identity_(std::move(remote_identity)),
      remote_peer_(PeerId::from_public_key(remote_identity_)),
      protocol_(std::move(protocol)) {}

Status NoiseTransport::encrypt(ByteSpan plaintext, Bytes& out) {
  Bytes ct;
  size_t off = 0;
  do {
    const size_t n = std::min(kNoiseMaxPlaintext, plaintext.size() - off);
    ct.clear();
    HBP2P_TRY(send_.encrypt_with_ad({}, plaintext.subspan(off, n), ct));
    HBP2P_TRY(append_noise_frame(ct, out));
    off += n;
  } while (off < plaintext.size());
  return ok_status();
}

Status NoiseTransport::decrypt(ByteSpan in, Bytes& out) {
  if (failed_) return Status(P2PNetworkError::SecurityValidationFailed, "noise: transport already failed");
  while (!in.empty()) {
    const size_t used = frames_.push(in);
    in = in.subspan(used);
    if (!frames_.has_frame()) break;
    const Bytes frame = frames_.take_frame();
    if (auto st = recv_.decrypt_with_ad({}, frame, out); !st) {
      failed_ = true;
      return st;
    }
  }
  return ok_status();
}

}  // namespace hauptbuch::p2p::secure
