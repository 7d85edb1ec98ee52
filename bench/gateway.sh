#!/usr/bin/env bash
# End-to-end gateway benchmark (issue 5): wrk against the Nexus gateway and, in the same run,
# against nginx as a plain reverse proxy to the same fast backend (an nginx server answering a
# fixed chat completion), all on 127.0.0.1. Prints throughput (gateway / nginx ratio) and p50
# latencies (added = gateway p50 - direct backend p50), once at load (THREADS x CONNECTIONS, for
# throughput) and once with a single connection (for the latency one request adds).
# Targets: gateway >= 0.8 x nginx throughput; p50 added latency <= 0.5 ms.
#
#   bench/gateway.sh                  # defaults: 10 s per run, 2 wrk threads, 32 connections
#   DURATION=30s CONNECTIONS=64 bench/gateway.sh
#
# Needs wrk and nginx (Debian: apt-get install -y wrk nginx); skips with a message otherwise.
# Builds target/nexus-monitor.jar when it is missing (or set NEXUS_JAR; JAVA_OPTS go to its JVM). Traffic stays on loopback,
# every process it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
WARMUP=${WARMUP:-10s}

. bench/gateway-rig.sh
rig_init "gateway bench"
BACKEND_PORT=$(free_port)
PROXY_PORT=$(free_port)
GATEWAY_PORT=$(free_port)
rig_start_nginx
rig_start_gateway

echo "waiting for the gateway to see the backend as healthy ..."
for i in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$GATEWAY_PORT/v1/models" 2>/dev/null | grep -q '"bench"'; then break; fi
  if [ "$i" = 100 ]; then echo "gateway did not come up; log:"; cat "$work/nexus.log"; exit 1; fi
  sleep 0.2
done

cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"bench","messages":[{"role":"user","content":"hi"}]}'
LUA

run() { # url duration [threads connections] -> wrk output
  wrk -t"${3:-$THREADS}" -c"${4:-$CONNECTIONS}" -d"$2" --latency -s "$work/post.lua" "$1/v1/chat/completions"
}
rps() { awk '/^Requests\/sec:/ {print $2}'; }

echo "warming up the gateway JVM ($WARMUP) ..."
run "http://127.0.0.1:$GATEWAY_PORT" "$WARMUP" > /dev/null
run "http://127.0.0.1:$PROXY_PORT" 3s > /dev/null

# the proxy nginx: master and workers (its children)
proxy_procs() { echo "$PROXY_MASTER $(pgrep -P "$PROXY_MASTER" | tr '\n' ' ')"; }
requests() { awk '/requests in/ {print $1}'; }
direct=$(run "http://127.0.0.1:$BACKEND_PORT" "$DURATION")
n0=$(ticks $(proxy_procs)); nginx=$(run "http://127.0.0.1:$PROXY_PORT" "$DURATION"); n1=$(ticks $(proxy_procs))
g0=$(ticks "$GATEWAY_PID"); gateway=$(run "http://127.0.0.1:$GATEWAY_PORT" "$DURATION"); g1=$(ticks "$GATEWAY_PID")
hz=$(getconf CLK_TCK)
direct1=$(run "http://127.0.0.1:$BACKEND_PORT" "$DURATION" 1 1)
nginx1=$(run "http://127.0.0.1:$PROXY_PORT" "$DURATION" 1 1)
gateway1=$(run "http://127.0.0.1:$GATEWAY_PORT" "$DURATION" 1 1)

check=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  -d '{"model":"bench","messages":[]}' "http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions")
[ "$check" = 200 ] || { echo "gateway answered $check instead of 200; log:"; tail -20 "$work/nexus.log"; exit 1; }
errors=$(printf '%s\n' "$gateway" "$gateway1" | awk '/Non-2xx|Socket errors/ {print}')

row() { # label wrk-output
  printf '%-28s %12s %10s\n' "$1" "$(printf '%s\n' "$2" | rps)" "$(printf '%s\n' "$2" | p50_ms)"
}
echo
echo "POST /v1/chat/completions on loopback, $(nproc) cores, wrk -d$DURATION"
printf '%-28s %12s %10s\n' "at load: -t$THREADS -c$CONNECTIONS" "requests/s" "p50 ms"
row "backend (nginx, direct)" "$direct"
row "nginx reverse proxy" "$nginx"
row "nexus gateway" "$gateway"
printf '%-28s %12s %10s\n' "one connection: -t1 -c1" "requests/s" "p50 ms"
row "backend (nginx, direct)" "$direct1"
row "nginx reverse proxy" "$nginx1"
row "nexus gateway" "$gateway1"
[ -z "$errors" ] || echo "gateway errors: $errors"
awk -v g="$(printf '%s\n' "$gateway" | rps)" -v n="$(printf '%s\n' "$nginx" | rps)" \
    -v gp="$(printf '%s\n' "$gateway1" | p50_ms)" -v dp="$(printf '%s\n' "$direct1" | p50_ms)" \
    -v np="$(printf '%s\n' "$nginx1" | p50_ms)" \
    -v gpl="$(printf '%s\n' "$gateway" | p50_ms)" -v dpl="$(printf '%s\n' "$direct" | p50_ms)" 'BEGIN {
  ratio = g / n;
  printf "throughput gateway/nginx at load: %.2f (target >= 0.80) %s\n", ratio, (ratio >= 0.8 ? "OK" : "MISSED");
  printf "p50 added by gateway, one connection: %.3f ms (nginx adds %.3f ms; target <= 0.5 ms) %s\n", gp - dp, np - dp, (gp - dp <= 0.5 ? "OK" : "MISSED");
  printf "p50 added by gateway at load: %.3f ms\n", gpl - dpl;
}'
awk -v gt=$((g1 - g0)) -v nt=$((n1 - n0)) -v hz="$hz" -v gn="$(printf '%s\n' "$gateway" | requests)" \
    -v nn="$(printf '%s\n' "$nginx" | requests)" 'BEGIN {
  printf "CPU per proxied request: gateway %.1f us, nginx %.1f us\n", gt / hz * 1e6 / gn, nt / hz * 1e6 / nn;
}'
