// Metrics registry and Prometheus text exposition (format 0.0.4). See metrics.h.
#include "node/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <exception>
#include <limits>
#include <variant>

namespace hauptbuch::p2p::metrics {

namespace {

bool is_name_start(char c, bool allow_colon) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allow_colon && c == ':');
}
bool is_name_char(char c, bool allow_colon) {
  return is_name_start(c, allow_colon) || (c >= '0' && c <= '9');
}

// Length of the well-formed UTF-8 sequence at s[i], or 0 if it is not well formed.
size_t utf8_sequence_length(std::string_view s, size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  size_t len = 0;
  uint32_t min = 0;
  uint32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) { len = 2; min = 0x80; cp = b0 & 0x1F; }
  else if ((b0 & 0xF0) == 0xE0) { len = 3; min = 0x800; cp = b0 & 0x0F; }
  else if ((b0 & 0xF8) == 0xF0) { len = 4; min = 0x10000; cp = b0 & 0x07; }
  else return 0;
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

// Label values come from peers (topic names): keep them valid UTF-8 ('?' for bad bytes) and at
// most kMaxLabelValueBytes long, cut on a character boundary.
std::string sanitize_label_value(std::string_view v) {
  std::string out;
  out.reserve(std::min(v.size(), kMaxLabelValueBytes));
  size_t i = 0;
  while (i < v.size()) {
    size_t len = utf8_sequence_length(v, i);
    if (len == 0) {
      if (out.size() + 1 > kMaxLabelValueBytes) break;
      out.push_back('?');
      ++i;
      continue;
    }
    if (out.size() + len > kMaxLabelValueBytes) break;
    out.append(v.substr(i, len));
    i += len;
  }
  return out;
}

bool valid_bounds(const std::vector<double>& bounds) {
  if (bounds.size() > kMaxBuckets) return false;
  for (size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i])) return false;
    if (i > 0 && !(bounds[i] > bounds[i - 1])) return false;
  }
  return true;
}

void atomic_add(std::atomic<double>& a, double amount) noexcept {
  double cur = a.load(std::memory_order_relaxed);
  while (!a.compare_exchange_weak(cur, cur + amount, std::memory_order_relaxed)) {
  }
}

const char* type_name(MetricType t) {
  switch (t) {
    case MetricType::Counter: return "counter";
    case MetricType::Gauge: return "gauge";
    case MetricType::Histogram: return "histogram";
  }
  return "untyped";
}

void append_header(std::string& out, std::string_view name, std::string_view help, MetricType t) {
  out.append("# HELP ").append(name).append(" ").append(escape_help(help)).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type_name(t)).append("\n");
}

// `{a="x",b="y"}` (or nothing without labels); `extra` is appended last (the `le` label).
void append_labels(std::string& out, const LabelPairs& labels,
                   const std::pair<std::string, std::string>* extra = nullptr) {
  if (labels.empty() && extra == nullptr) return;
  out.push_back('{');
  bool first = true;
  auto add = [&](const std::string& k, const std::string& v) {
    if (!first) out.push_back(',');
    first = false;
    out.append(k).append("=\"").append(escape_label_value(v)).append("\"");
  };
  for (const auto& [k, v] : labels) add(k, v);
  if (extra != nullptr) add(extra->first, extra->second);
  out.push_back('}');
}

void append_sample(std::string& out, std::string_view name, const LabelPairs& labels, double v) {
  out.append(name);
  append_labels(out, labels);
  out.append(" ").append(format_value(v)).append("\n");
}

void append_histogram(std::string& out, const std::string& name, const LabelPairs& labels,
                      const HistogramSnapshot& h) {
  std::string bucket = name;
  bucket.append("_bucket");
  for (size_t i = 0; i < h.bounds.size() && i < h.cumulative.size(); ++i) {
    const std::pair<std::string, std::string> le{"le", format_value(h.bounds[i])};
    out.append(bucket);
    append_labels(out, labels, &le);
    out.append(" ").append(format_value(static_cast<double>(h.cumulative[i]))).append("\n");
  }
  const std::pair<std::string, std::string> inf{"le", "+Inf"};
  out.append(bucket);
  append_labels(out, labels, &inf);
  out.append(" ").append(format_value(static_cast<double>(h.count))).append("\n");
  std::string sum = name;
  sum.append("_sum");
  append_sample(out, sum, labels, h.sum);
  std::string count = name;
  count.append("_count");
  append_sample(out, count, labels, static_cast<double>(h.count));
}

