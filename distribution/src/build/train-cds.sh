#!/usr/bin/env bash
# Writes the class-data archive that the distribution ships in cds/, so that the very first start of
# "plugboard serve" loads its classes from an archive instead of parsing them from the jars, and the
# deployer's scans of the shipped bundles in scans/, so that it does not scan them again.
#
# Usage: train-cds.sh HOME WORK JAVA
#   HOME  the assembled distribution (target/plugboard)
#   WORK  a scratch folder for the training run's data and deploy folder (emptied first)
#   JAVA  the java binary to train with (the build's JDK)
#
# One short run of the real launcher: serve on a free loopback port with the first-party bundles and
# an empty data folder, one initialize, one tools/list and one REST request once it is ready, then a
# normal stop, at which the JVM writes the archive of every class it loaded. The launcher names the
# archive after the JDK and the jars in lib/, so it is used only while both are the ones it was
# written from. Anything that goes wrong leaves a distribution without a shipped archive (which then
# writes its own on its first run) and a warning, never a failed build. Runs offline: everything stays
# on this machine.
set -uo pipefail

home=$1
work=$2
java=$3
limit=180

warn() {
  echo "[WARNING] train-cds: $*; the distribution ships no class-data archive" >&2
}

rm -rf -- "$work" "$home/cds" "$home/data/cds" "$home/scans"
mkdir -p "$work/bundles" "$work/data" || { warn "cannot create $work"; exit 0; }
cp "$home"/bundles/*.jar "$work/bundles/" 2>/dev/null
log="$work/serve.log"
: >"$log" # created before the poll below reads it (the background start may open it later)

PLUGBOARD_JAVA="$java" "$home/bin/plugboard" serve --host 127.0.0.1 --port 0 --bundles "$work/bundles" \
  --data "$work/data" >"$log" 2>&1 &
pid=$!

stop() {
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 $((limit * 10))); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null
}

port=""
for _ in $(seq 1 $((limit * 10))); do
  port=$(sed -n 's|.* ready in .*MCP at http://127\.0\.0\.1:\([0-9]*\)/mcp.*|\1|p' "$log")
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$port" ]; then
  stop
  warn "serve did not become ready within ${limit} s (log: $log)"
  exit 0
fi

# A request over a plain TCP connection (bash's /dev/tcp: no client tool needed); prints the response.
request() {
  local body=$1 session=${2:-}
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf 'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nMCP-Protocol-Version: 2025-11-25\r\n%sContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
    "$port" "${session:+Mcp-Session-Id: $session$'\r\n'}" "${#body}" "$body" >&3
  timeout 30 cat <&3
  exec 3<&-
}
initialized=$(request '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"train-cds","version":"1"}}}')
session=$(printf '%s' "$initialized" | tr -d '\r' | sed -n 's/^[Mm]cp-[Ss]ession-[Ii]d: *//p')
request '{"jsonrpc":"2.0","method":"notifications/initialized"}' "$session" >/dev/null
request '{"jsonrpc":"2.0","id":2,"method":"tools/list"}' "$session" >/dev/null
# REST's application is built once start-up is over; a REST request waits for it, so that its classes
# are in the archive too.
exec 3<>"/dev/tcp/127.0.0.1/$port" && {
  printf 'GET /api/v1/tools HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nAccept: application/json\r\nConnection: close\r\n\r\n' "$port" >&3
  timeout 30 cat <&3 >/dev/null
  exec 3<&-
}
stop

# The deployer's exit-call scans of the shipped bundles (keyed by the jars' bytes and the scanner's), so
# that the first start need not read every class of them again.
if ls "$work/data/scans/"*.json >/dev/null 2>&1; then
  mkdir -p "$home/scans" && cp "$work/data/scans/"*.json "$home/scans/"
fi

archive=$(ls "$home"/data/cds/serve-*.jsa 2>/dev/null | head -n 1)
if [ -z "$archive" ]; then
  warn "the training run wrote no archive (log: $log)"
  exit 0
fi
mkdir -p "$home/cds" && mv "$archive" "$home/cds/"
rm -rf -- "$home/data/cds"
rmdir "$home/data" 2>/dev/null
echo "train-cds: $home/cds/$(basename "$archive") ($(du -k "$home/cds/$(basename "$archive")" | cut -f1) KiB)"
