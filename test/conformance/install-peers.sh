#!/usr/bin/env bash
# Install the conformance peers, pinned to exact versions, into a cache dir so a second run is warm:
#   aisnode v1.5.0 (AIS 5.0)       Go module proxy, built from peers/aisnode/go.mod + go.sum (default tags, no `etl`)
#   ais CLI (5.0 and 3.29 era)     Go module proxy, `go install github.com/NVIDIA/aistore/cmd/cli@<pin>`
#   Python SDK aistore[etl]==1.25.0 PyPI, in a virtualenv, deps pinned by peers/sdk-requirements.txt
#   Python SDK aistore[etl]==2.0.0  PyPI, in a second virtualenv, deps pinned by peers/sdk2-requirements.txt
# Writes "$TOOLS/peers.env" (sourced by run.sh): for each peer either its path or a *_SKIP reason.
# A registry refusal is recorded as a skip with the registry's own words, never silently.
set -uo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
TOOLS="${AISETL_TOOLS:-$HOME/.cache/aisetl-tools}"
mkdir -p "$TOOLS/bin" "$TOOLS/logs"
ENV_OUT="$TOOLS/peers.env.tmp"
: >"$ENV_OUT"

AISNODE_VERSION=v1.5.0
SDK_VERSION=1.25.0
SDK2_VERSION=2.0.0
# cmd/cli has its own go.mod and no semver tags, so it is pinned by pseudo-version: the upstream commits whose
# cmd/cli/go.mod requires aistore v1.5.0 ("build: modules with 5.0") and v1.3.29 (the last release with
# `ais etl init code` and io://).
CLI_50_PIN=v0.0.0-20260821202719-ad7b5519cb21
CLI_329_PIN=v0.0.0-20250522205601-afb112be0003

say() { echo "[install-peers] $*"; }
record() { printf '%s=%q\n' "$1" "$2" >>"$ENV_OUT"; }
# the registry's first meaningful error line, so the skip reason says why
why() {
  local proxy; proxy=$(grep -m1 -oE 'reading https://[^ ]+: [0-9]{3} [A-Za-z ]+' "$1")
  if [[ -n "$proxy" ]]; then
    echo "${proxy#reading } ($(grep -m1 -oE 'server response: .*' "$1" | sed 's/server response: //'))"
  else
    grep -m1 -E 'Forbidden|not available|not found|No matching|ERROR|error' "$1" | sed 's/^[[:space:]]*//' | cut -c1-300
  fi
}

install_aisnode() {
  local bin="$TOOLS/bin/aisnode-5.0" stamp="$TOOLS/bin/.aisnode-5.0.stamp" src="$TOOLS/src/aisnode-5.0"
  local want; want="$AISNODE_VERSION $(sha256sum "$HERE/peers/aisnode/go.sum" | cut -c1-16)"
  if [[ -x "$bin" && "$(cat "$stamp" 2>/dev/null)" == "$want" ]]; then
    say "aisnode $AISNODE_VERSION: cached"; record AISETL_AISNODE_BIN "$bin"; return
  fi
  say "aisnode $AISNODE_VERSION: building (a few minutes cold on 2 cores)"
  mkdir -p "$src" && cp "$HERE"/peers/aisnode/{go.mod,go.sum,tools.go} "$src/"
  local t0=$SECONDS log="$TOOLS/logs/aisnode-build.log"
  if (cd "$src" && go build -mod=readonly \
        -ldflags "-X main.build=$AISNODE_VERSION -X main.buildtime=$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
        -o "$bin" github.com/NVIDIA/aistore/cmd/aisnode) >"$log" 2>&1; then
    echo "$want" >"$stamp"; say "aisnode: built in $((SECONDS - t0))s"; record AISETL_AISNODE_BIN "$bin"
  else
    say "aisnode: FAILED after $((SECONDS - t0))s (log: $log)"
    record AISETL_AISNODE_SKIP "go build of github.com/NVIDIA/aistore/cmd/aisnode@$AISNODE_VERSION failed: $(why "$log")"
  fi
}

install_cli() { # name pin var
  local name="$1" pin="$2" var="$3" bin="$TOOLS/bin/$1" stamp="$TOOLS/bin/.$1.stamp"
  if [[ -x "$bin" && "$(cat "$stamp" 2>/dev/null)" == "$pin" ]]; then
    say "$name ($pin): cached"; record "$var" "$bin"; return
  fi
  local t0=$SECONDS log="$TOOLS/logs/$name-install.log" gobin; gobin="$(mktemp -d)"
  # GOFLAGS=-mod=mod: run outside any module; the CLI's binary is named `cli`, renamed to its versioned name
  if (cd "$gobin" && GOBIN="$gobin" go install "github.com/NVIDIA/aistore/cmd/cli@$pin") >"$log" 2>&1; then
    mv "$gobin/cli" "$bin" && echo "$pin" >"$stamp"
    say "$name: installed in $((SECONDS - t0))s"; record "$var" "$bin"
  else
    say "$name: not installable ($(why "$log"))"
    record "${var/_BIN/_SKIP}" "the Go module proxy refuses github.com/NVIDIA/aistore/cmd/cli@$pin: $(why "$log")"
  fi
  rm -rf "$gobin"
}

# install_sdk VERSION REQUIREMENTS VAR: a venv with aistore[etl]==VERSION, recorded as VAR_PYTHON or VAR_SKIP
install_sdk() {
  local version="$1" reqs="$HERE/peers/$2" var="$3"
  local venv="$TOOLS/venv-sdk-$version" log="$TOOLS/logs/sdk-$version-install.log"
  local want; want="$(sha256sum "$reqs" | cut -c1-16)"
  if [[ -x "$venv/bin/python" && "$(cat "$venv/.stamp" 2>/dev/null)" == "$want" ]]; then
    say "aistore SDK $version: cached"; record "${var}_PYTHON" "$venv/bin/python"; return
  fi
  local t0=$SECONDS
  if { python3 -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check \
         -r "$reqs" "aistore[etl]==$version"; } >"$log" 2>&1; then
    echo "$want" >"$venv/.stamp"; say "aistore SDK $version: installed in $((SECONDS - t0))s"
    record "${var}_PYTHON" "$venv/bin/python"
  else
    say "aistore SDK $version: FAILED ($(why "$log"))"
    record "${var}_SKIP" "pip install aistore[etl]==$version failed: $(why "$log")"
  fi
}

if ! command -v go >/dev/null; then
  record AISETL_AISNODE_SKIP "no Go toolchain on PATH (needed to build aisnode from the Go module proxy)"
  record AISETL_AIS_CLI_50_SKIP "no Go toolchain on PATH"; record AISETL_AIS_CLI_329_SKIP "no Go toolchain on PATH"
else
  install_aisnode
  install_cli ais-5.0 "$CLI_50_PIN" AISETL_AIS_CLI_50_BIN
  install_cli ais-3.29 "$CLI_329_PIN" AISETL_AIS_CLI_329_BIN
fi
install_sdk "$SDK_VERSION" sdk-requirements.txt AISETL_SDK
install_sdk "$SDK2_VERSION" sdk2-requirements.txt AISETL_SDK2
mv "$ENV_OUT" "$TOOLS/peers.env"
