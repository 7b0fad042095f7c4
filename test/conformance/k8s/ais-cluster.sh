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

# shellcheck source=../lib/cluster.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"

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
  write_aisnode_configs "$dir/$1" "$primary_url" "$2" "$dir/$1/mpaths" "$3"
}

start_node() { # role pod node extra-flags...
  local role="$1" pod="$2" node="$3"; shift 3
  local kind="${role%%-*}"
  # The private mount namespace gets a tmpfs /run (so the mount point can be made) with the service account on top.
  start_group "$dir/$role.pid" "$dir/$role.out" \
    env KUBERNETES_SERVICE_HOST=127.0.0.1 KUBERNETES_SERVICE_PORT="$api_port" MY_NODE="$node" MY_POD="$pod" \
    K8S_NS="$NS" HOSTNAME="$pod" AIS_PRIMARY_EP="$primary_url" \
    unshare -m sh -c 'mount -t tmpfs aisetl-run /run && mkdir -p "$1" && mount --bind "$2" "$1" && shift 2 && exec "$@"' \
    _ /run/secrets/kubernetes.io/serviceaccount "$dir/sa" \
    "$K8S_BIN/aisnode-etl" -config="$dir/$role/ais.json" -local_config="$dir/$role/ais_local.json" -role="$kind" "$@"
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
  wait_aisnode_ready "$dir" "$primary_url" 120 proxy target-0 target-1 && exit 0
  "$0" stop "$dir"; exit 1
  ;;
stop)
  for r in target-1 target-0 proxy; do stop_group "$dir/$r.pid"; done
  ;;
*) echo "usage: ais-cluster.sh start DIR KUBE_DIR | stop DIR" >&2; exit 2 ;;
esac
