// Value records for PUT_VALUE / GET_VALUE (libp2p kad-dht spec "Value storage and retrieval"),
// with a validator hook (namespace-specific checks such as /pk or /ipns are the caller's), expiry
// and bounds on count, key and value size. Must never: store a record its validator refused, grow
// beyond max_records, block, or read a clock. Not thread-safe (one owner).
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>

#include "hauptbuch/p2p/result.h"
#include "protocols/kad/kad_message.h"
#include "util/clock.h"

namespace hauptbuch::p2p::kad {

// go-libp2p-kad-dht drops stored values after 48 h unless republished (same as providers).
inline constexpr Duration kRecordTtl = std::chrono::hours(48);

// Checks a record before it is stored or accepted from a lookup. Return an error to refuse.
using RecordValidator = std::function<Status(const Record&)>;

struct RecordStoreConfig {
  Duration ttl = kRecordTtl;
  // Records kept: at most kMaxRecordValueBytes each, 4096 x 48 KiB bounds the store to 192 MiB
  // in the worst case; typical values (public keys, IPNS) are < 1 KiB.
  size_t max_records = 4096;
  size_t max_value_bytes = kMaxRecordValueBytes;
};

class RecordStore {
 public:
  // `validator` may be empty (accept every record within the bounds).
  explicit RecordStore(RecordStoreConfig cfg = {}, RecordValidator validator = {})
      : cfg_(cfg), validator_(std::move(validator)) {}

  // Stores (or replaces) the record under record.key. Errors: InvalidMessage (empty or oversized
  // key or value), the validator's error, ResourceLimitExceeded (store full, new key).
  Status put(const Record& record, Time now);
  // The unexpired record of `key`, if any.
  std::optional<Record> get(ByteSpan key, Time now) const;
  // Runs the validator (success if none).
  Status validate(const Record& record) const;
  size_t expire(Time now);
  size_t size() const noexcept { return records_.size(); }

 private:
  struct Entry {
    Record record;
    Time expires;
  };
  RecordStoreConfig cfg_;
  RecordValidator validator_;
  std::map<Bytes, Entry, BytesLess> records_;
};

}  // namespace hauptbuch::p2p::kad
