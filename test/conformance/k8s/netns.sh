#!/usr/bin/env bash
# Runs inside the private network + mount namespace run.sh made: loopback only, plus 10.211.0.1 on lo (AIS in
# Kubernetes mode needs one non-loopback address for its intra-cluster network). Starts the control plane, AIS and
# the pod runner, runs the tests (TAP to $1), and stops everything it started, whatever happened.
set -uo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
tap="$1"
W="$AISETL_K8S_WORK"
export K8S_BIN="$AISETL_K8S_BIN" K8S_CRDS="$AISETL_K8S_CRDS"

ip link set lo up && ip addr add 10.211.0.1/32 dev lo || { echo "[k8s] cannot configure lo in the namespace" >&2; exit 1; }

runner_pid=""
cleanup() {
  [[ -n "$runner_pid" ]] && { kill -TERM -- "-$runner_pid" 2>/dev/null; sleep 1; kill -KILL -- "-$runner_pid" 2>/dev/null; }
  bash "$HERE/ais-cluster.sh" stop "$W/ais" || true
  bash "$HERE/control-plane.sh" stop "$W/kube" || true
  # anything still alive in this network namespace was started by this run (e.g. an ETL process whose pod runner
  # died): end it, so nothing outlives the suite
  local me; me=$(readlink /proc/$$/ns/net)
  for p in /proc/[0-9]*; do
    local pid=${p#/proc/}
    [[ $pid == "$$" || $pid == "$BASHPID" ]] && continue
    [[ "$(readlink "$p/ns/net" 2>/dev/null)" == "$me" ]] && kill -KILL "$pid" 2>/dev/null
  done
  return 0
}
trap cleanup EXIT

t=$SECONDS
bash "$HERE/control-plane.sh" start "$W/kube" >"$W/control-plane.out" || { cat "$W/control-plane.out"; exit 1; }
echo "[k8s] control plane up in $((SECONDS - t))s"
export AISETL_K8S_KUBECONFIG="$W/kube/admin.kubeconfig" AISETL_K8S_LIMITED_KUBECONFIG="$W/kube/limited.kubeconfig"
export AISETL_K8S_IMAGES="$W/images"

# the pod runner: the kubelet of this cluster (its own process group, ended by cleanup)
setsid node --import tsx "$HERE/runner/pod-runner.ts" --kubeconfig "$AISETL_K8S_KUBECONFIG" --namespace ais \
  --work "$W/runner" --image-store "$AISETL_K8S_IMAGES" --venv-cache "$AISETL_K8S_VENVS" \
  >"$W/pod-runner.out" 2>&1 </dev/null &
runner_pid=$!

t=$SECONDS
out=$(bash "$HERE/ais-cluster.sh" start "$W/ais" "$W/kube") || { echo "$out"; exit 1; }
export AISETL_K8S_AIS_ENDPOINT; AISETL_K8S_AIS_ENDPOINT=$(echo "$out" | sed -n 's/^AIS_ENDPOINT=//p')
echo "[k8s] aisnode (1 proxy, 2 targets, ETL on Kubernetes) up in $((SECONDS - t))s at $AISETL_K8S_AIS_ENDPOINT"

if [[ -n "${AISETL_K8S_VSCODE:-}" ]]; then
  AISETL_TEST_GREP='Real AIS ETL on Kubernetes' bash "$HERE/../../../scripts/vscode-host-test.sh"
  exit $?
fi
if [[ -n "${AISETL_K8S_BENCH_OUT:-}" ]]; then
  node --import tsx "$HERE/../../../bench/b7-real-etl.ts" --json "$AISETL_K8S_BENCH_OUT"
  exit $?
fi

node --import tsx --test --test-concurrency=1 --test-timeout=600000 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" \
  "$HERE"/*.test.ts
rc=$?
# The extension in a real VS Code host against this cluster (test/integration/suite/k8s-real.test.ts); its counts go
# to $W/vscode.counts ("passed failed") for run.sh.
if [[ -n "${AISETL_K8S_WITH_VSCODE:-}" ]]; then
  AISETL_TEST_GREP='Real AIS ETL on Kubernetes' bash "$HERE/../../../scripts/vscode-host-test.sh" >"$W/vscode.out" 2>&1
  vrc=$?
  grep -E '✔|✖|FAILED|passing|failing|^integration:' "$W/vscode.out" | sed 's/^/[k8s vscode] /'
  counts=$(sed -n 's/^integration: \([0-9]*\) passed, \([0-9]*\) failed.*/\1 \2/p' "$W/vscode.out" | tail -1)
  [[ -z "$counts" ]] && { counts="0 1"; echo "[k8s vscode] no result line (exit $vrc); tail:"; tail -20 "$W/vscode.out"; }
  echo "$counts" >"$W/vscode.counts"
fi
if [[ $rc -ne 0 ]]; then
  echo "[k8s] --- pod runner log (tail) ---"; tail -40 "$W/pod-runner.out"
fi
exit $rc
