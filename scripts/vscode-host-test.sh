#!/usr/bin/env bash
# Runs the integration tests inside a real VS Code extension host, headless and offline:
# code-server (VS Code 1.100.3 server, from npm) + Debian Chromium driven by playwright-core.
# usage: scripts/vscode-host-test.sh            (builds the extension and the tests first)
#        AISETL_HOST_SUITE=restricted scripts/vscode-host-test.sh   the Restricted Mode suite instead: Workspace Trust
#        on and the workspace folder not trusted (test/integration/restricted)
# env:   AISETL_TOOLS (install cache, default ~/.cache/aisetl-tools), CS_VERSION (4.100.3), TEST_TIMEOUT_S (900),
#        KEEP_RUN=1 (keep the run dir), SCREENSHOT=<png> (workbench screenshot when the tests end), AISETL_TEST_GREP.
# exit:  0 all passed; 1 failures or a crashed host (no results); 124 timeout; 3 install failed.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T0=$(date +%s%N); lap() { awk -v a="$T0" -v b="$(date +%s%N)" -v m="$1" 'BEGIN{printf "[vscode-host-test] %-34s %6.1fs\n", m, (b-a)/1e9}'; }

# 1-2. Debian packages and code-server from npm (cached in $AISETL_TOOLS).
source "$ROOT/scripts/code-server-install.sh" || exit 3
lap "code-server $CS_VERSION ready"
[ "${AISETL_INSTALL_ONLY:-0}" = 1 ] && exit 0

# 3. Build the extension and the bundled tests.
(cd "$ROOT" && node scripts/build.mjs >/dev/null && node scripts/build-tests.mjs)
lap "extension and tests built"

# The main suite runs with Workspace Trust off; the restricted one with it on, in a folder nobody trusted (fresh
# user data, no startup prompt: the workbench opens the folder in Restricted Mode and the tests check that first).
SUITE=${AISETL_HOST_SUITE:-main}
case "$SUITE" in
  main) TESTS="$ROOT/out/integration/index.js" LABEL=integration TRUST='"security.workspace.trust.enabled": false'
        TRUST_FLAG=--disable-workspace-trust ;;
  restricted) TESTS="$ROOT/out/integration/restricted/index.js" LABEL="integration (Restricted Mode)" TRUST_FLAG=
        TRUST='"security.workspace.trust.enabled": true, "security.workspace.trust.startupPrompt": "never"' ;;
  *) echo "[vscode-host-test] AISETL_HOST_SUITE must be main or restricted, not $SUITE"; exit 2 ;;
esac

# 4. A throwaway workspace holding the tutorial's files, and code-server on a free loopback port.
RUN=$(mktemp -d "${RUN_ROOT:-/tmp}/aisetl-vsc.XXXXXX"); mkdir -p "$RUN/ud/User" "$RUN/exts" "$RUN/xdg" "$RUN/workspace"
WS="$RUN/workspace"
[ -d "$ROOT/test/fixtures/tutorial" ] && cp -r "$ROOT/test/fixtures/tutorial" "$WS/tutorial"
# An untrusted folder's settings may not choose files to use: the restricted suite checks this one is ignored.
if [ "$SUITE" = restricted ]; then
  mkdir -p "$WS/.vscode"; printf '{ "aistore.local.dataDir": "%s" }\n' "$WS/workspace-chosen-data" > "$WS/.vscode/settings.json"
fi
cat > "$RUN/ud/User/settings.json" <<JSON
{ "telemetry.telemetryLevel": "off", "extensions.autoCheckUpdates": false, "extensions.autoUpdate": false,
  "update.mode": "none", "workbench.startupEditor": "none", "workbench.enableExperiments": false, "git.enabled": false,
  $TRUST, "workbench.tips.enabled": false }
JSON
PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
export VSC_TEST_RESULTS=${VSC_TEST_RESULTS:-$RUN/results.json}; rm -f "$VSC_TEST_RESULTS"
export EXTENSIONS_GALLERY=${EXTENSIONS_GALLERY:-'{}'}   # no marketplace lookups: there is no network
export XDG_CONFIG_HOME="$RUN/xdg/config" XDG_DATA_HOME="$RUN/xdg/data" XDG_CACHE_HOME="$RUN/xdg/cache"
export AISETL_HOME="$RUN/aisetl-home" AISETL_TEST_WORKSPACE="$WS"   # the extension host inherits this environment
setsid "$CS/node_modules/.bin/code-server" --auth none --bind-addr "127.0.0.1:$PORT" \
  --user-data-dir "$RUN/ud" --extensions-dir "$RUN/exts" --disable-telemetry --disable-update-check \
  $TRUST_FLAG --disable-getting-started-override "$WS" > "$RUN/code-server.log" 2>&1 &
CSPID=$!
cleanup() {  # end the whole process group: code-server leaves file watchers behind otherwise
  kill -TERM -- "-$CSPID" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 -- "-$CSPID" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL -- "-$CSPID" 2>/dev/null || true; }
finish() { cleanup; [ "${KEEP_RUN:-0}" = 1 ] || [ "${rc:-1}" != 0 ] || rm -rf "$RUN"; }
trap finish EXIT
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
lap "code-server listening on :$PORT"

# 5. VS Code starts a remote extension host with our extension and calls test/integration/index.ts run().
set +e
NODE_PATH="$ROOT/node_modules" PROFILE_DIR="$RUN/chrome" node "$ROOT/scripts/run-vscode-tests.js" \
  "http://127.0.0.1:$PORT" "$WS" "$ROOT" "$TESTS"
rc=$?
set -e
lap "tests finished (rc=$rc)"
# The workbench reports 0 even when the extension host died: only a results file with passes and no failures counts.
if [ $rc -eq 0 ]; then
  node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); process.exit(r.failed===0 && r.passed>0 ? 0 : 1)' "$VSC_TEST_RESULTS" 2>/dev/null \
    || { echo "[vscode-host-test] results file missing or not all passed: $VSC_TEST_RESULTS"; grep 'Extension Host Process exited' "$RUN/code-server.log" | tail -2; rc=1; }
fi
if [ $rc -ne 0 ]; then echo "--- code-server log (tail), run dir kept: $RUN"; tail -30 "$RUN/code-server.log"; fi
if [ -s "$VSC_TEST_RESULTS" ]; then
  node -e 'const r=require(process.argv[1]); for (const t of r.tests.filter(t=>t.state==="failed")) console.log("FAILED:", t.title, "\n", t.error); console.log(`${process.argv[2]}: ${r.passed} passed, ${r.failed} failed`)' "$VSC_TEST_RESULTS" "$LABEL"
else
  echo "$LABEL: 0 passed, 1 failed"
fi
exit $rc
