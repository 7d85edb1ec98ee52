#!/usr/bin/env bash
# End-to-end window bench (issue 6): 1000 rows, 200 registry changes/s for 30 s -> FX pulse
# duration p99 (target <= 16 ms); then 30 s without changes -> process CPU (target < 2 % of a core).
# Needs a display: uses $DISPLAY if set, else starts a private Xvfb (apt-get install xvfb).
# Usage: bench/gui-bench.sh [rows] [changes-per-second] [load-seconds] [idle-seconds] [grace-%]
set -euo pipefail
cd "$(dirname "$0")/.."
xvfb_pid=
if [ -z "${DISPLAY:-}" ]; then
  export DISPLAY=:97
  Xvfb "$DISPLAY" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  trap 'kill "$xvfb_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 100); do [ -S /tmp/.X11-unix/X97 ] && break; sleep 0.1; done
fi
. bench/lib.sh
cp=$(bench_classpath)
(($# > 0)) || set -- 1000 200 30 30 10
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS holds words
java ${BENCH_JAVA_OPTS:-} -cp "$cp" io.nexusmonitor.bench.GuiPulseBench "$@"
