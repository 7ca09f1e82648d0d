// Value records (see record_store.h).
#include "protocols/kad/record_store.h"

namespace hauptbuch::p2p::kad {

Status RecordStore::validate(const Record& r) const { return validator_ ? validator_(r) : ok_status(); }

Status RecordStore::put(const Record& record, Time now) {
  if (record.key.empty() || record.key.size() > kMaxKeyBytes)
    return Error(P2PNetworkError::InvalidMessage, "kad records: empty or oversized key");
  if (record.value.size() > cfg_.max_value_bytes)
    return Error(P2PNetworkError::InvalidMessage, "kad records: value too large");
  HBP2P_TRY(validate(record));
  auto it = records_.find(record.key);
  if (it == records_.end()) {
    if (records_.size() >= cfg_.max_records) {
      expire(now);
      if (records_.size() >= cfg_.max_records)
        return Error(P2PNetworkError::ResourceLimitExceeded, "kad records: store full");
    }
    records_.emplace(record.key, Entry{record, now + cfg_.ttl});
  } else {
    it->second = Entry{record, now + cfg_.ttl};
  }
  return ok_status();
}

std::optional<Record> RecordStore::get(ByteSpan key, Time now) const {
  auto it = records_.find(Bytes(key.begin(), key.end()));
  if (it == records_.end() || it->second.expires <= now) return std::nullopt;
  return it->second.record;
}

size_t RecordStore::expire(Time now) {
  return std::erase_if(records_, [&](const auto& kv) { return kv.second.expires <= now; });
}

}  // namespace hauptbuch::p2p::kad
