// Testnet report: statistics, text summary and the self-contained HTML page with SVG charts.
// See testnet_report.h.
#include "cli/testnet_report.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <numbers>

namespace hauptbuch::p2p::cli {

namespace {

std::string num(double v, int decimals = 1) {
  if (!std::isfinite(v)) return "0";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string u64(uint64_t v) { return std::to_string(v); }

// Fixed palette (one colour per chain, cycling).
constexpr const char* kPalette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                                    "#9467bd", "#8c564b", "#e377c2", "#17becf"};
constexpr size_t kPaletteSize = sizeof(kPalette) / sizeof(kPalette[0]);

const char* colour(size_t i) { return kPalette[i % kPaletteSize]; }

// The smallest 1/2/5 x 10^k that is >= v (axis maximum); 1 for v <= 0.
double nice_ceiling(double v) {
  if (!(v > 0) || !std::isfinite(v)) return 1;
  const double mag = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= v) return m * mag;
  return 10 * mag;
}

// Indices 0..n-1 thinned to at most `limit`, always keeping the last one.
std::vector<size_t> thin(size_t n, size_t limit) {
  std::vector<size_t> out;
  if (n == 0) return out;
  const size_t stride = n <= limit ? 1 : (n + limit - 1) / limit;
  for (size_t i = 0; i < n; i += stride) out.push_back(i);
  if (out.back() != n - 1) out.push_back(n - 1);
  return out;
}

std::vector<double> finite_sorted(const std::vector<double>& v) {
  std::vector<double> out;
  out.reserve(v.size());
  for (double x : v)
    if (std::isfinite(x)) out.push_back(x);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<double> all_propagation(const TestnetResults& r) {
  std::vector<double> out;
  for (const auto& m : r.messages) out.insert(out.end(), m.receive_after_ms.begin(), m.receive_after_ms.end());
  return out;
}

// Geometry shared by the two x/y charts.
struct Plot {
  static constexpr double kWidth = 760, kHeight = 320;
  static constexpr double kLeft = 64, kRight = 20, kTop = 20, kBottom = 48;
  double xmax = 1, ymax = 1;
  double x(double v) const { return kLeft + v / xmax * (kWidth - kLeft - kRight); }
  double y(double v) const { return kHeight - kBottom - v / ymax * (kHeight - kTop - kBottom); }
};

void svg_open(std::string& out, const std::string& id, double w, double h, std::string_view title) {
  out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"").append(id);
  out.append("\" width=\"").append(num(w, 0)).append("\" height=\"").append(num(h, 0));
  out.append("\" viewBox=\"0 0 ").append(num(w, 0)).append(" ").append(num(h, 0));
  out.append("\" role=\"img\"><title>").append(html_escape(title)).append("</title>\n");
  out.append("<rect x=\"0\" y=\"0\" width=\"").append(num(w, 0)).append("\" height=\"").append(num(h, 0));
  out.append("\" fill=\"#ffffff\" stroke=\"#cccccc\"/>\n");
}

void svg_text(std::string& out, double x, double y, std::string_view text, const char* anchor = "middle",
              const char* extra = "") {
  out.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y));
  out.append("\" text-anchor=\"").append(anchor).append("\" font-size=\"12\"").append(extra).append(">");
  out.append(html_escape(text)).append("</text>\n");
}

