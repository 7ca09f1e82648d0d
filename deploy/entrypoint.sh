#!/bin/sh
# Container entry point for `hbp2p node`.
#  - creates the identity key HBP2P_KEY (default /var/lib/hbp2p/node.key) on first start;
#  - if HBP2P_PUBLISH_ADDR is set, writes "<that multiaddr>/p2p/<own peer id>" to
#    HBP2P_PUBLISH_FILE (docker-compose's bootstrap node shares its address this way);
#  - if HBP2P_BOOTSTRAP_FILE is set, waits (up to 60 s) for it and bootstraps from it;
#  - runs `hbp2p node --config HBP2P_CONFIG ...` with extra flags from HBP2P_ARGS and "$@".
# `hbp2p node` ends when its stdin closes; containers have no stdin, so the node's stdin is a
# FIFO that never reaches end of file. Stop the container with SIGTERM (docker stop).
set -eu
key=${HBP2P_KEY:-/var/lib/hbp2p/node.key}
config=${HBP2P_CONFIG:-/etc/hbp2p/config.toml}
listen=${HBP2P_LISTEN:-/ip4/0.0.0.0/tcp/4001}

if [ ! -f "$key" ]; then
  hbp2p keygen --out "$key" >/dev/null
fi
peer_id=$(hbp2p id --key "$key")
echo "hbp2p: peer id $peer_id" >&2

if [ -n "${HBP2P_PUBLISH_ADDR:-}" ] && [ -n "${HBP2P_PUBLISH_FILE:-}" ]; then
  tmp="$HBP2P_PUBLISH_FILE.tmp.$$"
  echo "$HBP2P_PUBLISH_ADDR/p2p/$peer_id" > "$tmp" && mv "$tmp" "$HBP2P_PUBLISH_FILE"
fi

set -- --key "$key" --config "$config" --listen "$listen" ${HBP2P_ARGS:-} "$@"
if [ -n "${HBP2P_BOOTSTRAP_FILE:-}" ]; then
  i=0
  while [ ! -s "$HBP2P_BOOTSTRAP_FILE" ] && [ "$i" -lt 60 ]; do sleep 1; i=$((i + 1)); done
  [ -s "$HBP2P_BOOTSTRAP_FILE" ] || { echo "hbp2p: no bootstrap address in $HBP2P_BOOTSTRAP_FILE" >&2; exit 1; }
  set -- "$@" --bootstrap "$(cat "$HBP2P_BOOTSTRAP_FILE")"
fi

# stdin: a FIFO opened read-write, so the node itself holds a writer and never sees EOF;
# the file is removed at once (only the open descriptor remains). `exec` makes the node the
# container's main process, so `docker stop` (SIGTERM) reaches it directly.
fifo="$(dirname "$key")/.hbp2p-stdin.$$"
rm -f "$fifo"
mkfifo -m 0600 "$fifo"
exec 3<>"$fifo"
rm -f "$fifo"
exec hbp2p node "$@" 0<&3 3<&-