LabelPairs zip_labels(const std::vector<std::string>& names, const std::vector<std::string>& values) {
  LabelPairs out;
  out.reserve(names.size());
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) out.emplace_back(names[i], values[i]);
  return out;
}

}  // namespace

// ---- value types ------------------------------------------------------------------------

void Counter::inc(double amount) noexcept {
  if (!(amount >= 0.0)) return;  // negative or NaN: a counter never goes down
  atomic_add(value_, amount);
}

void Gauge::inc(double amount) noexcept { atomic_add(value_, amount); }

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), buckets_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double v) noexcept {
  if (std::isnan(v)) return;
  const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), v);  // first bound >= v
  const auto idx = static_cast<size_t>(it - bounds_.begin());
  buckets_[idx].fetch_add(1, std::memory_order_relaxed);
  atomic_add(sum_, v);
}

HistogramSnapshot Histogram::snapshot() const {
  HistogramSnapshot s;
  s.bounds = bounds_;
  s.cumulative.resize(bounds_.size());
  uint64_t acc = 0;
  for (size_t i = 0; i < bounds_.size(); ++i) {
    acc += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative[i] = acc;
  }
  acc += buckets_[bounds_.size()].load(std::memory_order_relaxed);
  s.count = acc;  // count is the sum of the buckets, so +Inf and _count always agree
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

HistogramSnapshot make_histogram_snapshot(const std::vector<double>& bounds,
                                          const std::vector<double>& values) {
  Histogram h(valid_bounds(bounds) ? bounds : std::vector<double>{});
  for (double v : values) h.observe(v);
  return h.snapshot();
}

// ---- families ---------------------------------------------------------------------------

template <typename M>
Family<M>::Family(Registry* owner, std::string name, std::vector<std::string> label_names,
                  size_t max_series, std::vector<double> bounds)
    : owner_(owner),
      name_(std::move(name)),
      label_names_(std::move(label_names)),
      max_series_(max_series),
      bounds_(std::move(bounds)) {
  sink_ = make_series();
}

template <typename M>
std::unique_ptr<M> Family<M>::make_series() const {
  if constexpr (std::is_same_v<M, Histogram>) {
    return std::make_unique<Histogram>(bounds_);
  } else {
    return std::make_unique<M>();
  }
}

template <typename M>
M& Family<M>::with(const std::vector<std::string_view>& values) {
  if (values.size() != label_names_.size()) {
    owner_->count_dropped(name_);
    return *sink_;
  }
  std::vector<std::string> key;
  key.reserve(values.size());
  for (auto v : values) key.push_back(sanitize_label_value(v));
  std::lock_guard lock(mutex_);
  auto it = series_.find(key);
  if (it != series_.end()) return *it->second;
  if (series_.size() >= max_series_) {
    owner_->count_dropped(name_);
    return *sink_;
  }
  auto [pos, inserted] = series_.emplace(std::move(key), make_series());
  (void)inserted;
  return *pos->second;
}

template <typename M>
size_t Family<M>::series_count() const {
  std::lock_guard lock(mutex_);
  return series_.size();
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

// ---- registry ---------------------------------------------------------------------------

struct Registry::Entry {
  MetricType type;
  std::string help;
  std::vector<std::string> label_names;
  std::vector<double> bounds;
  std::variant<std::unique_ptr<CounterFamily>, std::unique_ptr<GaugeFamily>,
               std::unique_ptr<HistogramFamily>>
      family;
  const std::string& name() const {
    return std::visit([](const auto& f) -> const std::string& { return f->name(); }, family);
  }
};

Registry::Registry() = default;
Registry::~Registry() = default;

bool is_valid_metric_name(std::string_view name) {
  if (name.empty() || !is_name_start(name[0], true)) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return is_name_char(c, true); });
}

