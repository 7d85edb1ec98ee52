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

for tool in wrk nginx; do
  if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
    echo "gateway bench skipped: $tool is not installed (Debian: apt-get install -y wrk nginx)"
    exit 0
  fi
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

JAR=${NEXUS_JAR:-target/nexus-monitor.jar}
if [ ! -f "$JAR" ]; then
  echo "building $JAR ..."
  mvn -q -DskipTests package
fi

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
BACKEND_PORT=$(free_port)
PROXY_PORT=$(free_port)
GATEWAY_PORT=$(free_port)

mkdir -p "$work/tmp"
# two nginx instances, so the proxy's CPU time can be told apart from the backend's
nginx_conf() { # name listen-port server-block
  cat > "$work/$1.conf" <<CONF
worker_processes auto;
pid $work/$1.pid;
error_log $work/$1.err warn;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/tmp/$1-body;
  proxy_temp_path $work/tmp/$1-proxy;
  fastcgi_temp_path $work/tmp/$1-fastcgi;
  uwsgi_temp_path $work/tmp/$1-uwsgi;
  scgi_temp_path $work/tmp/$1-scgi;
  keepalive_requests 1000000;
  $3
  server {
    listen 127.0.0.1:$2;
    $4
  }
}
CONF
}
# the fast backend: a fixed OpenAI answer
nginx_conf backend "$BACKEND_PORT" "" 'default_type application/json;
    location = /v1/models { return 200 '"'"'{"object":"list","data":[{"id":"bench","object":"model","owned_by":"bench"}]}'"'"'; }
    location / { return 200 '"'"'{"id":"chatcmpl-bench","object":"chat.completion","model":"bench","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}'"'"'; }'
# nginx as a plain reverse proxy to it, with upstream keep-alive (its best case)
nginx_conf proxy "$PROXY_PORT" "upstream fast { server 127.0.0.1:$BACKEND_PORT; keepalive 128; }" 'location / {
      proxy_pass http://fast;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }'
"$NGINX" -p "$work" -c "$work/backend.conf" &
pids+=($!)
"$NGINX" -p "$work" -c "$work/proxy.conf" &
pids+=($!)
PROXY_MASTER=$!

cat > "$work/nexus.toml" <<CONF
[server]
host = "127.0.0.1"
port = $GATEWAY_PORT

[discovery]
enabled = false

[health_check]
interval_seconds = 30

[logging]
level = "warn"

[[backends]]
name = "fast"
url = "http://127.0.0.1:$BACKEND_PORT"
type = "openai"
priority = 1
CONF
java ${JAVA_OPTS:-} -jar "$JAR" --no-gui -c "$work/nexus.toml" --state-dir "$work/state" > "$work/nexus.log" 2>&1 &
pids+=($!)
GATEWAY_PID=$!

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
p50_ms() { awk '$1=="50%" { v=$2; if (v ~ /us$/) { sub(/us$/,"",v); print v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v); print v } else { sub(/s$/,"",v); print v*1000 } }'; }

echo "warming up the gateway JVM ($WARMUP) ..."
run "http://127.0.0.1:$GATEWAY_PORT" "$WARMUP" > /dev/null
run "http://127.0.0.1:$PROXY_PORT" 3s > /dev/null

# CPU ticks (user + system) of a process and its children-by-parent (nginx workers)
ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
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