void svg_axes(std::string& out, const Plot& p, std::string_view xlabel, std::string_view ylabel,
              bool y_is_fraction) {
  const double x0 = Plot::kLeft, x1 = Plot::kWidth - Plot::kRight;
  const double y0 = Plot::kHeight - Plot::kBottom, y1 = Plot::kTop;
  out.append("<g stroke=\"#444444\" stroke-width=\"1\">");
  out.append("<line x1=\"").append(num(x0)).append("\" y1=\"").append(num(y0)).append("\" x2=\"").append(num(x1));
  out.append("\" y2=\"").append(num(y0)).append("\"/>");
  out.append("<line x1=\"").append(num(x0)).append("\" y1=\"").append(num(y0)).append("\" x2=\"").append(num(x0));
  out.append("\" y2=\"").append(num(y1)).append("\"/></g>\n");
  for (int i = 0; i <= 5; ++i) {
    const double xv = p.xmax * i / 5, yv = p.ymax * i / 5;
    svg_text(out, p.x(xv), y0 + 16, num(xv, p.xmax < 5 ? 2 : (p.xmax < 50 ? 1 : 0)));
    svg_text(out, x0 - 6, p.y(yv) + 4, y_is_fraction ? num(yv, 1) : num(yv, p.ymax < 5 ? 2 : (p.ymax < 50 ? 1 : 0)),
             "end");
    out.append("<line x1=\"").append(num(x0)).append("\" y1=\"").append(num(p.y(yv))).append("\" x2=\"");
    out.append(num(x1)).append("\" y2=\"").append(num(p.y(yv))).append("\" stroke=\"#eeeeee\"/>\n");
  }
  svg_text(out, (x0 + x1) / 2, Plot::kHeight - 10, xlabel);
  svg_text(out, 16, (y0 + y1) / 2, ylabel, "middle", " transform=\"rotate(-90 16 150)\"");
}

void svg_no_data(std::string& out, double w, double h) { svg_text(out, w / 2, h / 2, "no data"); }

// Chart 1: cumulative distribution of propagation, connect and discovery times.
std::string latency_cdf_svg(const TestnetResults& r) {
  struct Series {
    const char* name;
    std::vector<double> v;
  };
  std::vector<Series> series = {{"propagation", finite_sorted(all_propagation(r))},
                                {"connect", finite_sorted(r.connect_ms)},
                                {"discovery", finite_sorted(r.discovery_ms)}};
  std::string out;
  svg_open(out, "latency-cdf", Plot::kWidth, Plot::kHeight, "Latency CDF");
  double xmax = 0;
  for (const auto& s : series)
    if (!s.v.empty()) xmax = std::max(xmax, s.v.back());
  if (std::all_of(series.begin(), series.end(), [](const Series& s) { return s.v.empty(); })) {
    svg_no_data(out, Plot::kWidth, Plot::kHeight);
    out.append("</svg>\n");
    return out;
  }
  Plot p;
  p.xmax = nice_ceiling(xmax);
  p.ymax = 1;
  svg_axes(out, p, "milliseconds", "fraction <= x", true);
  for (size_t si = 0; si < series.size(); ++si) {
    const auto& v = series[si].v;
    if (v.empty()) continue;
    out.append("<polyline class=\"series\" fill=\"none\" stroke-width=\"2\" stroke=\"").append(colour(si));
    out.append("\" points=\"");
    out.append(num(p.x(0))).append(",").append(num(p.y(0)));
    const double n = static_cast<double>(v.size());
    for (size_t i : thin(v.size(), kMaxChartPoints)) {
      out.append(" ").append(num(p.x(v[i]))).append(",").append(num(p.y(static_cast<double>(i + 1) / n)));
    }
    out.append("\"/>\n");
    const double ly = Plot::kTop + 14 + 16 * static_cast<double>(si);
    out.append("<rect x=\"").append(num(Plot::kWidth - 170)).append("\" y=\"").append(num(ly - 9));
    out.append("\" width=\"12\" height=\"12\" fill=\"").append(colour(si)).append("\"/>\n");
    std::string label = series[si].name;
    label.append(" (n=").append(std::to_string(v.size())).append(")");
    svg_text(out, Plot::kWidth - 152, ly + 1, label, "start");
  }
  out.append("</svg>\n");
  return out;
}

