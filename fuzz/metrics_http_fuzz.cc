// Fuzz target: the /metrics request-head parser (src/node/metrics_http.h) and the label-value
// path of the metrics registry.
// Invariants: no crash, no UB, no exception; Complete implies a path starting with '/' and a
// method of at most 16 token characters; feeding the input byte by byte (as a slow client does)
// gives the same outcome as feeding it at once; exposition lines stay single lines.
#include <cstdlib>
#include <string>
#include <string_view>

#include "node/metrics.h"
#include "node/metrics_http.h"

using namespace hauptbuch::p2p::metrics;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  HttpRequestHead head;
  const HttpParse whole = parse_http_request_head(in, head);
  if (whole == HttpParse::Complete) {
    if (head.path.empty() || head.path[0] != '/') std::abort();
    if (head.method.empty() || head.method.size() > 16) std::abort();
  }
  // Incremental feeding: the first non-Incomplete prefix decides, as in the server.
  HttpParse inc = HttpParse::Incomplete;
  HttpRequestHead h2;
  // (Quadratic, so only on short inputs; a real request head is a few hundred bytes.)
  if (size <= 256) {
    for (size_t i = 1; i <= size && inc == HttpParse::Incomplete; ++i)
      inc = parse_http_request_head(in.substr(0, i), h2);
    if (whole != HttpParse::Incomplete && inc == HttpParse::Incomplete) std::abort();
  }

  // Hostile label values (e.g. topic names from peers) must never break the exposition.
  Registry reg;
  auto fam = reg.counter_family("fuzz_total", "Fuzz.", {"v"}, 4);
  if (!fam.ok()) std::abort();
  (*fam)->with({in}).inc();
  const std::string text = reg.expose();
  size_t lines = 0;
  for (char c : text) lines += c == '\n' ? 1 : 0;
  if (lines != 3) std::abort();
  return 0;
}
