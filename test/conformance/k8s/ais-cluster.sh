#!/usr/bin/env bash
# Start/stop real AIStore with ETL (aisnode v1.5.0 built with -tags etl) on the control plane of control-plane.sh:
# 1 proxy + 2 targets as host processes, each with its own Pod object on its own kwok Node, each believing it runs
# in that pod: in-cluster credentials bind-mounted over /run/secrets/kubernetes.io/serviceaccount in a private mount
# namespace (`unshare -m`, nothing changes outside it), env MY_NODE / MY_POD / K8S_NS as the ais-k8s operator sets.
#
#   ais-cluster.sh start DIR KUBE_DIR -> prints AIS_ENDPOINT=http://127.0.0.1:PORT (also DIR/endpoint)
#   ais-cluster.sh stop DIR
#
# AIS in Kubernetes mode never picks a loopback address for its intra-cluster networks, so the caller runs this in a
# private network namespace with a non-loopback address on lo (run.sh does). Binaries: $K8S_BIN (install.sh).
set -euo pipefail

cmd="${1:-}"; dir="${2:-}"; kube="${3:-}"
[[ -n "$cmd" && -n "$dir" ]] || { echo "usage: ais-cluster.sh start DIR KUBE_DIR | stop DIR" >&2; exit 2; }
NS=ais

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
# the proxy's port doubles as the NodePort of its Service (ais-proxy), so it is taken from the NodePort range
free_node_port() {
  python3 -c 'import random, socket
for p in random.sample(range(30000, 32768), 2768):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); print(p); break
    except OSError: pass
    finally: s.close()'
}
http_code() { curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" || true; }

rbac() {
  # the rights the ais-k8s operator gives the target's service account (operator/internal/resources/aistore/cmn/rbac.go)
  cat <<EOF
apiVersion: v1
kind: ServiceAccount
metadata: { name: ais, namespace: $NS }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: ais-etl, namespace: $NS }
rules:
- { apiGroups: [""], resources: [pods, services], verbs: [get, list, watch, create, update, delete] }
- { apiGroups: [""], resources: [pods/log], verbs: [get] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: ais-etl, namespace: $NS }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: ais-etl }
subjects: [{ kind: ServiceAccount, name: ais, namespace: $NS }]
EOF
}

node_yaml() { # name
  cat <<EOF
apiVersion: v1
kind: Node
metadata:
  name: $1
  annotations: { kwok.x-k8s.io/node: fake }
  labels: { kubernetes.io/hostname: $1, kubernetes.io/os: linux, type: kwok }
status:
  allocatable: { cpu: "8", memory: 32Gi, pods: "110" }
  capacity: { cpu: "8", memory: 32Gi, pods: "110" }
EOF
}

pod_yaml() { # name node role mountpath
  cat <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: $1
  namespace: $NS
  labels: { app: ais, component: $3, app.kubernetes.io/name: aistore, app.kubernetes.io/component: $3 }
  annotations: { aisetl.test/ready: "true" }
spec:
  nodeName: $2
  serviceAccountName: ais
  containers:
  - name: ais-node
    image: aistorage/aisnode:v1.5.0-etl
    volumeMounts: [{ name: mpath, mountPath: $4 }]
  volumes: [{ name: mpath, hostPath: { path: $4, type: DirectoryOrCreate } }]
EOF
}

proxy_svc_yaml() { # port: the proxy Service the operator makes (labels as ais-k8s), NodePort = the proxy's own port
  cat <<EOF
apiVersion: v1
kind: Service
metadata:
  name: ais-proxy
  namespace: $NS
  labels: { app.kubernetes.io/name: ais, app.kubernetes.io/component: proxy-svc }
spec:
  type: NodePort
  selector: { app: ais, component: proxy }
  ports: [{ name: pub, port: 51080, targetPort: $1, nodePort: $1 }]
EOF
}

write_configs() { # role port count
  local role="$1" conf="$dir/$1"
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
                "port": "$2", "port_intra_control": "$(free_port)", "port_intra_data": "$(free_port)" },
  "fspaths": {},
  "test_fspaths": { "root": "$dir/$role/mpaths", "count": $3, "instance": 0 }
}
EOF
}