// Chart 2: each delivery as a dot at (publish time, latency), coloured by chain.
std::string propagation_svg(const TestnetResults& r) {
  std::string out;
  svg_open(out, "propagation", Plot::kWidth, Plot::kHeight, "Propagation over time");
  struct Dot {
    double t, lat;
    unsigned chain;
  };
  std::vector<Dot> dots;
  for (const auto& m : r.messages)
    for (double lat : m.receive_after_ms)
      if (std::isfinite(lat) && std::isfinite(m.published_at_ms)) dots.push_back({m.published_at_ms, lat, m.chain});
  if (dots.empty()) {
    svg_no_data(out, Plot::kWidth, Plot::kHeight);
    out.append("</svg>\n");
    return out;
  }
  Plot p;
  double tmax = 0, lmax = 0;
  for (const auto& d : dots) {
    tmax = std::max(tmax, d.t);
    lmax = std::max(lmax, d.lat);
  }
  p.xmax = nice_ceiling(tmax);
  p.ymax = nice_ceiling(lmax);
  svg_axes(out, p, "publish time (ms since first publish)", "latency (ms)", false);
  out.append("<g class=\"dots\" fill-opacity=\"0.6\">\n");
  for (size_t i : thin(dots.size(), kMaxChartPoints)) {
    const auto& d = dots[i];
    out.append("<circle cx=\"").append(num(p.x(std::max(0.0, d.t)))).append("\" cy=\"");
    out.append(num(p.y(std::max(0.0, d.lat)))).append("\" r=\"2\" fill=\"").append(colour(d.chain)).append("\"/>\n");
  }
  out.append("</g>\n</svg>\n");
  return out;
}

// Chart 3: the connection graph, nodes on a circle (node 0 at the top, clockwise).
std::string graph_svg(const TestnetResults& r) {
  constexpr double kSize = 560, kRadius = 240;
  std::string out;
  svg_open(out, "network-graph", kSize, kSize, "Network graph");
  const size_t n = std::min<size_t>(r.nodes, kMaxGraphNodes);
  if (n == 0) {
    svg_no_data(out, kSize, kSize);
    out.append("</svg>\n");
    return out;
  }
  auto pos = [&](size_t i) {
    const double a = 2 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(n) - std::numbers::pi / 2;
    return std::pair<double, double>{kSize / 2 + kRadius * std::cos(a), kSize / 2 + kRadius * std::sin(a)};
  };
  out.append("<g class=\"edges\" stroke=\"#999999\" stroke-opacity=\"0.6\" stroke-width=\"1\">\n");
  size_t drawn = 0;
  for (const auto& [a, b] : r.edges) {
    if (a >= n || b >= n || a == b) continue;
    if (drawn++ >= kMaxGraphEdges) break;
    const auto [x1, y1] = pos(a);
    const auto [x2, y2] = pos(b);
    out.append("<line x1=\"").append(num(x1)).append("\" y1=\"").append(num(y1)).append("\" x2=\"");
    out.append(num(x2)).append("\" y2=\"").append(num(y2)).append("\"/>\n");
  }
  out.append("</g>\n<g class=\"nodes\" stroke=\"#ffffff\">\n");
  const double radius = n <= 50 ? 7 : (n <= 200 ? 4 : 2);
  for (size_t i = 0; i < n; ++i) {
    const auto [x, y] = pos(i);
    const unsigned chain = i < r.node_chain.size() ? r.node_chain[i] : 0;
    out.append("<circle cx=\"").append(num(x)).append("\" cy=\"").append(num(y)).append("\" r=\"");
    out.append(num(radius)).append("\" fill=\"").append(colour(chain)).append("\"><title>node ");
    out.append(std::to_string(i)).append(", chain ").append(std::to_string(chain)).append("</title></circle>\n");
  }
  out.append("</g>\n");
  if (n <= 50) {
    for (size_t i = 0; i < n; ++i) {
      const auto [x, y] = pos(i);
      const double lx = kSize / 2 + (x - kSize / 2) * 1.07, ly = kSize / 2 + (y - kSize / 2) * 1.07 + 4;
      svg_text(out, lx, ly, std::to_string(i));
    }
  }
  out.append("</svg>\n");
  return out;
}

}  // namespace

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out.append("&amp;"); break;
      case '<': out.append("&lt;"); break;
      case '>': out.append("&gt;"); break;
      case '"': out.append("&quot;"); break;
      case '\'': out.append("&#39;"); break;
      default:
        // Control characters other than tab/newline are not allowed in XML text: drop them.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') break;
        out.push_back(c);
    }
  }
  return out;
}

