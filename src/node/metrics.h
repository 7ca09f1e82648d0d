// Metrics: a small Prometheus registry (counters, gauges, histograms with label sets) and the
// text exposition format 0.0.4 that `GET /metrics` serves (see docs/metrics.md for every name).
//
// Bounded by design: each metric family holds at most `max_series` label combinations; further
// combinations are not created (their updates go to a detached sink that is never exposed) and
// are counted in hbp2p_metrics_dropped_series_total{metric}. Label values are truncated to
// kMaxLabelValueBytes. Collectors (values computed at scrape time) are capped the same way.
//
// Thread-safety: every method of Registry and of the families/series may be called from any
// thread. Series updates (inc/set/observe) are lock-free atomics; creating a series or a family
// takes a mutex. Handles (Counter&, Gauge&, Histogram&, family pointers) stay valid for the
// lifetime of the Registry. Nothing here does I/O and nothing here throws across the API.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hauptbuch/p2p/result.h"

namespace hauptbuch::p2p::metrics {

// Default cap on label combinations per family. Our labels are small enums (direction, protocol,
// reason, topic): 256 is far above any legitimate use and keeps a scrape well under 100 KB.
inline constexpr size_t kDefaultMaxSeries = 256;
// Hard upper bound for any family's cap (a caller cannot ask for an unbounded family).
inline constexpr size_t kMaxSeriesLimit = 4096;
// Label values longer than this are truncated (a topic name from a peer must not bloat scrapes).
inline constexpr size_t kMaxLabelValueBytes = 128;
// At most this many label names per family (ours use one or two).
inline constexpr size_t kMaxLabelNames = 8;
// At most this many histogram buckets (plus +Inf); Prometheus defaults use 11.
inline constexpr size_t kMaxBuckets = 64;
// At most this many families are registered or collected (bounds the dropped-series counter).
inline constexpr size_t kMaxFamilies = 512;

// Content-Type of the exposition (text format 0.0.4).
inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

// Name of the built-in counter that counts refused label combinations, per metric.
inline constexpr std::string_view kDroppedSeriesMetric = "hbp2p_metrics_dropped_series_total";

enum class MetricType : uint8_t { Counter, Gauge, Histogram };

// The node's metric names (docs/metrics.md gives type, labels and meaning of each; collectors
// must use these names so dashboards keep working).
namespace names {
inline constexpr std::string_view kPeers = "hbp2p_peers";                          // gauge {direction,security}
inline constexpr std::string_view kBytes = "hbp2p_bytes_total";                    // counter {direction,protocol}
inline constexpr std::string_view kMessages = "hbp2p_messages_total";              // counter {direction,protocol}
inline constexpr std::string_view kConnectionAttempts = "hbp2p_connection_attempts_total";  // counter {direction,result}
inline constexpr std::string_view kHandshakeFailures = "hbp2p_handshake_failures_total";    // counter {reason}
inline constexpr std::string_view kGossipMeshPeers = "hbp2p_gossip_mesh_peers";    // gauge {topic}
inline constexpr std::string_view kGossipMessages = "hbp2p_gossip_messages_total"; // counter {topic,result}
inline constexpr std::string_view kGossipPeerScore = "hbp2p_gossip_peer_score";    // histogram
inline constexpr std::string_view kDhtLookups = "hbp2p_dht_lookups_total";         // counter {result}
inline constexpr std::string_view kDhtRoutingTablePeers = "hbp2p_dht_routing_table_peers";  // gauge
inline constexpr std::string_view kQueueDrops = "hbp2p_queue_drops_total";         // counter {queue}
inline constexpr std::string_view kBuildInfo = "hbp2p_build_info";                 // gauge {version} = 1
}  // namespace names

// Buckets of hbp2p_gossip_peer_score (gossipsub scores are unbounded reals; these separate
// graylisted, negative, neutral and well-behaved peers).
inline const std::vector<double> kPeerScoreBuckets = {-1000, -100, -10, -1, 0, 1, 10, 100, 1000};

// Label pairs (name, value) in the order they are printed.
using LabelPairs = std::vector<std::pair<std::string, std::string>>;

// A monotonically increasing value. inc() with a negative or NaN amount is ignored.
class Counter {
 public:
  void inc(double amount = 1.0) noexcept;
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

// A value that goes up and down.
class Gauge {
 public:
  void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
  void inc(double amount = 1.0) noexcept;
  void dec(double amount = 1.0) noexcept { inc(-amount); }
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

// A point-in-time view of a histogram: cumulative counts per upper bound, then +Inf == count.
struct HistogramSnapshot {
  std::vector<double> bounds;           // finite, strictly increasing upper bounds
  std::vector<uint64_t> cumulative;     // cumulative[i] = observations <= bounds[i]
  uint64_t count = 0;                   // all observations (the +Inf bucket)
  double sum = 0.0;
};

// Builds a snapshot from raw values (for collectors that compute a histogram at scrape time,
// e.g. the distribution of gossip peer scores). NaN values are ignored.
HistogramSnapshot make_histogram_snapshot(const std::vector<double>& bounds,
                                          const std::vector<double>& values);

// Observations sorted into fixed buckets (upper bounds inclusive, as Prometheus defines `le`).
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void observe(double v) noexcept;  // NaN is ignored
  HistogramSnapshot snapshot() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1 (last = +Inf)
  std::atomic<double> sum_{0.0};
};

class Registry;

// One metric name with its label names and up to max_series label combinations.
template <typename M>
class Family {
 public:
  // The series for these label values (same order as the label names). Created on first use.
  // If the value count is wrong or the family is full, returns a detached sink whose updates are
  // discarded, and counts a dropped series. Thread-safe.
  M& with(const std::vector<std::string_view>& values);
  M& with(std::initializer_list<std::string_view> values) {
    return with(std::vector<std::string_view>(values));
  }
  // The series without labels (only for families declared without label names).
  M& get() { return with(std::vector<std::string_view>{}); }

