#!/usr/bin/env bash
# Build the real-Kubernetes peers, pinned, into "$TOOLS/k8s-<hash>/bin" (hash of every pin file + the Go version), so
# a warm run only checks stamps:
#   etcd 3.6.5                                            peers/k8s/etcd  (go.mod + go.sum)
#   kube-apiserver, -controller-manager, -scheduler, kubectl 1.34.3  peers/k8s/kube
#   kwok 0.7.0 (Kubernetes WithOut Kubelet)               peers/k8s/kwok
#   aisnode v1.5.0 with `-tags etl` (ETL on Kubernetes)    peers/aisnode (the same pins as the default-tags build)
# Prints K8S_DIR=<dir>; writes "<dir>/k8s.env": each binary's path, or AISETL_K8S_SKIP=<why> when a build was refused.
# Builds run under `nice` so they share the machine; the Go module proxy is the only registry used.
set -uo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
PEERS="$(cd "$HERE/../peers" && pwd)"
TOOLS="${AISETL_TOOLS:-$HOME/.cache/aisetl-tools}"
KUBE_VERSION=v1.34.3
AISNODE_VERSION=v1.5.0
# bump when the build commands below change, so a cache built the old way is not reused
BUILD_REV=1

say() { echo "[k8s-install] $*"; }

if ! command -v go >/dev/null; then
  echo "AISETL_K8S_SKIP=no Go toolchain on PATH (needed to build etcd, Kubernetes, kwok and aisnode from the Go module proxy)"
  exit 0
fi

pins=("$PEERS"/k8s/etcd/go.{mod,sum} "$PEERS"/k8s/kube/go.{mod,sum} "$PEERS"/k8s/kwok/go.{mod,sum}
  "$PEERS"/aisnode/go.{mod,sum})
hash=$( { cat "${pins[@]}"; go version; echo "$BUILD_REV"; } | sha256sum | cut -c1-12)
DIR="$TOOLS/k8s-$hash"
mkdir -p "$DIR/bin" "$DIR/logs" "$DIR/src"
ENV_OUT="$DIR/k8s.env.tmp"
: >"$ENV_OUT"
record() { printf '%s=%q\n' "$1" "$2" >>"$ENV_OUT"; }

# the registry's first meaningful error line, so the skip reason says why
why() {
  local proxy; proxy=$(grep -m1 -oE 'reading https://[^ ]+: [0-9]{3} [A-Za-z ]+' "$1")
  if [[ -n "$proxy" ]]; then echo "${proxy#reading }"; else grep -m1 -E 'error|cannot|refused|denied' "$1" | cut -c1-300; fi
}

kube_ldflags="-X k8s.io/component-base/version.gitVersion=$KUBE_VERSION -X k8s.io/component-base/version.gitMajor=1"
kube_ldflags+=" -X k8s.io/component-base/version.gitMinor=34 -X k8s.io/client-go/pkg/version.gitVersion=$KUBE_VERSION"
kube_ldflags+=" -X k8s.io/component-base/version.gitTreeState=clean"

failed=""
# build NAME MODULE-DIR PACKAGE [go build flags...]: one binary, skipped when its stamp says it is already built
build() {
  local name="$1" mod="$2" pkg="$3"; shift 3
  local bin="$DIR/bin/$name" stamp="$DIR/bin/.$name.ok" src="$DIR/src/$(basename "$mod")" log="$DIR/logs/$name.log"
  if [[ -x "$bin" && -f "$stamp" ]]; then record "AISETL_K8S_$(tr 'a-z-' 'A-Z_' <<<"$name")" "$bin"; return; fi
  [[ -n "$failed" ]] && return
  mkdir -p "$src" && cp "$mod"/go.mod "$mod"/go.sum "$mod"/tools.go "$src/"
  local t0=$SECONDS
  say "$name: building (cold: minutes)"
  if (cd "$src" && GOFLAGS=-mod=mod nice -n 10 go build "$@" -o "$bin" "$pkg") >"$log" 2>&1; then
    touch "$stamp"; say "$name: built in $((SECONDS - t0))s"
    record "AISETL_K8S_$(tr 'a-z-' 'A-Z_' <<<"$name")" "$bin"
  else
    say "$name: FAILED after $((SECONDS - t0))s (log: $log)"
    failed="go build of $pkg failed: $(why "$log")"
  fi
}

t0=$SECONDS
build etcd "$PEERS/k8s/etcd" go.etcd.io/etcd/server/v3
build kube-apiserver "$PEERS/k8s/kube" k8s.io/kubernetes/cmd/kube-apiserver -ldflags "$kube_ldflags"
build kube-controller-manager "$PEERS/k8s/kube" k8s.io/kubernetes/cmd/kube-controller-manager -ldflags "$kube_ldflags"
build kube-scheduler "$PEERS/k8s/kube" k8s.io/kubernetes/cmd/kube-scheduler -ldflags "$kube_ldflags"
build kubectl "$PEERS/k8s/kube" k8s.io/kubernetes/cmd/kubectl -ldflags "$kube_ldflags"
build kwok "$PEERS/k8s/kwok" sigs.k8s.io/kwok/cmd/kwok
build aisnode-etl "$PEERS/aisnode" github.com/NVIDIA/aistore/cmd/aisnode -tags etl \
  -ldflags "-X main.build=$AISNODE_VERSION -X main.buildtime=2026-01-01T00:00:00Z"

# kwok's Logs CRD (the pod runner maps each ETL pod to its log file with one), from the module just built
if [[ -z "$failed" ]]; then
  mkdir -p "$DIR/crds"
  kwok_src=$(cd "$DIR/src/kwok" && GOFLAGS=-mod=mod go list -m -f '{{.Dir}}' sigs.k8s.io/kwok 2>/dev/null)
  cp "$kwok_src/kustomize/crd/bases/kwok.x-k8s.io_logs.yaml" "$DIR/crds/" 2>/dev/null ||
    failed="kwok's Logs CRD not found in the module cache (${kwok_src:-sigs.k8s.io/kwok not downloaded})"
fi
if [[ -n "$failed" ]]; then record AISETL_K8S_SKIP "$failed"; else record AISETL_K8S_CRDS "$DIR/crds"; fi
record AISETL_K8S_BIN "$DIR/bin"
mv "$ENV_OUT" "$DIR/k8s.env"
say "ready in $((SECONDS - t0))s: $DIR"
echo "K8S_DIR=$DIR"
