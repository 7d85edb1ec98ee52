#!/usr/bin/env bash
# Memory and CPU of the product over time with N static Ollama backends (fake ones in a separate
# JVM, bench/BackendFarm, so only the product is measured), all on 127.0.0.1, discovery off.
# Prints RSS and CPU every SAMPLE_S seconds, then heap after a full GC, threads and descriptors.
#
# Usage: bench/footprint.sh [headless|window] [backends=100] [minutes=10]
#   NEXUS_JAVA_OPTS  JVM options for the product (default: the ones the packages ship, see
#                    jpackage/README.md; set to "" for the JVM's defaults)
#   SAMPLE_S         seconds between samples (default 60)
#   FLAP_PERCENT     backends restarting per minute (default 0; bench/soak.sh uses 10)
#   REQUESTS_PER_S   chat requests per second through the gateway (default 0; soak: 1)
#   INTERVAL_S       health-check interval (default 30, the product's default)
#   NEXUS_JAVA       the java that runs the product (default: java on PATH); when it is Java 25+,
#                    the default options add jvm-options.conf's java_options_25 line, as build.sh does
#   NEXUS_LAUNCHER   run this packaged launcher (e.g. target/jpackage/nexus-monitor/bin/nexus-monitor)
#                    instead of `java -jar`: the image's runtime, class path, class-data archive or AOT
#                    cache and the options it was built with (NEXUS_JAVA, NEXUS_JAVA_OPTS and NEXUS_JAR
#                    are not used then)
# The window run needs Xvfb: it uses $DISPLAY when set, else starts Xvfb on :98 (and stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-headless}
backends=${2:-100}
minutes=${3:-10}
sample=${SAMPLE_S:-60}
flap=${FLAP_PERCENT:-0}
rps=${REQUESTS_PER_S:-0}
interval=${INTERVAL_S:-30}
launcher=${NEXUS_LAUNCHER:-}
java_cmd=${NEXUS_JAVA:-java}
[[ -n "$launcher" ]] && java_cmd="$(dirname "$launcher")/../lib/runtime/bin/java"
default_opts=$(sed -n 's/^java_options=//p' jpackage/jvm-options.conf)
java_feature=$("$java_cmd" -version 2>&1 | sed -n '1s/^[^"]*"\([0-9]*\).*/\1/p')
if (( ${java_feature:-0} >= 25 )); then
  default_opts="$default_opts $(sed -n 's/^java_options_25=//p' jpackage/jvm-options.conf)"
fi
opts=${NEXUS_JAVA_OPTS-$default_opts}
jar=${NEXUS_JAR:-target/nexus-monitor.jar}
. bench/lib.sh
[[ -n "$launcher" || -f "$jar" ]] || mvn_quiet -DskipTests package
cp=$(bench_classpath)

bench_work

java -Xmx256m -Xss256k -XX:+UseSerialGC -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener -cp "$cp" io.nexusmonitor.bench.BackendFarm \
  "$work/nexus.toml" "$backends" "$flap" "$interval" >"$work/farm.log" 2>&1 &
pids+=($!)
for ((i = 0; i < 600; i++)); do [[ -s "$work/nexus.toml" ]] && break; sleep 0.1; done
[[ -s "$work/nexus.toml" ]] || { cat "$work/farm.log" >&2; echo "the backend farm did not start" >&2; exit 1; }

gui=(--no-gui)
if [[ "$mode" == window ]]; then
  gui=()
  if [[ -z "${DISPLAY:-}" ]]; then
    Xvfb :98 -screen 0 1600x1000x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
    pids+=($!)
    export DISPLAY=:98
    sleep 1
  fi
fi
if [[ -n "$launcher" ]]; then
  product=("$launcher")
  opts="the launcher's ($(sed -n 's/^java-options=//p' "$(dirname "$launcher")/../lib/app/$(basename "$launcher").cfg" | xargs))"
