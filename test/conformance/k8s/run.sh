#!/usr/bin/env bash
# The real-Kubernetes conformance suite: AIStore's own ETL (aisnode v1.5.0 -tags etl) on a real control plane
# (etcd, kube-apiserver, controller-manager, scheduler, kwok), driven by our engine.
#
#   k8s/run.sh [--merge-tap FILE | --bench OUT.json | --vscode]   builds/reuses the pinned peers (install.sh), prepares the Python venvs the ETLs
#                                   need (PyPI, before the network is cut), then runs everything in a private network
#                                   namespace (netns.sh) and prints "[k8s] N passed, N failed, N skipped".
# With --merge-tap (test/conformance/run.sh), its counts are added to that TAP file's totals. With --bench, benchmark
# B7 (bench/b7-real-etl.ts) runs in the harness instead of the tests and writes its results to OUT.json. With
# --vscode, the extension's integration suite test/integration/suite/k8s-real.test.ts runs in a real VS Code host
# (scripts/vscode-host-test.sh) connected to the harness.
# Anything that keeps it from running (no Go, a build refused by the proxy, no permission for namespaces) is
# printed and counted as one skipped test, never silently.
set -uo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
cd "$ROOT"
merge=""; [[ "${1:-}" == "--merge-tap" ]] && merge="${2:-}"
export AISETL_K8S_BENCH_OUT=""; [[ "${1:-}" == "--bench" ]] && AISETL_K8S_BENCH_OUT="${2:?--bench needs a file}"
export AISETL_K8S_VSCODE=""; [[ "${1:-}" == "--vscode" ]] && AISETL_K8S_VSCODE=1
t0=$SECONDS

summary() { # pass fail skip
  echo "[k8s] total time $((SECONDS - t0))s"
  echo "[k8s] $1 passed, $2 failed, $3 skipped"
  [[ -n "$merge" && -f "$merge" ]] || return 0
  local p f s
  p=$(grep -E '^# pass [0-9]+' "$merge" | awk '{print $3}' | tail -1)
  f=$(grep -E '^# fail [0-9]+' "$merge" | awk '{print $3}' | tail -1)
  s=$(grep -E '^# skipped [0-9]+' "$merge" | awk '{print $3}' | tail -1)
  printf '# pass %d\n# fail %d\n# skipped %d\n' $((${p:-0} + $1)) $((${f:-0} + $2)) $((${s:-0} + $3)) >>"$merge"
}
skip_all() {
  echo "[k8s] SKIP the real-Kubernetes suite: $1"
  if [[ -n "$AISETL_K8S_BENCH_OUT" ]]; then
    python3 -c 'import json,sys; open(sys.argv[1],"w").write(json.dumps({"error": "B7 needs the real-Kubernetes harness: " + sys.argv[2]}))' \
      "$AISETL_K8S_BENCH_OUT" "$1"
  fi
  summary 0 0 1; exit 0
}

out=$(bash "$HERE/install.sh") || skip_all "install.sh failed: $out"
echo "$out" | grep -v '^K8S_DIR=' || true
K8S_DIR=$(echo "$out" | sed -n 's/^K8S_DIR=//p')
[[ -z "$K8S_DIR" ]] && skip_all "$(echo "$out" | sed -n 's/^AISETL_K8S_SKIP=//p')"
set -a
# shellcheck disable=SC1091
source "$K8S_DIR/k8s.env"
set +a
[[ -n "${AISETL_K8S_SKIP:-}" ]] && skip_all "$AISETL_K8S_SKIP"
echo "[k8s] peers ready after $((SECONDS - t0))s"

if ! unshare -n -m true 2>/dev/null; then
  skip_all "cannot create a private network + mount namespace (unshare -n -m; needs root or CAP_SYS_ADMIN): AIS in Kubernetes mode never uses loopback for its intra-cluster network, so it runs in one"
fi

# The network namespace has no route out: Python venvs the ETLs need are made now (cached next to the binaries).
export AISETL_K8S_VENVS="$K8S_DIR/venvs" AISETL_K8S_WORK
AISETL_K8S_WORK="$(mktemp -d /tmp/aisetl-k8s-XXXXXX)"
node --import tsx "$HERE/prepare.ts" || echo "[k8s] preparing the ETL venvs failed: the tests that need them say why"

if [[ -n "$AISETL_K8S_VSCODE" ]]; then
  AISETL_INSTALL_ONLY=1 bash "$ROOT/scripts/vscode-host-test.sh" || skip_all "code-server could not be installed"
elif [[ -z "$AISETL_K8S_BENCH_OUT" && "${AISETL_K8S_NO_VSCODE:-}" != 1 ]]; then
  # the extension's own suite runs in the same harness after the tests, when a VS Code host can be installed
  if AISETL_INSTALL_ONLY=1 bash "$ROOT/scripts/vscode-host-test.sh" >"$AISETL_K8S_WORK/vscode-install.out" 2>&1; then
    export AISETL_K8S_WITH_VSCODE=1
  else
    vscode_skip="VS Code host (code-server) not installable: $(tail -1 "$AISETL_K8S_WORK/vscode-install.out")"
    echo "[k8s] SKIP the VS Code suite: $vscode_skip"
  fi
fi

tap="$AISETL_K8S_WORK/k8s.tap"
unshare -n -m -- bash "$HERE/netns.sh" "$tap"
rc=$?
if [[ -n "$AISETL_K8S_BENCH_OUT$AISETL_K8S_VSCODE" ]]; then
  [[ "${AISETL_K8S_KEEP:-}" == 1 ]] && echo "[k8s] kept $AISETL_K8S_WORK" || rm -rf "$AISETL_K8S_WORK"
  echo "[k8s] total time $((SECONDS - t0))s"; exit $rc
fi
count() { grep -E "^# $1 [0-9]+" "$tap" 2>/dev/null | awk '{print $3}' | tail -1; }
pass=$(count pass); fail=$(count fail); skip=$(count skipped); cancelled=$(count cancelled)
pass=${pass:-0}; fail=$((${fail:-0} + ${cancelled:-0})); skip=${skip:-0}
if [[ -f "$AISETL_K8S_WORK/vscode.counts" ]]; then
  read -r vp vf <"$AISETL_K8S_WORK/vscode.counts"; pass=$((pass + vp)); fail=$((fail + vf))
elif [[ -n "${vscode_skip:-}" ]]; then skip=$((skip + 1)); fi
if [[ $rc -ne 0 && $fail -eq 0 ]]; then fail=1; echo "[k8s] the suite exited $rc without a failing test (harness failure, see above)"; fi
[[ "${AISETL_K8S_KEEP:-}" == 1 ]] && echo "[k8s] kept $AISETL_K8S_WORK" || rm -rf "$AISETL_K8S_WORK"
summary "$pass" "$fail" "$skip"
[[ $fail -eq 0 ]]
