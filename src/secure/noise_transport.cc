// NoiseTransport (see noise_transport.h).
#include "secure/noise_transport.h"

#include <algorithm>

namespace hauptbuch::p2p::secure {
namespace {

size_t frame_length(const uint8_t* header) {
  return (static_cast<size_t>(header[0]) << 8) | header[1];
}

}  // namespace

size_t noise_sealed_size(size_t plaintext_size) noexcept {
  const size_t frames = plaintext_size == 0 ? 1 : (plaintext_size + kNoiseMaxPlaintext - 1) / kNoiseMaxPlaintext;
  return plaintext_size + frames * (kNoiseFrameHeaderSize + kNoiseTagSize);
}

NoiseTransport::NoiseTransport(NoiseCipherState send, NoiseCipherState recv,
                               crypto::PublicKey remote_identity, std::string protocol)
    : send_(std::move(send)),
      recv_(std::move(recv)),
      remote_identity_(std::move(remote_identity)),
      remote_peer_(PeerId::from_public_key(remote_identity_)),
      protocol_(std::move(protocol)) {}

Status NoiseTransport::encrypt(ByteSpan plaintext, Bytes& out) {
  const size_t old = out.size();
  out.resize(old + noise_sealed_size(plaintext.size()));
  auto st = encrypt_into(plaintext, MutableByteSpan(out).subspan(old));
  if (!st) out.resize(old);
  return st;
}

Status NoiseTransport::encrypt_into(ByteSpan plaintext, MutableByteSpan out) {
  const ByteSpan one[] = {plaintext};
  return encrypt_gather_into(one, out);
}

Status NoiseTransport::encrypt_gather_into(std::span<const ByteSpan> pieces, MutableByteSpan out) {
  size_t total = 0;
  for (const ByteSpan& p : pieces) total += p.size();
  if (out.size() < noise_sealed_size(total))
    return Status(P2PNetworkError::ResourceLimitExceeded, "noise: output span too small");
  uint8_t* dst = out.data();
  // Cursor over the pieces: piece `pi`, offset `po` inside it. Each frame takes the next
  // kNoiseMaxPlaintext bytes as sub-spans of the pieces (a frame spans few pieces: callers
  // borrow only large buffers, so frame_pieces_ stays a few entries long).
  size_t pi = 0, po = 0, off = 0;
  do {
    const size_t n = std::min(kNoiseMaxPlaintext, total - off);
    frame_pieces_.clear();
    for (size_t need = n; need > 0;) {
      if (po == pieces[pi].size()) {
        ++pi;
        po = 0;
        continue;
      }
      const size_t take = std::min(need, pieces[pi].size() - po);
      frame_pieces_.push_back(pieces[pi].subspan(po, take));
      po += take;
      need -= take;
    }
    const size_t len = n + kNoiseTagSize;
    dst[0] = static_cast<uint8_t>(len >> 8);
    dst[1] = static_cast<uint8_t>(len & 0xff);
    HBP2P_TRY(send_.encrypt_gather_to({}, frame_pieces_, dst + kNoiseFrameHeaderSize));
    dst += kNoiseFrameHeaderSize + len;
    off += n;
  } while (off < total);
  return ok_status();
}

Result<size_t> NoiseTransport::open_frame(ByteSpan frame, uint8_t* dst) {
  if (frame.size() < kNoiseTagSize) {
    failed_ = true;
    return Error(P2PNetworkError::InvalidMessage, "noise: frame shorter than the tag");
  }
  if (auto st = recv_.decrypt_to({}, frame, dst); !st) {
    failed_ = true;
    return std::move(st).error();
  }
  return frame.size() - kNoiseTagSize;
}

Status NoiseTransport::decrypt(ByteSpan in, Bytes& out) {
  const size_t old = out.size();
  out.resize(old + max_opened_size(in.size()));
  auto n = decrypt_into(in, MutableByteSpan(out).subspan(old));
  out.resize(n.ok() ? old + *n : old);
  if (!n.ok()) return std::move(n).error();
  return ok_status();
}

Result<size_t> NoiseTransport::decrypt_into(ByteSpan in, MutableByteSpan out) {
  if (failed_) return Error(P2PNetworkError::SecurityValidationFailed, "noise: transport already failed");
  if (out.size() < max_opened_size(in.size()))
    return Error(P2PNetworkError::ResourceLimitExceeded, "noise: output span too small");
  // Every frame's plaintext is shorter than its ciphertext, so writing at `pos` never passes
  // the bound checked above.
  size_t pos = 0;
  while (!in.empty()) {
    if (partial_.empty()) {
      // Fast path: a whole frame in the input is opened straight into `out`.
      if (in.size() >= kNoiseFrameHeaderSize) {
        const size_t len = frame_length(in.data());
        if (in.size() - kNoiseFrameHeaderSize >= len) {
          HBP2P_TRY_ASSIGN(const size_t n, open_frame(in.subspan(kNoiseFrameHeaderSize, len), out.data() + pos));
          pos += n;
          in = in.subspan(kNoiseFrameHeaderSize + len);
          continue;
        }
      }
      // The frame continues in a later read: keep what we have (one frame at most).
      partial_.reserve(in.size() < kNoiseFrameHeaderSize
                           ? kNoiseFrameHeaderSize
                           : kNoiseFrameHeaderSize + frame_length(in.data()));
    }
    // Slow path: complete the header, then the frame.
    if (partial_.size() < kNoiseFrameHeaderSize) {
      const size_t n = std::min(kNoiseFrameHeaderSize - partial_.size(), in.size());
      partial_.insert(partial_.end(), in.begin(), in.begin() + static_cast<std::ptrdiff_t>(n));
      in = in.subspan(n);
      if (partial_.size() < kNoiseFrameHeaderSize) break;
      partial_.reserve(kNoiseFrameHeaderSize + frame_length(partial_.data()));
    }
    const size_t want = kNoiseFrameHeaderSize + frame_length(partial_.data()) - partial_.size();
    const size_t n = std::min(want, in.size());
    partial_.insert(partial_.end(), in.begin(), in.begin() + static_cast<std::ptrdiff_t>(n));
    in = in.subspan(n);
    if (n < want) break;
    Bytes frame = std::exchange(partial_, {});  // an idle connection keeps no frame buffer
    HBP2P_TRY_ASSIGN(const size_t m, open_frame(ByteSpan(frame).subspan(kNoiseFrameHeaderSize), out.data() + pos));
    pos += m;
  }
  return pos;
}

}  // namespace hauptbuch::p2p::secure
