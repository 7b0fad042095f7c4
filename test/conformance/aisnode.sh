#!/usr/bin/env bash
# Start/stop a real aisnode cluster (1 proxy + 1 target) on loopback for conformance tests and benchmark B5.
#
#   aisnode.sh start DIR   -> writes configs under DIR, starts both nodes, waits until the cluster serves
#                             requests, prints AIS_ENDPOINT=http://127.0.0.1:PORT (and writes DIR/endpoint)
#   aisnode.sh stop DIR    -> kills both nodes' process groups (pids in DIR/*.pid)
#
# Binary: $AISNODE_BIN, else "$AISETL_TOOLS/bin/aisnode-5.0" (install-peers.sh builds it).
# Our own minimal version of what AIS's deploy/dev/local scripts generate: "test_fspaths" makes the target
# use counted mountpaths under DIR (a plain dir on the same disk is fine in this testing mode).
set -euo pipefail

TOOLS="${AISETL_TOOLS:-$HOME/.cache/aisetl-tools}"
BIN="${AISNODE_BIN:-$TOOLS/bin/aisnode-5.0}"
cmd="${1:-}"; dir="${2:-}"
[[ -n "$cmd" && -n "$dir" ]] || { echo "usage: aisnode.sh start|stop DIR" >&2; exit 2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

write_configs() { # role port ctl data
  local role="$1" port="$2" ctl="$3" data="$4" conf="$dir/$1"
  mkdir -p "$conf"
  cat >"$conf/ais.json" <<EOF
{
  "backend": {},
  "timeout": { "cplane_operation": "2s", "max_keepalive": "5s", "max_host_busy": "20s",
               "startup_time": "1m", "join_startup_time": "3m", "send_file_time": "5m" },
  "proxy": { "primary_url": "$primary_url", "original_url": "$primary_url", "discovery_url": "", "non_electable": false },
  "space": { "cleanupwm": 65, "lowwm": 75, "highwm": 90, "out_of_space": 95 },
  "memsys": { "min_free": "256mb", "default_buf": "32kb", "to_gc": "1gb", "hk_time": "3m" },
  "versioning": { "enabled": true, "validate_warm_get": false },
  "net": { "l4": { "proto": "tcp", "sndrcv_buf_size": 131072 },
           "http": { "use_https": false, "chunked_transfer": true, "idle_conn_time": "6s",
                     "idle_conns_per_host": 32, "idle_conns": 256 } },
  "auth": {}
}
EOF
  cat >"$conf/ais_local.json" <<EOF
{
  "confdir": "$conf",
  "log_dir": "$conf/log",
  "host_net": { "hostname": "127.0.0.1", "hostname_intra_control": "", "hostname_intra_data": "",
                "port": "$port", "port_intra_control": "$ctl", "port_intra_data": "$data" },
  "fspaths": {},
  "test_fspaths": { "root": "$dir/mpaths", "count": $([[ $role == target ]] && echo 1 || echo 0), "instance": 0 }
}
EOF
}

start_node() { # role extra-flags...
  local role="$1"; shift
  # setsid: each node leads its own process group so stop can kill exactly it
  setsid "$BIN" -config="$dir/$role/ais.json" -local_config="$dir/$role/ais_local.json" -role="$role" "$@" \
    >"$dir/$role.out" 2>&1 </dev/null &
  echo $! >"$dir/$role.pid"
}

http_code() { curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" || true; }

case "$cmd" in
start)
  [[ -x "$BIN" ]] || { echo "aisnode binary not found at $BIN: run test/conformance/install-peers.sh first" >&2; exit 3; }
  mkdir -p "$dir"; dir="$(cd "$dir" && pwd)"
  pport=$(free_port); tport=$(free_port)
  primary_url="http://127.0.0.1:$pport"
  write_configs proxy "$pport" "$(free_port)" "$(free_port)"
  write_configs target "$tport" "$(free_port)" "$(free_port)"
  export AIS_PRIMARY_EP="$primary_url"
  start_node proxy -ntargets=1
  start_node target
  # Ready = the proxy answers /v1/health with 200 and lists buckets (cluster started, target joined).
  for _ in $(seq 1 300); do
    if [[ $(http_code "$primary_url/v1/health?prr=true") == 200 && $(http_code "$primary_url/v1/buckets") == 200 ]]; then
      echo "$primary_url" >"$dir/endpoint"
      echo "AIS_ENDPOINT=$primary_url"
      exit 0
    fi
    for r in proxy target; do
      if ! kill -0 "$(cat "$dir/$r.pid")" 2>/dev/null; then
        echo "aisnode $r exited during startup; last lines of $dir/$r.out:" >&2; tail -20 "$dir/$r.out" >&2
        "$0" stop "$dir"; exit 1
      fi
    done
    sleep 0.2
  done
  echo "aisnode cluster at $primary_url did not become ready in 60s; see $dir/*.out and $dir/*/log" >&2
  "$0" stop "$dir"; exit 1
  ;;
stop)
  for r in target proxy; do
    f="$dir/$r.pid"; [[ -f "$f" ]] || continue
    pid=$(cat "$f")
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$f"
  done
  ;;
*) echo "usage: aisnode.sh start|stop DIR" >&2; exit 2 ;;
esac
