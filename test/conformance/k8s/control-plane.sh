#!/usr/bin/env bash
# Start/stop a real Kubernetes control plane on loopback: etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler and kwok (fake kubelets for Nodes annotated kwok.x-k8s.io/node=fake).
#
#   control-plane.sh start DIR  -> certs, tokens, configs and logs under DIR; prints KUBECONFIG=DIR/admin.kubeconfig
#   control-plane.sh stop DIR   -> ends every process it started (pids in DIR/pids/*), newest first
#
# Binaries come from $K8S_BIN (install.sh's "<cache>/k8s-<hash>/bin"). Every port is a free 127.0.0.1 port.
# Tokens (DIR/tokens.csv): admin (system:masters), "limited" (authenticated, no RBAC rights); DIR/token-<name> holds each.
# Pods go Ready only when annotated aisetl.test/ready=true (the pod runner does that once the container's server
# answers), and show a terminated container when annotated aisetl.test/exit-code (kwok stages in kwok.yaml).
set -euo pipefail

cmd="${1:-}"; dir="${2:-}"
[[ -n "$cmd" && -n "$dir" ]] || { echo "usage: control-plane.sh start|stop DIR" >&2; exit 2; }
HERE="$(cd "$(dirname "$0")" && pwd)"

# shellcheck source=../lib/cluster.sh
source "$HERE/../lib/cluster.sh"

start_bg() { # name command...
  local name="$1"; shift
  start_group "$dir/pids/$(date +%s%N)-$name" "$dir/logs/$name.log" "$@"
}

wait_for() { # what seconds command...
  local what="$1" secs="$2"; shift 2
  for _ in $(seq 1 $((secs * 10))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "control-plane: $what not ready after ${secs}s; logs in $dir/logs" >&2; return 1
}

make_pki() {
  mkdir -p "$dir/pki/serving"
  openssl genrsa -out "$dir/pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$dir/pki/sa.key" -pubout -out "$dir/pki/sa.pub" 2>/dev/null
  local admin limited
  admin=$(openssl rand -hex 16); limited=$(openssl rand -hex 16)
  printf '%s,admin,admin-uid,system:masters\n%s,limited,limited-uid\n' "$admin" "$limited" >"$dir/tokens.csv"
  echo -n "$admin" >"$dir/token-admin"; echo -n "$limited" >"$dir/token-limited"
  chmod 600 "$dir/tokens.csv" "$dir"/token-*
}

kubeconfig() { # file token
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: aisetl-test
  cluster: { server: "https://127.0.0.1:$api_port", certificate-authority: "$dir/pki/serving/apiserver.crt" }
users:
- name: $(basename "$1" .kubeconfig)
  user: { token: "$(cat "$2")" }
contexts:
- name: aisetl-test
  context: { cluster: aisetl-test, user: $(basename "$1" .kubeconfig), namespace: ais }
current-context: aisetl-test
EOF
}

kwok_config() {
  # The stages differ from kwok's "fast" pod stages only in the ready gate and the exit stage.
  cat >"$dir/kwok.yaml" <<EOF
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokConfiguration
options:
  cidr: 127.0.10.1/24
  nodeIP: 127.0.0.1
  nodePort: $kwok_port
  serverAddress: 127.0.0.1:$kwok_port
  manageAllNodes: false
  manageNodesWithAnnotationSelector: kwok.x-k8s.io/node=fake
  enableCRDs: [Logs]
---
$(cat "$HERE/kwok-stages.yaml")
EOF
}

case "$cmd" in
start)
  BIN="${K8S_BIN:?K8S_BIN must name the folder with etcd, kube-* and kwok (install.sh)}"
  mkdir -p "$dir/logs" "$dir/pids" "$dir/etcd"
  dir="$(cd "$dir" && pwd)"
  etcd_port=$(free_port); peer_port=$(free_port); api_port=$(free_port); kwok_port=$(free_port)
  make_pki
  start_bg etcd "$BIN/etcd" --name aisetl --data-dir "$dir/etcd" --unsafe-no-fsync \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "aisetl=http://127.0.0.1:$peer_port"
  wait_for etcd 30 curl -sf "http://127.0.0.1:$etcd_port/health"
  start_bg kube-apiserver "$BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
    --endpoint-reconciler-type none --service-cluster-ip-range 127.1.0.0/24 \
    --service-account-key-file "$dir/pki/sa.pub" --service-account-signing-key-file "$dir/pki/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --token-auth-file "$dir/tokens.csv" --authorization-mode RBAC --cert-dir "$dir/pki/serving" \
    --kubelet-preferred-address-types InternalIP --allow-privileged
  wait_for kube-apiserver 90 curl -sfk -H "Authorization: Bearer $(cat "$dir/token-admin")" \
    "https://127.0.0.1:$api_port/readyz"
  kubeconfig "$dir/admin.kubeconfig" "$dir/token-admin"
  kubeconfig "$dir/limited.kubeconfig" "$dir/token-limited"
  kc=("$BIN/kubectl" --kubeconfig "$dir/admin.kubeconfig")
  # a long node grace period: on a loaded machine kwok's node heartbeats arrive late, and the node lifecycle
  # controller would mark every pod on the "NotReady" node unready, which AIS sees as an ETL pod never ready
  # (the controller itself stays: it removes the not-ready taint new nodes get)
  start_bg kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig "$dir/admin.kubeconfig" \
    --controllers '*,-nodeipam' --node-monitor-grace-period 1h --leader-elect=false --bind-address 127.0.0.1 --secure-port "$(free_port)" \
    --service-account-private-key-file "$dir/pki/sa.key" --root-ca-file "$dir/pki/serving/apiserver.crt"
  start_bg kube-scheduler "$BIN/kube-scheduler" --kubeconfig "$dir/admin.kubeconfig" --leader-elect=false \
    --bind-address 127.0.0.1 --secure-port "$(free_port)"
  # kwok's Logs kind (pod → log file) is created per ETL pod by the pod runner, so it is served as a CRD
  "${kc[@]}" apply -f "$K8S_CRDS/kwok.x-k8s.io_logs.yaml" >/dev/null
  kwok_config
  start_bg kwok "$BIN/kwok" --kubeconfig "$dir/admin.kubeconfig" --config "$dir/kwok.yaml"
  "${kc[@]}" create namespace ais >/dev/null
  wait_for "the default service account" 60 "${kc[@]}" -n ais get serviceaccount default
  echo "$api_port" >"$dir/api-port"
  echo "KUBECONFIG=$dir/admin.kubeconfig"
  ;;
stop)
  [[ -d "$dir/pids" ]] || exit 0
  for f in $(ls -r "$dir/pids"); do stop_group "$dir/pids/$f"; done
  ;;
*) echo "usage: control-plane.sh start|stop DIR" >&2; exit 2 ;;
esac