bool is_valid_label_name(std::string_view name) {
  if (name.empty() || !is_name_start(name[0], false)) return false;
  if (name.size() >= 2 && name[0] == '_' && name[1] == '_') return false;  // reserved
  return std::all_of(name.begin(), name.end(), [](char c) { return is_name_char(c, false); });
}

template <typename M>
Result<Family<M>*> Registry::add_family(MetricType type, std::string_view name,
                                        std::string_view help, std::vector<std::string> label_names,
                                        size_t max_series, std::vector<double> bounds) {
  std::string what = "metric '";
  what.append(name).append("': ");
  if (!is_valid_metric_name(name)) return Error(P2PNetworkError::InvalidConfig, what + "invalid name");
  if (name == kDroppedSeriesMetric || name == "hbp2p_metrics_collector_errors_total")
    return Error(P2PNetworkError::InvalidConfig, what + "reserved name");
  if (label_names.size() > kMaxLabelNames)
    return Error(P2PNetworkError::InvalidConfig, what + "too many labels");
  for (size_t i = 0; i < label_names.size(); ++i) {
    if (!is_valid_label_name(label_names[i]))
      return Error(P2PNetworkError::InvalidConfig, what + "invalid label name");
    if (type == MetricType::Histogram && label_names[i] == "le")
      return Error(P2PNetworkError::InvalidConfig, what + "'le' is reserved in histograms");
    for (size_t j = 0; j < i; ++j)
      if (label_names[j] == label_names[i])
        return Error(P2PNetworkError::InvalidConfig, what + "duplicate label name");
  }
  if (max_series == 0 || max_series > kMaxSeriesLimit)
    return Error(P2PNetworkError::InvalidConfig, what + "max_series out of range");
  if (!valid_bounds(bounds))
    return Error(P2PNetworkError::InvalidConfig, what + "bounds must be finite and increasing");

  std::lock_guard lock(mutex_);
  for (auto& e : families_) {
    if (e->name() != name) continue;
    if (e->type != type || e->label_names != label_names || e->bounds != bounds)
      return Error(P2PNetworkError::InvalidConfig, what + "already registered differently");
    return std::get<std::unique_ptr<Family<M>>>(e->family).get();
  }
  if (families_.size() >= kMaxFamilies)
    return Error(P2PNetworkError::ResourceLimitExceeded, what + "too many metric families");
  auto e = std::make_unique<Entry>();
  e->type = type;
  e->help = std::string(help);
  e->label_names = label_names;
  e->bounds = bounds;
  auto fam = std::unique_ptr<Family<M>>(new Family<M>(this, std::string(name), std::move(label_names),
                                                      max_series, std::move(bounds)));
  Family<M>* raw = fam.get();
  e->family = std::move(fam);
  families_.push_back(std::move(e));
  return raw;
}

Result<CounterFamily*> Registry::counter_family(std::string_view name, std::string_view help,
                                                std::vector<std::string> label_names,
                                                size_t max_series) {
  return add_family<Counter>(MetricType::Counter, name, help, std::move(label_names), max_series, {});
}

Result<GaugeFamily*> Registry::gauge_family(std::string_view name, std::string_view help,
                                            std::vector<std::string> label_names,
                                            size_t max_series) {
  return add_family<Gauge>(MetricType::Gauge, name, help, std::move(label_names), max_series, {});
}

Result<HistogramFamily*> Registry::histogram_family(std::string_view name, std::string_view help,
                                                    std::vector<std::string> label_names,
                                                    std::vector<double> bounds, size_t max_series) {
  return add_family<Histogram>(MetricType::Histogram, name, help, std::move(label_names),
                               max_series, std::move(bounds));
}

void Registry::add_collector(Collector fn) {
  if (!fn) return;
  std::lock_guard lock(mutex_);
  collectors_.push_back(std::move(fn));
}

void Registry::count_dropped(std::string_view metric) const {
  std::lock_guard lock(dropped_mutex_);
  auto it = dropped_.find(metric);
  if (it != dropped_.end()) {
    ++it->second;
  } else if (dropped_.size() < kMaxFamilies) {
    dropped_.emplace(std::string(metric), 1);
  }
}

