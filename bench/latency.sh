#!/usr/bin/env bash
# Issue 15's yardstick for the latency the monitor shows: N static Ollama backends answered by a
# local nginx (one listening port each, fixed /api/tags and /api/ps answers), the product as users
# run it (java -jar with the packages' JVM options, --no-gui, discovery off), and curl timing the
# same URLs. At each sample time it prints curl's figure (median of 5 requests on one kept
# connection, time_total), the monitor's avg_latency_ms for the same backend, and how many backends
# show a figure within 1 ms + 10 % of curl's (the goal, from the first minute on). All on 127.0.0.1.
#
# Usage: bench/latency.sh [backends=100] [samples_at_s="60 120 300"]
#   INTERVAL_S       health-check interval (default 30, the product's default)
#   NEXUS_JAVA_OPTS  JVM options for the product (default: jpackage/jvm-options.conf's java_options)
# Needs nginx and curl (Debian: apt-get install -y nginx curl); skips with a message otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
backends=${1:-100}
samples=${2:-60 120 300}
interval=${INTERVAL_S:-30}
opts=${NEXUS_JAVA_OPTS-$(sed -n 's/^java_options=//p' jpackage/jvm-options.conf)}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
for tool in "$NGINX" curl python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "latency bench skipped: $tool is not installed"; exit 0; }
done
. bench/lib.sh
jar=${NEXUS_JAR:-target/nexus-monitor.jar}
[[ -f "$jar" ]] || mvn_quiet -DskipTests package

bench_work

# N free ports, then nginx listening on all of them
python3 - "$backends" >"$work/ports" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
for s in socks:
    print(s.getsockname()[1])
PY
mkdir -p "$work/tmp"
{
  echo "worker_processes 1; pid $work/nginx.pid; error_log $work/nginx.err warn; daemon off;"
  echo "events { worker_connections 4096; }"
  echo "http { access_log off; client_body_temp_path $work/tmp/b; proxy_temp_path $work/tmp/p;"
  echo "  fastcgi_temp_path $work/tmp/f; uwsgi_temp_path $work/tmp/u; scgi_temp_path $work/tmp/s;"
  echo "  keepalive_requests 1000000; keepalive_timeout 75s; default_type application/json;"
  echo "  server {"
  while read -r port; do echo "    listen 127.0.0.1:$port;"; done <"$work/ports"
  echo "    location = /api/tags { return 200 '{\"models\":[{\"name\":\"llama3:8b\",\"model\":\"llama3:8b\"},{\"name\":\"qwen2:7b\",\"model\":\"qwen2:7b\"}]}'; }"
  echo "    location = /api/ps { return 200 '{\"models\":[{\"name\":\"llama3:8b\",\"model\":\"llama3:8b\",\"context_length\":8192}]}'; }"
  echo "  }"
  echo "}"
} >"$work/nginx.conf"
"$NGINX" -p "$work" -c "$work/nginx.conf" &
pids+=($!)

{
  echo "[health_check]"
  echo "interval_seconds = $interval"
  echo
  i=0
  while read -r port; do
    printf '[[backends]]\nname = "nginx-%03d"\nurl = "http://127.0.0.1:%d"\ntype = "ollama"\n\n' "$i" "$port"
    i=$((i + 1))
  done <"$work/ports"
} >"$work/nexus.toml"
first=$(head -1 "$work/ports")
for ((i = 0; i < 100; i++)); do curl -s -o /dev/null "http://127.0.0.1:$first/api/tags" && break; sleep 0.1; done

# shellcheck disable=SC2086 # the options are words
java $opts -jar "$jar" --no-gui --no-discovery --port 0 --state-dir "$work/state" -c "$work/nexus.toml" \
  >"$work/nexus.log" 2>&1 &
pid=$!
pids+=($pid)
start=$(date +%s.%N)
url=""
for ((i = 0; i < 600; i++)); do
  url=$(sed -n 's|.*HTTP API listening on \(http://127.0.0.1:[0-9]*\).*|\1|p' "$work/nexus.log" | head -1)
  [[ -n "$url" ]] && break
  sleep 0.1
done
[[ -n "$url" ]] || { cat "$work/nexus.log" >&2; echo "no API address in the log" >&2; exit 1; }

echo "latency bench: $backends Ollama backends on nginx, interval ${interval}s, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "JVM options: ${opts:-(JVM defaults)}"
for at in $samples; do
  python3 -c "import time; time.sleep(max(0, $start + $at - time.time()))"
  curl -s "$url/api/backends" >"$work/backends.json"
  # curl's figure per backend: 6 GETs on one kept connection, the first (connect) dropped, median of 5
  while read -r port; do
    u="http://127.0.0.1:$port/api/tags"
    curl -s -w '%{time_total}\n' -o /dev/null "$u" -o /dev/null "$u" -o /dev/null "$u" \
      -o /dev/null "$u" -o /dev/null "$u" -o /dev/null "$u" |
      tail -n 5 | sort -n | sed -n 3p | awk -v p="$port" '{printf "%s %.3f\n", p, $1 * 1000}'
  done <"$work/ports" >"$work/curl"
  python3 - "$work/backends.json" "$work/curl" "$at" <<'PY'
import json, statistics, sys
shown = {}
for b in json.load(open(sys.argv[1]))["backends"]:
    if b.get("avg_latency_ms") is not None:
        shown[b["url"].rsplit(":", 1)[1]] = b["avg_latency_ms"]
rows = [l.split() for l in open(sys.argv[2])]
pairs = [(float(c), shown[p]) for p, c in rows if p in shown]
def q(v, f):
    v = sorted(v); return v[min(len(v) - 1, int(f * len(v)))]
c = [a for a, _ in pairs]; s = [b for _, b in pairs]; g = [b - a for a, b in pairs]
within = sum(1 for a, b in pairs if b <= a + 1 + 0.1 * a)
print(f"t={sys.argv[3]}s: curl median {statistics.median(c):.2f} ms (p95 {q(c, .95):.2f}); "
      f"shown median {statistics.median(s):.2f} ms (p95 {q(s, .95):.2f}, max {max(s):.2f}); "
      f"shown minus curl median {statistics.median(g):.2f} ms (p95 {q(g, .95):.2f}); "
      f"within 1 ms + 10 % of curl: {within} of {len(pairs)} (of {len(rows)} backends)")
PY
done
