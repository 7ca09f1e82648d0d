#!/usr/bin/env bash
# Reference for the handshake rate of issue 5: OpenSSL TLS 1.3 full handshakes per second, with
# X25519 key exchange, an Ed25519 certificate and TLS_CHACHA20_POLY1305_SHA256, client and
# server on ONE core (both pinned to the same CPU with taskset, like bench/handshake_bench.cc,
# which runs both ends in one thread). `openssl s_time -new` makes a new TCP connection and a
# full handshake each time (no resumption; s_time does not verify the certificate).
#
# Usage: bench/tls_reference.sh [path/to/handshake_bench] [seconds]
# With the handshake_bench path, our benchmark runs right after on the same CPU and the JSON
# gets the ratios (ours / TLS). Prints one JSON object on stdout; needs openssl, taskset and
# python3. The key, certificate and server live in a temporary directory, removed at exit.
set -euo pipefail

bench="${1:-}"
seconds="${2:-5}"
cpu="${HBP2P_BENCH_CPU:-0}"
suite=TLS_CHACHA20_POLY1305_SHA256

dir="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT

openssl genpkey -algorithm ed25519 -out "$dir/key.pem" 2>/dev/null
openssl req -x509 -new -key "$dir/key.pem" -subj /CN=localhost -days 1 -out "$dir/cert.pem" 2>/dev/null

# A free port: try a few random ones until s_server stays up.
for _ in 1 2 3 4 5 6 7 8; do
  port=$((20000 + RANDOM % 20000))
  taskset -c "$cpu" openssl s_server -accept "127.0.0.1:$port" -cert "$dir/cert.pem" -key "$dir/key.pem" \
    -tls1_3 -groups X25519 -ciphersuites "$suite" -quiet >"$dir/server.log" 2>&1 &
  server_pid=$!
  sleep 0.5
  if kill -0 "$server_pid" 2>/dev/null; then break; fi
  server_pid=""
done
[[ -n "$server_pid" ]] || { echo "tls_reference: s_server did not start" >&2; exit 1; }

start=$(date +%s.%N)
out="$(taskset -c "$cpu" openssl s_time -connect "127.0.0.1:$port" -new -time "$seconds" -tls1_3 \
  -ciphersuites "$suite" 2>&1)"
end=$(date +%s.%N)
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
server_pid=""

ours="{}"
if [[ -n "$bench" ]]; then
  ours="$(taskset -c "$cpu" "$bench" --benchmark_filter='BM_Handshake' --benchmark_min_time="$seconds" \
    --benchmark_format=json 2>/dev/null)"
fi

S_TIME_OUT="$out" START="$start" END="$end" OURS="$ours" LOAD="$(cut -d' ' -f1-3 /proc/loadavg)" \
  OPENSSL_VERSION="$(openssl version)" python3 - <<'EOF'
import json, os, re
out = os.environ["S_TIME_OUT"]
m = re.search(r"(\d+) connections in ([0-9.]+)s; ([0-9.]+) connections/user sec", out)
if not m:
    raise SystemExit("tls_reference: cannot parse s_time output:\n" + out)
conns = int(m.group(1))
wall = float(os.environ["END"]) - float(os.environ["START"])
tls_rate = conns / wall
result = {
    "reference": "openssl s_time -new -tls1_3 against openssl s_server (X25519, Ed25519 cert, "
                 "TLS_CHACHA20_POLY1305_SHA256), both pinned to one CPU",
    "openssl": os.environ["OPENSSL_VERSION"],
    "load_average": os.environ["LOAD"],
    "tls13": {
        "handshakes": conns,
        "wall_seconds": round(wall, 3),
        "handshakes_per_second_one_core": round(tls_rate, 1),
        "client_handshakes_per_user_cpu_second": float(m.group(3)),
    },
}
ours = json.loads(os.environ["OURS"] or "{}")
rows = {}
for b in ours.get("benchmarks", []):
    if "items_per_second" in b:
        rows[b["name"]] = {"handshakes_per_second": round(b["items_per_second"], 1),
                           "label": b.get("label", ""),
                           "ratio_to_tls13": round(b["items_per_second"] / tls_rate, 3)}
if rows:
    result["hauptbuch"] = rows
print(json.dumps(result, indent=2))
EOF
