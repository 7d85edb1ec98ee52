#!/usr/bin/env bash
# Cold start to a GET /health answer: starts `LAUNCHER --no-gui` on a free loopback port, polls
# http://127.0.0.1:PORT/health every 10 ms until it answers 200, stops it with SIGTERM. Prints each
# run and the median. Target (issue 7): <= 1.5 s for the installed package. It also prints the CPU
# time the process had used by then (user + system), which does not grow when other processes
# compete for the cores: wall time on a busy machine overstates the start-up.
#
# Usage: bench/cold-start.sh [LAUNCHER] [RUNS]
#   LAUNCHER defaults to target/jpackage/nexus-monitor/bin/nexus-monitor (jpackage/build.sh);
#   use "java -jar target/nexus-monitor.jar" to measure the jar.
set -euo pipefail
launcher=${1:-target/jpackage/nexus-monitor/bin/nexus-monitor}
runs=${2:-5}
port=${PORT:-18765}
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
times=()
cpus=()
for ((i = 1; i <= runs; i++)); do
  start=$(date +%s%N)
  # shellcheck disable=SC2086
  $launcher --no-gui --no-discovery --port "$port" --state-dir "$state" -c /dev/null >"$state/log" 2>&1 &
  pid=$!
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$state/log"; echo "exited before answering" >&2; exit 1; }
    sleep 0.01
  done
  end=$(date +%s%N)
  # utime + stime (fields 14 and 15 of /proc/PID/stat, in clock ticks) of the launcher process
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%d", ($14 + $15) * 1000 / hz}' "/proc/$pid/stat")
  kill -TERM "$pid"
  wait "$pid" || true
  ms=$(((end - start) / 1000000))
  times+=("$ms")
  cpus+=("$cpu")
  echo "run $i: ${ms} ms wall, ${cpu} ms CPU"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
median_cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "median cold start to /health: ${median} ms wall, ${median_cpu} ms CPU over $runs runs (load: $(cut -d' ' -f1 /proc/loadavg))"
