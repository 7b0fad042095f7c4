#!/usr/bin/env bash
# Conformance suite: our engine client and local cluster checked against software NVIDIA wrote (aisnode, the ais CLI,
# the Python SDK), installed pinned from the registries into a cache (install-peers.sh).
# Prints one final "N passed, N failed, N skipped" line; exits non-zero on any failure.
set -uo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"
export AISETL_TOOLS="${AISETL_TOOLS:-$HOME/.cache/aisetl-tools}"

# One run at a time on this machine: the runs share the tools cache and the peers' ports and processes.
# `flock /tmp/aisetl-conformance.lock bash run.sh` from outside is the same lock: then our parent holds it.
LOCK=/tmp/aisetl-conformance.lock
if [[ -z "${AISETL_CONFORMANCE_LOCKED:-}" ]] && command -v flock >/dev/null; then
  exec 9>>"$LOCK"
  if ! flock -n 9; then
    if tr '\0' ' ' <"/proc/$PPID/cmdline" 2>/dev/null | grep -q "flock.*$LOCK"; then
      echo "[conformance] $LOCK is held by our caller (flock)"
    else
      echo "[conformance] another conformance run holds $LOCK; waiting for it"
      flock 9
    fi
  fi
  export AISETL_CONFORMANCE_LOCKED=1
fi
t0=$SECONDS

bash "$HERE/install-peers.sh"
set -a
# shellcheck disable=SC1091
source "$AISETL_TOOLS/peers.env"
set +a
echo "[conformance] peers ready after $((SECONDS - t0))s"

# Say up front which peers are missing and why (the tests that need them are reported as skipped with this reason).
for v in AISETL_AISNODE_SKIP AISETL_AIS_CLI_50_SKIP AISETL_AIS_CLI_329_SKIP AISETL_SDK_SKIP AISETL_SDK2_SKIP; do
  [[ -n "${!v:-}" ]] && echo "[conformance] SKIP ${v%_SKIP}: ${!v}"
done

tap="$(mktemp)"
trap 'rm -f "$tap"' EXIT
# One node:test run over every conformance test file: readable spec output on the terminal, TAP kept for counting.
node --import tsx --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" \
  "$HERE"/*.test.ts
node_rc=$?
bash "$HERE/k8s/run.sh" --merge-tap "$tap" || node_rc=1 # AIS's own ETL on a real Kubernetes API (README: k8s/)

count() { grep -E "^# $1 [0-9]+" "$tap" | awk '{print $3}' | tail -1; }
pass=$(count pass); fail=$(count fail); skip=$(count skipped); cancelled=$(count cancelled)
pass=${pass:-0}; fail=$((${fail:-0} + ${cancelled:-0})); skip=${skip:-0}
if [[ $node_rc -ne 0 && $fail -eq 0 ]]; then fail=1; echo "[conformance] node test runner exited $node_rc without a failing test (crash?)"; fi

echo "[conformance] total time $((SECONDS - t0))s"
echo "${pass} passed, ${fail} failed, ${skip} skipped"
[[ $fail -eq 0 ]]
