// Fuzz target: key-file loading (src/crypto/key_file.h) on arbitrary file contents, and the
// PrivateKey/PublicKey decoders behind it (Ed25519 and hybrid types). The seed corpus holds an
// Ed25519 key only: a valid hybrid private key costs an ML-DSA-65 key generation (~20 ms under
// ASan) per mutation, which would push the 20,000-run smoke test past its time limit.
// Invariants: no crash; a key that loads re-encodes to exactly the file's bytes (the codec is
// canonical).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "crypto/key_file.h"

using namespace hauptbuch::p2p;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // A RAM-backed directory when there is one: on a disk-backed /tmp the smoke run is 20x slower.
  static const std::string dir = ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  static const std::string path =
      dir + "/hbp2p-key-file-fuzz-" + std::to_string(getpid()) + ".key";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return 0;
  const bool written = ::write(fd, data, size) == static_cast<ssize_t>(size);
  ::close(fd);
  if (!written) return 0;
  auto key = crypto::read_key_file(path);
  if (key.ok()) {
    const Bytes again = key->to_protobuf();
    if (again.size() != size || !std::equal(again.begin(), again.end(), data)) std::abort();
    (void)key->public_key().to_protobuf();
  }
  (void)crypto::PublicKey::from_protobuf(ByteSpan(data, size));
  return 0;
}
