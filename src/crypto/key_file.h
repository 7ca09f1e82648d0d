// Private identity key files: the file holds exactly the libp2p PrivateKey protobuf bytes.
// Files are created atomically with mode 0600 and refused on read if group or others have any
// permission, so a key never silently lives in a world-readable file. Never logs key bytes.
// Thread-safety: functions are independent; concurrent writers to one path race on rename.
#pragma once

#include <string>

#include "crypto/identity.h"
#include "hauptbuch/p2p/result.h"

namespace hauptbuch::p2p::crypto {

// Largest key file we read: the same bound as any encoded key (an Ed25519 key is 68 bytes).
inline constexpr size_t kMaxKeyFileSize = kMaxEncodedKeySize;

// Writes `key` to `path` via a 0600 temp file in the same directory (O_CREAT|O_EXCL, write,
// fsync, then rename/link). Refuses to replace an existing file unless `force`.
// Errors: IoFailed (file exists without force, or any failing system call, with errno text).
Status write_key_file(const std::string& path, const PrivateKey& key, bool force);

// Reads and decodes a key file. Errors: InvalidKey if the mode grants group/other any
// permission (detail names the mode and suggests `chmod 600 <path>`), if the file is not a
// regular file, is larger than kMaxKeyFileSize or its contents do not decode; IoFailed when
// the file cannot be opened or read.
Result<PrivateKey> read_key_file(const std::string& path);

}  // namespace hauptbuch::p2p::crypto