uint64_t Registry::dropped_series(std::string_view metric) const {
  std::lock_guard lock(dropped_mutex_);
  auto it = dropped_.find(metric);
  return it == dropped_.end() ? 0 : it->second;
}

std::string Registry::expose() const {
  std::string out;
  std::vector<Collector> collectors;
  std::vector<std::string> registered_names;
  {
    std::lock_guard lock(mutex_);
    for (const auto& e : families_) {
      registered_names.push_back(e->name());
      append_header(out, e->name(), e->help, e->type);
      std::visit(
          [&](const auto& fam) {
            std::lock_guard flock(fam->mutex_);
            for (const auto& [values, series] : fam->series_) {
              const LabelPairs labels = zip_labels(fam->label_names_, values);
              using S = std::decay_t<decltype(*series)>;
              if constexpr (std::is_same_v<S, Histogram>) {
                append_histogram(out, fam->name_, labels, series->snapshot());
              } else {
                append_sample(out, fam->name_, labels, series->value());
              }
            }
          },
          e->family);
    }
    collectors = collectors_;
  }

  // Collectors run without the registry lock (they read other components' state).
  for (const auto& c : collectors) {
    std::vector<CollectedFamily> fams;
    try {
      fams = c();
    } catch (...) {
      collector_errors_.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    for (const auto& f : fams) {
      const bool clash = std::find(registered_names.begin(), registered_names.end(), f.name) !=
                         registered_names.end();
      bool bad_labels = false;
      for (const auto& s : f.samples)
        for (const auto& [k, v] : s.labels)
          if (!is_valid_label_name(k) || (f.type == MetricType::Histogram && k == "le")) bad_labels = true;
      if (!is_valid_metric_name(f.name) || clash || bad_labels || f.name == kDroppedSeriesMetric) {
        collector_errors_.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      if (registered_names.size() < kMaxFamilies) registered_names.push_back(f.name);
      append_header(out, f.name, f.help, f.type);
      size_t n = 0;
      for (const auto& s : f.samples) {
        if (n++ >= kDefaultMaxSeries) {
          count_dropped(f.name);
          continue;
        }
        LabelPairs labels;
        for (const auto& [k, v] : s.labels) labels.emplace_back(k, sanitize_label_value(v));
        if (f.type == MetricType::Histogram) {
          append_histogram(out, f.name, labels, s.histogram);
        } else {
          append_sample(out, f.name, labels, s.value);
        }
      }
    }
  }

  // Built-in health of the registry itself (present only when non-zero).
  {
    std::lock_guard lock(dropped_mutex_);
    if (!dropped_.empty()) {
      append_header(out, kDroppedSeriesMetric,
                    "Label combinations refused because a metric reached its series cap.",
                    MetricType::Counter);
      for (const auto& [metric, n] : dropped_)
        append_sample(out, kDroppedSeriesMetric, {{"metric", metric}}, static_cast<double>(n));
    }
  }
  if (const uint64_t errs = collector_errors_.load(std::memory_order_relaxed); errs > 0) {
    append_header(out, "hbp2p_metrics_collector_errors_total",
                  "Collector families skipped (invalid or clashing names) or collectors that failed.",
                  MetricType::Counter);
    append_sample(out, "hbp2p_metrics_collector_errors_total", {}, static_cast<double>(errs));
  }
  return out;
}

// ---- text helpers -----------------------------------------------------------------------

std::string format_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  // Integral values print as integers (counters of bytes stay readable: 100000000, not 1e+08).
  if (v == std::trunc(v) && std::fabs(v) < 1e15) {
    return std::to_string(static_cast<int64_t>(v));
  }
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof(buf), v);  // shortest round-trip form
  if (ec != std::errc()) return "NaN";
  return std::string(buf, ptr);
}

std::string escape_label_value(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') out.append("\\\\");
    else if (c == '"') out.append("\\\"");
    else if (c == '\n') out.append("\\n");
    else out.push_back(c);
  }
  return out;
}

std::string escape_help(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') out.append("\\\\");
    else if (c == '\n') out.append("\\n");
    else out.push_back(c);
  }
  return out;
}

}  // namespace hauptbuch::p2p::metrics