start_node() { # role pod node extra-flags...
  local role="$1" pod="$2" node="$3"; shift 3
  local kind="${role%%-*}"
  # The private mount namespace gets a tmpfs /run (so the mount point can be made) with the service account on top.
  setsid env KUBERNETES_SERVICE_HOST=127.0.0.1 KUBERNETES_SERVICE_PORT="$api_port" MY_NODE="$node" MY_POD="$pod" \
    K8S_NS="$NS" HOSTNAME="$pod" AIS_PRIMARY_EP="$primary_url" \
    unshare -m sh -c 'mount -t tmpfs aisetl-run /run && mkdir -p "$1" && mount --bind "$2" "$1" && shift 2 && exec "$@"' \
    _ /run/secrets/kubernetes.io/serviceaccount "$dir/sa" \
    "$K8S_BIN/aisnode-etl" -config="$dir/$role/ais.json" -local_config="$dir/$role/ais_local.json" -role="$kind" "$@" \
    >"$dir/$role.out" 2>&1 </dev/null &
  echo $! >"$dir/$role.pid"
}

case "$cmd" in
start)
  [[ -n "$kube" ]] || { echo "usage: ais-cluster.sh start DIR KUBE_DIR" >&2; exit 2; }
  mkdir -p "$dir"; dir="$(cd "$dir" && pwd)"; kube="$(cd "$kube" && pwd)"
  kc=("$K8S_BIN/kubectl" --kubeconfig "$kube/admin.kubeconfig")
  api_port=$(cat "$kube/api-port")
  rbac | "${kc[@]}" apply -f - >/dev/null
  mkdir -p "$dir/sa"
  "${kc[@]}" -n "$NS" create token ais --duration 24h >"$dir/sa/token"
  cp "$kube/pki/serving/apiserver.crt" "$dir/sa/ca.crt"; echo -n "$NS" >"$dir/sa/namespace"
  for n in ais-node-0 ais-node-1 ais-node-2; do node_yaml "$n" | "${kc[@]}" apply -f - >/dev/null; done
  pod_yaml ais-proxy-0 ais-node-0 proxy "$dir/proxy/mpaths" | "${kc[@]}" apply -f - >/dev/null
  pod_yaml ais-target-0 ais-node-1 target "$dir/target-0/mpaths" | "${kc[@]}" apply -f - >/dev/null
  pod_yaml ais-target-1 ais-node-2 target "$dir/target-1/mpaths" | "${kc[@]}" apply -f - >/dev/null
  pport=$(free_node_port); primary_url="http://127.0.0.1:$pport"
  proxy_svc_yaml "$pport" | "${kc[@]}" apply -f - >/dev/null
  write_configs proxy "$pport" 0
  write_configs target-0 "$(free_port)" 1
  write_configs target-1 "$(free_port)" 1
  start_node proxy ais-proxy-0 ais-node-0 -ntargets=2
  start_node target-0 ais-target-0 ais-node-1
  start_node target-1 ais-target-1 ais-node-2
  for _ in $(seq 1 600); do
    if [[ $(http_code "$primary_url/v1/health?prr=true") == 200 && $(http_code "$primary_url/v1/buckets") == 200 ]]; then
      echo "$primary_url" >"$dir/endpoint"; echo "AIS_ENDPOINT=$primary_url"; exit 0
    fi
    for r in proxy target-0 target-1; do
      if ! kill -0 "$(cat "$dir/$r.pid")" 2>/dev/null; then
        echo "aisnode $r exited during startup; last lines of $dir/$r.out:" >&2; tail -20 "$dir/$r.out" >&2
        "$0" stop "$dir"; exit 1
      fi
    done
    sleep 0.2
  done
  echo "aisnode cluster at $primary_url not ready in 120s; see $dir/*.out and $dir/*/log" >&2
  "$0" stop "$dir"; exit 1
  ;;
stop)
  for r in target-1 target-0 proxy; do
    f="$dir/$r.pid"; [[ -f "$f" ]] || continue
    pid=$(cat "$f")
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$f"
  done
  ;;
*) echo "usage: ais-cluster.sh start DIR KUBE_DIR | stop DIR" >&2; exit 2 ;;
esac