  const std::string& name() const noexcept { return name_; }
  size_t series_count() const;

 private:
  friend class Registry;
  Family(Registry* owner, std::string name, std::vector<std::string> label_names,
         size_t max_series, std::vector<double> bounds);
  std::unique_ptr<M> make_series() const;

  Registry* owner_;
  std::string name_;
  std::vector<std::string> label_names_;
  size_t max_series_;
  std::vector<double> bounds_;  // histograms only
  mutable std::mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<M>> series_;
  std::unique_ptr<M> sink_;  // detached: receives updates of refused combinations
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

// One sample returned by a collector: labels and either a value or a histogram.
struct CollectedSample {
  LabelPairs labels;
  double value = 0.0;
  HistogramSnapshot histogram;  // used when the family type is Histogram
};

// A family computed at scrape time by a collector.
struct CollectedFamily {
  std::string name;
  std::string help;
  MetricType type = MetricType::Gauge;
  std::vector<CollectedSample> samples;
};

// A collector runs during expose() (on the scraping thread) and must be thread-safe and quick;
// it must not call back into the Registry. Exceptions it throws are caught and counted.
using Collector = std::function<std::vector<CollectedFamily>()>;

class Registry {
 public:
  Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;
  ~Registry();

  // Registers (or returns the already registered) family. Errors (InvalidConfig): invalid metric
  // or label name, too many labels, "le" as a histogram label, max_series 0 or above
  // kMaxSeriesLimit, bounds not finite/increasing or too many, the name already registered with
  // another type or other label names; ResourceLimitExceeded past kMaxFamilies.
  Result<CounterFamily*> counter_family(std::string_view name, std::string_view help,
                                        std::vector<std::string> label_names,
                                        size_t max_series = kDefaultMaxSeries);
  Result<GaugeFamily*> gauge_family(std::string_view name, std::string_view help,
                                    std::vector<std::string> label_names,
                                    size_t max_series = kDefaultMaxSeries);
  Result<HistogramFamily*> histogram_family(std::string_view name, std::string_view help,
                                            std::vector<std::string> label_names,
                                            std::vector<double> bounds,
                                            size_t max_series = kDefaultMaxSeries);

  // Adds a scrape-time collector. Families it returns are exposed after the registered ones;
  // a family whose name is invalid or already registered is skipped (counted in
  // hbp2p_metrics_collector_errors_total); samples beyond kDefaultMaxSeries per family are
  // dropped (counted in hbp2p_metrics_dropped_series_total{metric}).
  void add_collector(Collector fn);

  // The whole registry in the Prometheus text format 0.0.4 (families in registration order,
  // series sorted by label values, collectors last).
  std::string expose() const;

  // Series refused for this metric so far (0 if none or unknown).
  uint64_t dropped_series(std::string_view metric) const;

 private:
  template <typename M>
  friend class Family;
  struct Entry;
  void count_dropped(std::string_view metric) const;
  template <typename M>
  Result<Family<M>*> add_family(MetricType type, std::string_view name, std::string_view help,
                                std::vector<std::string> label_names, size_t max_series,
                                std::vector<double> bounds);

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Entry>> families_;
  std::vector<Collector> collectors_;
  mutable std::mutex dropped_mutex_;
  mutable std::map<std::string, uint64_t, std::less<>> dropped_;
  mutable std::atomic<uint64_t> collector_errors_{0};
};

// Validity of names per the Prometheus data model.
bool is_valid_metric_name(std::string_view name);
bool is_valid_label_name(std::string_view name);

// Text-format helpers (exposed for tests): a value ("3", "0.25", "+Inf", "NaN"), an escaped
// label value (\\, \", \n) and an escaped HELP text (\\, \n).
std::string format_value(double v);
std::string escape_label_value(std::string_view v);
std::string escape_help(std::string_view v);

}  // namespace hauptbuch::p2p::metrics
