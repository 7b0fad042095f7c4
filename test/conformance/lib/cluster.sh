# Shell functions shared by the scripts that start real clusters for the conformance suites: aisnode.sh,
# k8s/ais-cluster.sh and k8s/control-plane.sh. Sourced, never run.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

http_code() { curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" || true; }

start_group() { # pidfile logfile command...
  local pidfile="$1" log="$2"; shift 2
  # setsid: the command leads its own process group, so stop_group ends exactly it and its children
  setsid "$@" >"$log" 2>&1 </dev/null &
  echo $! >"$pidfile"
}

stop_group() { # pidfile: TERM the group it names, KILL it after 5 s, remove the file
  local f="$1" pid
  [[ -f "$f" ]] || return 0
  pid=$(cat "$f")
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$f"
}

# Our own minimal version of what AIS's deploy/dev/local scripts generate: "test_fspaths" makes a target use COUNT
# counted mountpaths under MPATHS (a plain dir on the same disk is fine in this testing mode); a proxy has 0.
write_aisnode_configs() { # conf-dir primary-url port mpaths count
  local conf="$1" primary_url="$2" port="$3" mpaths="$4" count="$5"
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
                "port": "$port", "port_intra_control": "$(free_port)", "port_intra_data": "$(free_port)" },
  "fspaths": {},
  "test_fspaths": { "root": "$mpaths", "count": $count, "instance": 0 }
}
EOF
}

# Ready = the proxy answers /v1/health with 200 and lists buckets (cluster started, every target joined). Then the
# endpoint goes to DIR/endpoint and stdout (AIS_ENDPOINT=...). Returns 1, having said why, when a node exits first
# (its DIR/<role>.pid process is gone; the tail of DIR/<role>.out is shown) or after SECONDS.
wait_aisnode_ready() { # dir primary-url seconds roles...
  local dir="$1" url="$2" secs="$3" r; shift 3
  for _ in $(seq 1 $((secs * 5))); do
    if [[ $(http_code "$url/v1/health?prr=true") == 200 && $(http_code "$url/v1/buckets") == 200 ]]; then
      echo "$url" >"$dir/endpoint"
      echo "AIS_ENDPOINT=$url"
      return 0
    fi
    for r in "$@"; do
      if ! kill -0 "$(cat "$dir/$r.pid")" 2>/dev/null; then
        echo "aisnode $r exited during startup; last lines of $dir/$r.out:" >&2; tail -20 "$dir/$r.out" >&2
        return 1
      fi
    done
    sleep 0.2
  done
  echo "aisnode cluster at $url did not become ready in ${secs}s; see $dir/*.out and $dir/*/log" >&2
  return 1
}
