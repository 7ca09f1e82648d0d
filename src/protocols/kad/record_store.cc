// Value records (see record_store.h). STUB: filled in next.
#include "protocols/kad/record_store.h"

namespace hauptbuch::p2p::kad {

Status RecordStore::put(const Record&, Time) { return Error(P2PNetworkError::Unsupported, "kad: not implemented yet"); }
std::optional<Record> RecordStore::get(ByteSpan, Time) const { return std::nullopt; }
Status RecordStore::validate(const Record& r) const { return validator_ ? validator_(r) : Status{}; }
size_t RecordStore::expire(Time) { return 0; }

}  // namespace hauptbuch::p2p::kad