double nearest_rank_percentile(std::vector<double> samples, double p) {
  samples.erase(std::remove_if(samples.begin(), samples.end(), [](double x) { return std::isnan(x); }),
                samples.end());
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  p = std::clamp(std::isnan(p) ? 0.0 : p, 0.0, 1.0);
  const double n = static_cast<double>(samples.size());
  // rank = ceil(p * n), at least 1; the epsilon absorbs 0.99 * 100 = 98.99999...
  double rank = std::ceil(p * n - 1e-9);
  if (rank < 1) rank = 1;
  const auto idx = static_cast<size_t>(rank) - 1;
  return samples[std::min(idx, samples.size() - 1)];
}

ReportStats compute_report_stats(const TestnetResults& r) {
  ReportStats s;
  s.connect_p50_ms = nearest_rank_percentile(r.connect_ms, 0.5);
  s.connect_p99_ms = nearest_rank_percentile(r.connect_ms, 0.99);
  s.discovery_p50_ms = nearest_rank_percentile(r.discovery_ms, 0.5);
  s.discovery_p99_ms = nearest_rank_percentile(r.discovery_ms, 0.99);
  const auto prop = all_propagation(r);
  s.propagation_samples = prop.size();
  s.propagation_p50_ms = nearest_rank_percentile(prop, 0.5);
  s.propagation_p99_ms = nearest_rank_percentile(prop, 0.99);
  s.delivery_ratio = r.expected == 0 ? 1.0 : static_cast<double>(r.delivered) / static_cast<double>(r.expected);
  double mem = 0;
  for (double k : r.memory_kib) mem += k;
  s.memory_kib_per_node = r.memory_kib.empty() ? 0 : mem / static_cast<double>(r.memory_kib.size());
  return s;
}

std::vector<std::string> report_summary_lines(const TestnetResults& r) {
  const ReportStats s = compute_report_stats(r);
  std::vector<std::string> out;
  std::string line = "testnet: ";
  line.append(std::to_string(r.nodes)).append(" nodes, ").append(std::to_string(r.chains));
  line.append(r.chains == 1 ? " chain, " : " chains, ").append(std::to_string(r.messages.size()));
  line.append(" messages, security ").append(r.security.empty() ? "?" : r.security);
  out.push_back(line);
  auto p50_p99 = [](const char* label, double a, double b) {
    std::string l = label;
    l.append("p50 ").append(num(a, 1)).append(" ms, p99 ").append(num(b, 1)).append(" ms");
    return l;
  };
  out.push_back(p50_p99("  connect time:     ", s.connect_p50_ms, s.connect_p99_ms));
  out.push_back(p50_p99("  discovery time:   ", s.discovery_p50_ms, s.discovery_p99_ms));
  line = "  delivery ratio:   ";
  line.append(num(100.0 * s.delivery_ratio, 2)).append("% (").append(u64(r.delivered)).append(" of ");
  line.append(u64(r.expected)).append(")");
  out.push_back(line);
  line = p50_p99("  propagation:      ", s.propagation_p50_ms, s.propagation_p99_ms);
  line.append(" (").append(std::to_string(s.propagation_samples)).append(" deliveries)");
  out.push_back(line);
  line = "  duplicates:       ";
  out.push_back(line.append(u64(r.duplicates)));
  line = "  bytes sent:       ";
  out.push_back(line.append(u64(r.bytes_sent)));
  line = "  memory per node:  ";
  out.push_back(line.append(num(s.memory_kib_per_node, 1)).append(" KiB"));
  line = "  handshake mix:    ";
  if (r.handshakes.empty()) line.append("none");
  bool first = true;
  for (const auto& [proto, count] : r.handshakes) {
    if (!first) line.append(", ");
    first = false;
    line.append(proto).append(" x").append(u64(count));
  }
  out.push_back(line);
  line = "  failures:         ";
  out.push_back(line.append(std::to_string(r.failures.size())));
  return out;
}

