#!/usr/bin/env bash
# Two Plugboard nodes and one Redis on this machine, without containers (docs/scale-out.md).
#   distribution/scale-out/two-nodes.sh      starts redis-server on 6379 and nodes on 8081 and 8082
# Stop with Ctrl-C (everything started here is stopped).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
plugboard="$here/../target/plugboard/bin/plugboard"
[ -x "$plugboard" ] || { echo "build the distribution first: ./mvnw -B -q package -DskipTests" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "redis-server not found (apt-get install -y redis-server)" >&2; exit 1; }
work=${PLUGBOARD_WORK:-$(mktemp -d /tmp/plugboard-two-nodes.XXXXXX)}
mkdir -p "$work/bundles" "$work/a" "$work/b"
cp "$here/../target/plugboard/bundles/"*.jar "$work/bundles/"
key=${PLUGBOARD_REQUEST_STATE_KEY:-$(head -c 32 /dev/urandom | base64 | tr -d '=+/')}

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT INT TERM
redis-server --port 6379 --bind 127.0.0.1 --dir "$work" --appendonly yes & pids+=($!)
for node in a:8081 b:8082; do
  name=${node%%:*} port=${node##*:}
  "$plugboard" serve --port "$port" --bundles "$work/bundles" --data "$work/$name" \
    --set store.redis.url=redis://127.0.0.1:6379 --set mcp.requestStateKey="$key" & pids+=($!)
done
echo "nodes at http://127.0.0.1:8081/mcp and http://127.0.0.1:8082/mcp; deploy folder $work/bundles"
wait
