#!/usr/bin/env bash
# Where the ceiling is (issue 5): the gateway benchmark's load (wrk POST /v1/chat/completions,
# -t2 -c32, all on 127.0.0.1) against four servers in front of, or instead of, the same fast backend
# (an nginx answering a fixed chat completion), with the CPU and context switches each spends:
#
#   backend, direct         the backend nginx itself, no proxy (for scale: what answering costs nginx)
#   nginx reverse proxy     nginx as a plain reverse proxy with upstream keep-alive (the reference)
#   Jetty answering itself  Jetty's server answering the fixed completion, no upstream: the upper
#                           bound for any gateway built on Jetty's server (GatewayFloor answer)
#   minimal Jetty proxy     about the least a Jetty-based proxy does per request: read the body, take
#                           "model", forward on a kept-alive connection, stream the answer back
#                           (GatewayFloor proxy; src/test/java/io/nexusmonitor/bench/GatewayFloor.java)
#   nexus gateway           the product (target/nexus-monitor.jar) with the backend as a static backend
#
# Columns: requests/s, ratio to nginx, p50 latency, CPU time (user + system, from /proc, of that
# server's process; nginx: master and workers) per request, and its context switches (voluntary and
# involuntary, summed over its threads) per request.
#
#   bench/gateway-floor.sh                  # defaults: 10 s per run, 2 wrk threads, 32 connections
#   DURATION=30s WARMUP=20s bench/gateway-floor.sh
#   PORT_BASE=18100 bench/gateway-floor.sh  # fixed ports PORT_BASE..PORT_BASE+4 instead of free ones
#
# Needs wrk and nginx (Debian: apt-get install -y wrk nginx); skips with a message otherwise.
# Builds target/nexus-monitor.jar when it is missing (or set NEXUS_JAR) and the test classes when GatewayFloor's is
# missing or older than its source (JAVA_OPTS go to the three JVMs). Traffic stays on loopback,
# every process it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
WARMUP=${WARMUP:-10s}

. bench/gateway-rig.sh
rig_init "gateway floor bench"

FLOOR_SRC=src/test/java/io/nexusmonitor/bench/GatewayFloor.java
FLOOR_CLASS=target/test-classes/io/nexusmonitor/bench/GatewayFloor.class
if [ ! -f "$FLOOR_CLASS" ] || [ "$FLOOR_SRC" -nt "$FLOOR_CLASS" ]; then
  echo "compiling the test classes ..."
  mvn -q -DskipTests test-compile
fi

if [ -n "${PORT_BASE:-}" ]; then
  BACKEND_PORT=$PORT_BASE PROXY_PORT=$((PORT_BASE + 1)) GATEWAY_PORT=$((PORT_BASE + 2))
  ANSWER_PORT=$((PORT_BASE + 3)) FLOOR_PORT=$((PORT_BASE + 4))
else
  BACKEND_PORT=$(free_port) PROXY_PORT=$(free_port) GATEWAY_PORT=$(free_port)
  ANSWER_PORT=$(free_port) FLOOR_PORT=$(free_port)
fi

rig_start_nginx
rig_start_gateway

FLOOR_CP=target/test-classes:$JAR
java ${JAVA_OPTS:-} -cp "$FLOOR_CP" io.nexusmonitor.bench.GatewayFloor answer "$ANSWER_PORT" > "$work/answer.log" 2>&1 &
pids+=($!)
ANSWER_PID=$!
java ${JAVA_OPTS:-} -cp "$FLOOR_CP" io.nexusmonitor.bench.GatewayFloor proxy "$FLOOR_PORT" "$BACKEND_PORT" > "$work/floor.log" 2>&1 &
pids+=($!)
FLOOR_PID=$!

