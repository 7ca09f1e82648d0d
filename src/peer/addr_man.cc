// AddrMan: bucketed new/tried address tables (see addr_man.h).
#include "peer/addr_man.h"

#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace hauptbuch::p2p::peer {
namespace {

using namespace std::chrono_literals;

constexpr Duration kHorizon = 24h * 30;       // not seen for this long: terrible
constexpr Duration kRecentTry = 1min;         // tried this recently: never terrible
constexpr Duration kRetryWindow = 24h * 7;    // window for counting repeated failures
constexpr uint32_t kMaxRetriesNeverGood = 3;  // failures without any success: terrible
constexpr uint32_t kMaxFailures = 10;         // failures in kRetryWindow: terrible
constexpr Duration kTryPenaltyWindow = 10min; // selection odds drop for recently tried entries
constexpr int kRandomBucketProbes = 64;       // random picks before a linear scan for an entry

std::string_view bytes_view(const Bytes& b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

std::string_view u64_view(const uint64_t& v) {
  return {reinterpret_cast<const char*>(&v), sizeof v};
}

// Splits "/…/tcp/N/p2p/<id>" into the transport address and the peer id bytes.
std::pair<Multiaddr, std::string> split_p2p(const Multiaddr& addr) {
  std::string peer;
  Multiaddr transport = addr.without_p2p();
  if (transport != addr) {
    if (auto v = addr.last_value(Proto::P2p)) peer.assign(v->begin(), v->end());
  }
  return {std::move(transport), std::move(peer)};
}

}  // namespace

AddrMan::AddrMan(std::array<uint8_t, kSecretSize> secret)
    : secret_(secret),
      new_table_(kNewBuckets * kBucketSize, 0),
      tried_table_(kTriedBuckets * kBucketSize, 0) {
  static const int init = sodium_init();  // idempotent, thread-safe in libsodium
  (void)init;
}

std::array<uint8_t, kSecretSize> AddrMan::random_secret(RandomSource& rng) {
  std::array<uint8_t, kSecretSize> s{};
  rng.fill(s);
  return s;
}

uint64_t AddrMan::hash(std::initializer_list<std::string_view> parts) const {
  static_assert(crypto_shorthash_KEYBYTES == kSecretSize);
  // Each part is length-prefixed so that different splits of the same bytes never collide.
  std::string buf;
  for (std::string_view p : parts) {
    const uint32_t n = static_cast<uint32_t>(p.size());
    buf.append(reinterpret_cast<const char*>(&n), sizeof n);
    buf.append(p);
  }
  uint8_t out[crypto_shorthash_BYTES];
  crypto_shorthash(out, reinterpret_cast<const uint8_t*>(buf.data()), buf.size(), secret_.data());
  uint64_t v;
  std::memcpy(&v, out, sizeof v);
  return v;
}

size_t AddrMan::new_bucket(const NetGroup& group, const std::string& source_group) const {
  const uint64_t h1 = hash({"new1", group.key, source_group}) % kNewBucketsPerSourceGroup;
  return hash({"new2", source_group, u64_view(h1)}) % kNewBuckets;
}

size_t AddrMan::tried_bucket(const Multiaddr& addr, const NetGroup& group) const {
  const uint64_t h1 = hash({"tried1", bytes_view(addr.bytes())}) % kTriedBucketsPerGroup;
  return hash({"tried2", group.key, u64_view(h1)}) % kTriedBuckets;
}

size_t AddrMan::slot(bool tried, size_t bucket, const Multiaddr& addr) const {
  const uint64_t b = bucket;
  return hash({tried ? "slotT" : "slotN", u64_view(b), bytes_view(addr.bytes())}) % kBucketSize;
}

AddrMan::Id& AddrMan::slot_ref(bool tried, size_t bucket, size_t pos) {
  return (tried ? tried_table_ : new_table_)[bucket * kBucketSize + pos];
}

AddrMan::Id AddrMan::id_of(const Multiaddr& transport_addr) const {
  auto it = by_addr_.find(std::string(bytes_view(transport_addr.bytes())));
  return it == by_addr_.end() ? 0 : it->second;
}

bool AddrMan::is_terrible(const AddrInfo& a, Time now) {
  if (a.last_try != Time{} && now - a.last_try < kRecentTry) return false;
  if (now - a.last_seen > kHorizon) return true;
  if (a.last_success == Time{} && a.attempts >= kMaxRetriesNeverGood) return true;
  if (now - a.last_success > kRetryWindow && a.attempts >= kMaxFailures) return true;
  return false;
}

double AddrMan::chance(const AddrInfo& a, Time now) {
  double c = 1.0;
  if (a.last_try != Time{} && now - a.last_try < kTryPenaltyWindow) c *= 0.01;
  c *= std::pow(0.66, std::min<uint32_t>(a.attempts, 8));
  return c;
}

void AddrMan::erase(Id id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  Entry& e = it->second;
  Id& s = slot_ref(e.info.in_tried, e.bucket, e.pos);
  if (s == id) s = 0;
  (e.info.in_tried ? tried_count_ : new_count_)--;
  by_addr_.erase(std::string(bytes_view(e.info.addr.bytes())));
  entries_.erase(it);
}

bool AddrMan::insert_new(Entry e) {
  e.info.in_tried = false;
  e.bucket = new_bucket(e.group, e.info.source_group);
  e.pos = slot(false, e.bucket, e.info.addr);
  if (Id occupant = slot_ref(false, e.bucket, e.pos); occupant != 0) {
    // Only a terrible entry yields its slot; otherwise the newcomer is dropped.
    if (!is_terrible(entries_.at(occupant).info, e.info.last_seen)) return false;
    erase(occupant);
  }
  const Id id = next_id_++;
  by_addr_.emplace(std::string(bytes_view(e.info.addr.bytes())), id);
  slot_ref(false, e.bucket, e.pos) = id;
  entries_.emplace(id, std::move(e));
  ++new_count_;
  return true;
}

bool AddrMan::add(const Multiaddr& addr, const Multiaddr& source, Time now) {
  auto [transport, peer] = split_p2p(addr);
  if (!transport.tcp_endpoint()) return false;
  const NetGroup group = network_group(transport);
  const NetGroup src = network_group(source);
  if (group.cls == AddrClass::Unsupported || src.cls == AddrClass::Unsupported) return false;
  if (group.cls == AddrClass::Local && src.cls != AddrClass::Local) return false;
  if (Id id = id_of(transport); id != 0) {
    AddrInfo& info = entries_.at(id).info;
    info.last_seen = std::max(info.last_seen, now);
    if (info.peer.empty()) info.peer = std::move(peer);
    return false;
  }
  Entry e;
  e.info.addr = std::move(transport);
  e.info.peer = std::move(peer);
  e.info.source_group = src.key;
  e.info.last_seen = now;
  e.group = group;
  return insert_new(std::move(e));
}

void AddrMan::attempt(const Multiaddr& addr, Time now) {
  if (Id id = id_of(addr.without_p2p()); id != 0) {
    AddrInfo& info = entries_.at(id).info;
    info.last_try = now;
    ++info.attempts;
  }
}

void AddrMan::good(const Multiaddr& addr, Time now) {
  const Id id = id_of(addr.without_p2p());
  if (id == 0) return;
  Entry& e = entries_.at(id);
  e.info.last_success = now;
  e.info.last_try = now;
  e.info.last_seen = now;
  e.info.attempts = 0;
  if (e.info.in_tried) return;

  // Leave the new table, then take the tried slot, sending its occupant back to "new".
  slot_ref(false, e.bucket, e.pos) = 0;
  --new_count_;
  const size_t tb = tried_bucket(e.info.addr, e.group);
  const size_t tp = slot(true, tb, e.info.addr);
  if (Id old = slot_ref(true, tb, tp); old != 0) {
    Entry& o = entries_.at(old);
    slot_ref(true, tb, tp) = 0;
    --tried_count_;
    o.info.in_tried = false;
    o.bucket = new_bucket(o.group, o.info.source_group);
    o.pos = slot(false, o.bucket, o.info.addr);
    if (Id occupant = slot_ref(false, o.bucket, o.pos); occupant != 0) erase(occupant);
    slot_ref(false, o.bucket, o.pos) = old;
    ++new_count_;
  }
  e.info.in_tried = true;
  e.bucket = tb;
  e.pos = tp;
  slot_ref(true, tb, tp) = id;
  ++tried_count_;
}

void AddrMan::remove(const Multiaddr& addr) { erase(id_of(addr.without_p2p())); }

std::optional<AddrInfo> AddrMan::select(RandomSource& rng, Time now, bool new_only,
                                        const Filter& accept) const {
  if (new_count_ == 0 && (new_only || tried_count_ == 0)) return std::nullopt;
  double factor = 1.0;
  for (int tries = 0; tries < kMaxSelectTries; ++tries) {
    bool tried;
    if (new_only || tried_count_ == 0) tried = false;
    else if (new_count_ == 0) tried = true;
    else tried = rng.uniform(2) == 0;
    const std::vector<Id>& table = tried ? tried_table_ : new_table_;
    const size_t buckets = tried ? kTriedBuckets : kNewBuckets;

    // A random bucket with at least one entry: random probes first, then a linear scan from
    // a random start (the table is not empty, so the scan finds one).
    const size_t pos0 = rng.uniform(kBucketSize);
    Id found = 0;
    size_t b = rng.uniform(buckets);
    for (int probe = 0; probe <= kRandomBucketProbes && found == 0; ++probe) {
      if (probe == kRandomBucketProbes) {
        for (size_t k = 0; k < buckets && found == 0; ++k)
          for (size_t i = 0; i < kBucketSize && found == 0; ++i)
            found = table[((b + k) % buckets) * kBucketSize + (pos0 + i) % kBucketSize];
        break;
      }
      for (size_t i = 0; i < kBucketSize && found == 0; ++i)
        found = table[b * kBucketSize + (pos0 + i) % kBucketSize];
      b = rng.uniform(buckets);
    }
    if (found == 0) return std::nullopt;  // unreachable while counts are consistent
    const AddrInfo& info = entries_.at(found).info;
    if (accept && !accept(info)) continue;
    // Accept with probability chance * factor; factor grows so the loop ends quickly even
    // when every entry has failed recently.
    const double r = static_cast<double>(rng.uniform(1u << 30)) / static_cast<double>(1u << 30);
    if (r < factor * chance(info, now)) return info;
    factor *= 1.2;
  }
  return std::nullopt;
}

std::optional<AddrInfo> AddrMan::find(const Multiaddr& addr) const {
  const Id id = id_of(addr.without_p2p());
  if (id == 0) return std::nullopt;
  return entries_.at(id).info;
}

std::vector<AddrInfo> AddrMan::all() const {
  std::vector<AddrInfo> out;
  out.reserve(entries_.size());
  for (const auto& [id, e] : entries_) out.push_back(e.info);
  return out;
}

bool AddrMan::restore(const AddrInfo& info) {
  if (info.addr != info.addr.without_p2p() || !info.addr.tcp_endpoint()) return false;
  if (id_of(info.addr) != 0) return false;
  Entry e;
  e.info = info;
  e.group = network_group(info.addr);
  if (e.group.cls == AddrClass::Unsupported) return false;
  const bool tried = info.in_tried;
  e.bucket = tried ? tried_bucket(e.info.addr, e.group) : new_bucket(e.group, info.source_group);
  e.pos = slot(tried, e.bucket, e.info.addr);
  if (slot_ref(tried, e.bucket, e.pos) != 0) return false;
  const Id id = next_id_++;
  by_addr_.emplace(std::string(bytes_view(e.info.addr.bytes())), id);
  slot_ref(tried, e.bucket, e.pos) = id;
  entries_.emplace(id, std::move(e));
  (tried ? tried_count_ : new_count_)++;
  return true;
}

}  // namespace hauptbuch::p2p::peer
