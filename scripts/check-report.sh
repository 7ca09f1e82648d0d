#!/usr/bin/env bash
# check-report.sh DIR: renders DIR/index.html (an `hbp2p testnet --report DIR` page) in headless
# Debian Chromium and checks the screenshot: the PNG exists, is not tiny, is not one flat colour,
# and shows the report's chart colours (so the inline SVGs were drawn). Exit 0 = fine.
# Chromium runs with a throw-away profile, no network features and a 60 s bound; the page itself
# loads nothing (the report is self-contained). Needs /usr/bin/chromium and python3.
set -euo pipefail

dir=${1:?usage: check-report.sh DIR}
page="$(cd "$dir" && pwd)/index.html"
[[ -f "$page" ]] || { echo "check-report: $page not found" >&2; exit 1; }
chromium=${CHROMIUM:-/usr/bin/chromium}
[[ -x "$chromium" ]] || { echo "check-report: $chromium not found" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
png="$dir/screenshot.png"
rm -f "$png"

timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
  --user-data-dir="$work/profile" --screenshot="$png" --window-size=1280,2000 \
  "file://$page" >"$work/chromium.log" 2>&1 || {
    echo "check-report: chromium failed:" >&2; tail -20 "$work/chromium.log" >&2; exit 1; }

[[ -s "$png" ]] || { echo "check-report: no screenshot written" >&2; exit 1; }

python3 - "$png" <<'PY'
# Decodes the PNG (8-bit RGB/RGBA, non-interlaced, as Chromium writes it) with zlib only and
# checks: size, number of distinct colours (sampled rows), and that the report palette's first
# two chart colours appear (exact pixels: legend boxes and graph nodes are solid fills).
import struct, sys, zlib
path = sys.argv[1]
data = open(path, "rb").read()
if len(data) < 10_000:
    sys.exit(f"check-report: screenshot only {len(data)} bytes")
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit("check-report: not a PNG")
pos, idat, ihdr = 8, b"", None
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        ihdr = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
width, height, depth, ctype, _, _, interlace = ihdr
if depth != 8 or ctype not in (2, 6) or interlace != 0:
    sys.exit(f"check-report: unexpected PNG format depth={depth} type={ctype}")
bpp = 3 if ctype == 2 else 4
raw = zlib.decompress(idat)
stride = width * bpp
lo7 = int.from_bytes(b"\x7f" * stride, "big")
hi1 = int.from_bytes(b"\x80" * stride, "big")
prev = bytes(stride)
colours = set()
wanted = {name: bytes(rgb) for name, rgb in (("#1f77b4", (31, 119, 180)), ("#d62728", (214, 39, 40)))}
found = set()
for y in range(height):
    f = raw[y * (stride + 1)]
    cur = raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)]
    if f == 0:
        line = cur
    elif f == 2:  # Up: bytewise (cur + prev) mod 256, done on big integers (SWAR)
        a, b = int.from_bytes(cur, "big"), int.from_bytes(prev, "big")
        line = (((a & lo7) + (b & lo7)) ^ ((a ^ b) & hi1)).to_bytes(stride, "big")
    else:
        out = bytearray(cur)
        for i in range(stride):
            a = out[i - bpp] if i >= bpp else 0
            b = prev[i]
            if f == 1: out[i] = (out[i] + a) & 255
            elif f == 3: out[i] = (out[i] + ((a + b) >> 1)) & 255
            else:
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                out[i] = (out[i] + (a if pa <= pb and pa <= pc else (b if pb <= pc else c))) & 255
        line = bytes(out)
    if y % 8 == 0:
        for x in range(0, stride, bpp):
            colours.add(line[x:x + 3])
    for name, rgb in wanted.items():
        if name in found:
            continue
        i = line.find(rgb)
        while i >= 0 and i % bpp != 0:
            i = line.find(rgb, i + 1)
        if i >= 0:
            found.add(name)
    prev = line
if len(colours) < 4:
    sys.exit(f"check-report: only {len(colours)} colours: the page did not render")
missing = sorted(set(wanted) - found)
if missing:
    sys.exit(f"check-report: chart colours {missing} not in the screenshot")
print(f"check-report: OK {path}: {width}x{height}, {len(data)} bytes, {len(colours)} colours (sampled)")
PY