BODY='{"model":"bench","messages":[{"role":"user","content":"hi"}]}'
post_status() { curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$BODY" "http://127.0.0.1:$1/v1/chat/completions" 2>/dev/null || true; }
wait_for() { # name port log
  for i in $(seq 1 100); do
    if [ "$(post_status "$2")" = 200 ]; then return 0; fi
    sleep 0.2
  done
  echo "$1 did not answer 200 on port $2; log:"; tail -20 "$3"; exit 1
}
echo "waiting for the servers (the gateway must see the backend as healthy) ..."
wait_for "nginx reverse proxy" "$PROXY_PORT" "$work/proxy.err"
wait_for "GatewayFloor answer" "$ANSWER_PORT" "$work/answer.log"
wait_for "GatewayFloor proxy" "$FLOOR_PORT" "$work/floor.log"
wait_for "nexus gateway" "$GATEWAY_PORT" "$work/nexus.log"

cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '$BODY'
LUA

run() { # port duration -> wrk output
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --latency -s "$work/post.lua" "http://127.0.0.1:$1/v1/chat/completions"
}
# context switches of processes, summed over their threads
switches() { local p; for p in "$@"; do cat /proc/"$p"/task/*/status 2>/dev/null; done | awk '/ctxt_switches/ {s += $2} END {print s + 0}'; }
nginx_procs() { echo "$1 $(pgrep -P "$1" | tr '\n' ' ')"; } # master and workers

hz=$(getconf CLK_TCK)
results=()
measure() { # label port warmup pids... -> one result line: label|wrk output fields
  local label=$1 port=$2 warm=$3; shift 3
  echo "$label: warm-up $warm, then $DURATION ..."
  run "$port" "$warm" > /dev/null
  local t0 c0 t1 c1 out
  t0=$(ticks "$@"); c0=$(switches "$@")
  out=$(run "$port" "$DURATION")
  t1=$(ticks "$@"); c1=$(switches "$@")
  local rps n p50 errors
  rps=$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ {print $2}')
  n=$(printf '%s\n' "$out" | awk '/requests in/ {print $1}')
  p50=$(printf '%s\n' "$out" | p50_ms)
  errors=$(printf '%s\n' "$out" | awk '/Non-2xx|Socket errors/ {printf "%s ", $0}')
  results+=("$label|$rps|$n|$p50|$((t1 - t0))|$((c1 - c0))|$errors")
}

measure "backend, direct" "$BACKEND_PORT" 3s $(nginx_procs "$BACKEND_MASTER")
measure "nginx reverse proxy" "$PROXY_PORT" 3s $(nginx_procs "$PROXY_MASTER")
measure "Jetty answering itself" "$ANSWER_PORT" "$WARMUP" "$ANSWER_PID"
measure "minimal Jetty proxy" "$FLOOR_PORT" "$WARMUP" "$FLOOR_PID"
measure "nexus gateway" "$GATEWAY_PORT" "$WARMUP" "$GATEWAY_PID"

for p in "$GATEWAY_PORT" "$FLOOR_PORT" "$ANSWER_PORT"; do
  s=$(post_status "$p")
  [ "$s" = 200 ] || { echo "port $p answered $s instead of 200 after the runs"; exit 1; }
done

echo
echo "POST /v1/chat/completions on loopback, $(nproc) cores shared by wrk, the backend and the server measured;"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION"
printf '%-24s %11s %8s %8s %13s %10s\n' "" "requests/s" "x nginx" "p50 ms" "CPU us/req" "cs/req"
nginx_rps=${results[1]#*|}; nginx_rps=${nginx_rps%%|*}
for r in "${results[@]}"; do
  IFS='|' read -r label rps n p50 dt dc errors <<< "$r"
  awk -v l="$label" -v r="$rps" -v nr="$nginx_rps" -v n="$n" -v p="$p50" -v dt="$dt" -v dc="$dc" -v hz="$hz" 'BEGIN {
    printf "%-24s %11.0f %8.2f %8.3f %13.1f %10.2f\n", l, r, r / nr, p, dt / hz * 1e6 / n, dc / n
  }'
  [ -z "$errors" ] || echo "  $label: $errors"
done
