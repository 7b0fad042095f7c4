#!/usr/bin/env bash
# Sourced by scripts/vscode-host-test.sh and scripts/demo.mjs (via bash): makes sure code-server (a real VS Code
# server, from npm) and its Debian prerequisites are installed, offline-safe. Sets CS (the install dir).
# env: AISETL_TOOLS (cache, default ~/.cache/aisetl-tools), CS_VERSION (4.100.3)
TOOLS=${AISETL_TOOLS:-$HOME/.cache/aisetl-tools}; CS_VERSION=${CS_VERSION:-4.100.3}
# 1. Debian packages: chromium (renders the workbench), libkrb5-dev (code-server's kerberos module), ripgrep (stands in
#    for @vscode/ripgrep's GitHub download), a C++ toolchain for node-gyp.
need=(); command -v chromium >/dev/null || need+=(chromium); dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
command -v rg >/dev/null || need+=(ripgrep); { command -v make >/dev/null && command -v g++ >/dev/null; } || need+=(build-essential)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "[vscode-host-test] missing Debian packages: ${need[*]} (install them as root)"; return 3; fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# 2. code-server from npm, cached. Its native modules compile here (~45 s on 2 cores the first time).
CS="$TOOLS/code-server-$CS_VERSION"
if [ ! -x "$CS/node_modules/.bin/code-server" ]; then
  rm -rf "$CS"; mkdir -p "$CS/tmp"
  (cd "$CS/tmp" && npm pack --silent "code-server@$CS_VERSION" >/dev/null)
  # @vscode/ripgrep's postinstall downloads rg from GitHub: seed its cache with Debian's rg under the expected name.
  RGV=$(tar xzOf "$CS/tmp/code-server-$CS_VERSION.tgz" package/lib/vscode/npm-shrinkwrap.json \
        | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).packages["node_modules/@vscode/ripgrep"].version))')
  (cd "$CS/tmp" && npm pack --silent "@vscode/ripgrep@$RGV" >/dev/null)
  RGREL=$(tar xzOf "$CS/tmp/vscode-ripgrep-$RGV.tgz" package/lib/postinstall.js | sed -n "s/^const VERSION = '\(.*\)';/\1/p")
  mkdir -p "$CS/tmp/vscode-ripgrep-cache-$RGV"
  tar czf "$CS/tmp/vscode-ripgrep-cache-$RGV/ripgrep-$RGREL-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
  # unsafe_perm: its postinstall refuses root otherwise; yes: node-pty runs `npx node-gyp` without a TTY;
  # nodedir: node-gyp must use the installed node's headers instead of downloading them.
  NP=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
  [ -z "${npm_config_nodedir:-}" ] && [ -e "$NP/include/node/node_api.h" ] && export npm_config_nodedir="$NP"
  ( export npm_config_unsafe_perm=true npm_config_yes=true TMPDIR="$CS/tmp"
    npm install --prefix "$CS" --no-audit --no-fund --no-save "$CS/tmp/code-server-$CS_VERSION.tgz" > "$CS/install.log" 2>&1 ) \
    || { tail -40 "$CS/install.log"; echo "[vscode-host-test] code-server install failed"; rm -rf "$CS/node_modules/.bin"; return 3; }
  rm -rf "$CS/tmp"
fi