else
  # shellcheck disable=SC2206 # the options are words
  product=("$java_cmd" $opts -jar "$jar")
fi
"${product[@]}" "${gui[@]}" --no-discovery --port 0 --state-dir "$work/state" -c "$work/nexus.toml" \
  >"$work/nexus.log" 2>&1 &
pid=$!
pids+=($pid)
url=""
for ((i = 0; i < 600; i++)); do
  kill -0 "$pid" 2>/dev/null || { cat "$work/nexus.log" >&2; echo "the product exited" >&2; exit 1; }
  url=$(sed -n 's|.*HTTP API listening on \(http://127.0.0.1:[0-9]*\).*|\1|p' "$work/nexus.log" | head -1)
  [[ -n "$url" ]] && break
  sleep 0.1
done
[[ -n "$url" ]] || { echo "no API address in the log" >&2; exit 1; }

if ((rps > 0)); then
  ( ok=0; bad=0
    while kill -0 "$pid" 2>/dev/null; do
      code=$(curl -s -o /dev/null -w '%{http_code}' -m 10 -H 'Content-Type: application/json' \
        -d '{"model":"llama3:8b","messages":[{"role":"user","content":"hi"}]}' "$url/v1/chat/completions" || echo 000)
      if [[ "$code" == 200 ]]; then ok=$((ok + 1)); else bad=$((bad + 1)); fi
      echo "$ok $bad $code" >"$work/requests"
      sleep "$(awk "BEGIN{print 1/$rps}")"
    done ) &
  pids+=($!)
fi

tck=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status"; }
threads() { awk '/Threads/ {print $2}' "/proc/$pid/status"; }
fds() { ls "/proc/$pid/fd" | wc -l; }
heap_after_gc() { # MB used after a full collection (jcmd forces one)
  jcmd "$pid" GC.run >/dev/null 2>&1 || true
  jcmd "$pid" GC.heap_info 2>/dev/null | awk '
    /garbage-first heap|def new generation|tenured generation|^ *DefNew |^ *Tenured |PSYoungGen|ParOldGen|Shenandoah|ZHeap/ {
      for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); s += v } }
    END { printf "%.1f", s / 1024 }'
}
echo "footprint: $mode, $backends backends (${flap}%/min restarting, $rps req/s), interval ${interval}s, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "JVM: $("$java_cmd" -version 2>&1 | head -1), options: ${opts:-(JVM defaults)}"
start=$(date +%s)
c0=$(cpu_ticks)
echo "start: RSS $(rss_mb) MB, threads $(threads), fds $(fds)"
end=$((start + minutes * 60))
last_t=$start
last_c=$c0
while (( $(date +%s) < end )); do
  sleep "$sample"
  kill -0 "$pid" 2>/dev/null || { tail -20 "$work/nexus.log" >&2; echo "the product exited" >&2; exit 1; }
  now=$(date +%s); c=$(cpu_ticks)
  printf 't=%4ds RSS %4s MB  CPU %5.2f%% of a core (last %ds)  threads %s  fds %s\n' $((now - start)) "$(rss_mb)" \
    "$(awk "BEGIN{print 100 * ($c - $last_c) / $tck / ($now - $last_t)}")" $((now - last_t)) "$(threads)" "$(fds)"
  last_t=$now; last_c=$c
done
now=$(date +%s); c=$(cpu_ticks)
echo "end after $((now - start)) s: RSS $(rss_mb) MB, CPU $(awk "BEGIN{printf \"%.2f\", 100 * ($c - $c0) / $tck / ($now - $start)}")% of a core on average, threads $(threads), fds $(fds), heap after full GC $(heap_after_gc) MB"
[[ -f "$work/requests" ]] && echo "gateway requests: $(awk '{print $1 " answered 200, " $2 " not (last status " $3 ")"}' "$work/requests")"
grep -c ' WARN \| ERROR ' "$work/nexus.log" | sed 's/^/log lines at WARN or ERROR: /' || true
