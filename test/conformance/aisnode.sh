#!/usr/bin/env bash
# Start/stop a real aisnode cluster (1 proxy + 1 target) on loopback for conformance tests and benchmark B5.
#
#   aisnode.sh start DIR   -> writes configs under DIR, starts both nodes, waits until the cluster serves
#                             requests, prints AIS_ENDPOINT=http://127.0.0.1:PORT (and writes DIR/endpoint)
#   aisnode.sh stop DIR    -> kills both nodes' process groups (pids in DIR/*.pid)
#
# Binary: $AISNODE_BIN, else "$AISETL_TOOLS/bin/aisnode-5.0" (install-peers.sh builds it).
# The configs are our own minimal version of what AIS's deploy/dev/local scripts generate (lib/cluster.sh).
set -euo pipefail

TOOLS="${AISETL_TOOLS:-$HOME/.cache/aisetl-tools}"
BIN="${AISNODE_BIN:-$TOOLS/bin/aisnode-5.0}"
cmd="${1:-}"; dir="${2:-}"
[[ -n "$cmd" && -n "$dir" ]] || { echo "usage: aisnode.sh start|stop DIR" >&2; exit 2; }

# shellcheck source=lib/cluster.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/cluster.sh"

start_node() { # role extra-flags...
  local role="$1"; shift
  start_group "$dir/$role.pid" "$dir/$role.out" \
    "$BIN" -config="$dir/$role/ais.json" -local_config="$dir/$role/ais_local.json" -role="$role" "$@"
}

case "$cmd" in
start)
  [[ -x "$BIN" ]] || { echo "aisnode binary not found at $BIN: run test/conformance/install-peers.sh first" >&2; exit 3; }
  mkdir -p "$dir"; dir="$(cd "$dir" && pwd)"
  pport=$(free_port); primary_url="http://127.0.0.1:$pport"
  write_aisnode_configs "$dir/proxy" "$primary_url" "$pport" "$dir/mpaths" 0
  write_aisnode_configs "$dir/target" "$primary_url" "$(free_port)" "$dir/mpaths" 1
  export AIS_PRIMARY_EP="$primary_url"
  start_node proxy -ntargets=1
  start_node target
  wait_aisnode_ready "$dir" "$primary_url" 60 proxy target && exit 0
  "$0" stop "$dir"; exit 1
  ;;
stop)
  for r in target proxy; do stop_group "$dir/$r.pid"; done
  ;;
*) echo "usage: aisnode.sh start|stop DIR" >&2; exit 2 ;;
esac
