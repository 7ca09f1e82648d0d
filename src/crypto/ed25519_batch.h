// Ed25519 (RFC 8032, pure) signature verification, one at a time or many at once.
//
// Why our own: gossipsub's StrictSign checks one signature per message, and libsodium's
// verification (about 55 µs on our 2-core machine) bounds a node at fewer than 20,000 messages
// per second per core. Checking n signatures together costs far less than n single checks:
// with random 128-bit z_i (unknown to the signers) one multi-scalar multiplication tests
//   [8] ( [-sum z_i s_i] B + sum [z_i] R_i + sum [z_i k_i] A_i ) = identity,
// where k_i = SHA-512(R_i || A_i || M_i) mod L; signatures by the same key share one A term.
// If it holds, all are valid except with probability about 2^-128; if not, the items are
// checked one by one (verify_each) to find the bad ones.
//
// Semantics (the same for single and batch checks, so the outcome never depends on batching):
//  - S must be canonical (S < L); A and R must be canonical encodings of curve points and not
//    of small order;
//  - the group equation is RFC 8032's cofactored one, [8][S]B = [8]R + [8][k]A (section
//    5.1.7 names it; the cofactorless form is allowed but not required). Honest signatures pass
//    both; they differ only for signatures built with torsion components, which libsodium's
//    cofactorless check refuses and this one accepts (libdecaf and ZIP-215 verifiers behave
//    like ours).
// Variable time (all inputs are public). Thread-safe. Never throws.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "util/bytes.h"

namespace hauptbuch::p2p::crypto {

struct Ed25519Item {
  ByteSpan public_key;  // 32 bytes
  ByteSpan message;
  ByteSpan signature;   // 64 bytes
};

// True iff every item is valid (an empty batch is). Malformed sizes make the batch invalid.
bool ed25519_verify_batch(std::span<const Ed25519Item> items);
// One item. A valid signature is settled by libsodium's faster single check (which accepts a
// subset of what we accept: the fuzz target checks that); whatever it refuses gets our own check.
bool ed25519_verify_one(const Ed25519Item& item);
// One item with our arithmetic only (tests and fuzzing compare it with libsodium).
bool ed25519_verify_one_own(const Ed25519Item& item);
// Per item: one batch check, then single checks if the batch fails.
std::vector<bool> ed25519_verify_each(std::span<const Ed25519Item> items);

}  // namespace hauptbuch::p2p::crypto