std::string render_html_report(const TestnetResults& r, std::string_view title) {
  std::string out;
  out.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n");
  out.append("<meta charset=\"utf-8\"/>\n<title>").append(html_escape(title)).append("</title>\n");
  out.append("<style>body{font-family:sans-serif;margin:24px;color:#222;background:#fafafa}"
             "h1{font-size:22px}h2{font-size:17px;margin-top:28px}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 10px;text-align:left}"
             "pre{background:#fff;border:1px solid #ccc;padding:8px}</style>\n");
  out.append("</head>\n<body>\n<h1>").append(html_escape(title)).append("</h1>\n");

  const ReportStats s = compute_report_stats(r);
  out.append("<h2>Summary</h2>\n<table id=\"summary\">\n");
  auto row = [&](std::string_view k, const std::string& v) {
    out.append("<tr><th>").append(html_escape(k)).append("</th><td>").append(html_escape(v)).append("</td></tr>\n");
  };
  row("nodes", std::to_string(r.nodes));
  row("chains", std::to_string(r.chains));
  row("security", r.security);
  row("messages", std::to_string(r.messages.size()));
  row("connect time p50 / p99", num(s.connect_p50_ms) + " / " + num(s.connect_p99_ms) + " ms");
  row("discovery time p50 / p99", num(s.discovery_p50_ms) + " / " + num(s.discovery_p99_ms) + " ms");
  row("delivery ratio", num(100.0 * s.delivery_ratio, 2) + "% (" + u64(r.delivered) + " of " + u64(r.expected) + ")");
  row("propagation p50 / p99", num(s.propagation_p50_ms) + " / " + num(s.propagation_p99_ms) + " ms");
  row("duplicates", u64(r.duplicates));
  row("bytes sent", u64(r.bytes_sent));
  row("memory per node", num(s.memory_kib_per_node) + " KiB");
  std::string mix;
  for (const auto& [proto, count] : r.handshakes) {
    if (!mix.empty()) mix.append(", ");
    mix.append(proto).append(" x").append(u64(count));
  }
  row("handshake mix", mix.empty() ? "none" : mix);
  row("wall time", num(r.wall_s, 2) + " s");
  out.append("</table>\n");

  out.append("<h2>Latency CDF</h2>\n").append(latency_cdf_svg(r));
  out.append("<h2>Propagation over time</h2>\n").append(propagation_svg(r));
  out.append("<h2>Network graph</h2>\n").append(graph_svg(r));

  out.append("<h2>Failures</h2>\n");
  if (r.failures.empty()) {
    out.append("<p>none</p>\n");
  } else {
    out.append("<ul id=\"failures\">\n");
    for (size_t i = 0; i < r.failures.size() && i < kMaxListedFailures; ++i)
      out.append("<li>").append(html_escape(r.failures[i])).append("</li>\n");
    if (r.failures.size() > kMaxListedFailures)
      out.append("<li>... ").append(std::to_string(r.failures.size() - kMaxListedFailures)).append(" more</li>\n");
    out.append("</ul>\n");
  }
  out.append("<p>Generated by hbp2p testnet; this page loads nothing from the network.</p>\n");
  out.append("</body>\n</html>\n");
  return out;
}

Status write_html_report(const TestnetResults& r, const std::string& dir, std::string_view title) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::string d = "cannot create ";
    d.append(dir).append(": ").append(ec.message());
    return Error(P2PNetworkError::IoFailed, std::move(d));
  }
  const std::string path = (std::filesystem::path(dir) / "index.html").string();
  const std::string html = render_html_report(r, title);
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (f) f.write(html.data(), static_cast<std::streamsize>(html.size()));
  f.close();
  if (!f) {
    std::string d = "cannot write ";
    d.append(path);
    return Error(P2PNetworkError::IoFailed, std::move(d));
  }
  return ok_status();
}

}  // namespace hauptbuch::p2p::cli
