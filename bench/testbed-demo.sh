#!/usr/bin/env bash
# A real LAN demo on the private testbed (../shared/testbed/lan.sh, network namespaces, root):
# three simulated LLM boxes on h2 and h3, each announced by `nexus-monitor announce` over real mDNS,
# and the monitor with its window on h1 (default settings: every interface of h1, which is only its
# loopback and the testbed), with a steady stream of streaming chats through its gateway.
# Used for the README's screenshots; nothing leaves the namespaces.
#
#   bench/testbed-demo.sh up [DISPLAY]   # start it all (default :97, an Xvfb it starts if none runs)
#   bench/testbed-demo.sh shot FILE      # screenshot of the whole X screen
#   bench/testbed-demo.sh web LIGHT.png DARK.png [SECONDS] [BACKEND]
#                                        # the web view in headless Chromium on h1, after watching it
#   bench/testbed-demo.sh exec CMD...    # run CMD on h1
#   bench/testbed-demo.sh down           # stop what `up` started and remove the testbed
#
# Load: LOAD_RATE chats/s (default 1.5) for LOAD_SECONDS (default 3600): 40 % llama3:8b, 40 % qwen2:7b,
# 20 % phi3:mini (only on the CPU box), which leaves every box room.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export LAN_PREFIX=${LAN_PREFIX:-nxdemo}
lan="$root/../shared/testbed/lan.sh"
. "$root/bench/lib.sh"
run=/tmp/nexus-testbed-demo
jar="$run/nexus-monitor.jar" # a copy: a rebuild must not replace the jar under running processes

up() {
  local display=${1:-:97}
  [ -x "$lan" ] || { echo "testbed-demo: $lan not found" >&2; exit 2; }
  mkdir -p "$run/home"
  mvn_quiet -DskipTests package
  local cp
  cp=$(bench_classpath)
  printf '%s' "$cp" > "$run/cp.txt" # for `web`
  cp "$root/target/nexus-monitor.jar" "$jar"
  if ! [ -e "/tmp/.X11-unix/X${display#:}" ]; then
    Xvfb "$display" -screen 0 1400x900x24 >/dev/null 2>&1 & echo $! >> "$run/pids"
    sleep 1
  fi
  "$lan" up 3 >/dev/null
  bg() { local host=$1; shift; "$lan" exec "$host" "$@" >> "$run/$host.log" 2>&1 & echo $! >> "$run/pids"; }
  # h2: a fast GPU box (Ollama); h3: a slower GPU box (Ollama) and a CPU box (llama.cpp)
  bg h2 java -Xmx128m -cp "$cp" io.nexusmonitor.bench.TestbedDemo boxes \
    "gpu-fast,11434,4,90,3,llama3:8b+qwen2:7b,llama3:8b"
  bg h3 java -Xmx128m -cp "$cp" io.nexusmonitor.bench.TestbedDemo boxes \
    "gpu-slow,11434,2,40,5,llama3:8b+qwen2:7b,qwen2:7b" "cpu-box,8080,2,25,8,phi3:mini,phi3:mini"
  sleep 3
  bg h2 java -jar "$jar" announce --type ollama --port 11434 --name gpu-fast --max-concurrent 4
  bg h3 java -jar "$jar" announce --type ollama --port 11434 --name gpu-slow --max-concurrent 2
  bg h3 java -jar "$jar" announce --type llamacpp --port 8080 --name cpu-box --max-concurrent 2
  bg h1 env HOME="$run/home" XDG_CONFIG_HOME="$run/home/.config" XDG_DATA_HOME="$run/home/.local/share" \
    DISPLAY="$display" java -jar "$jar" --state-dir "$run/home/state"
  sleep 8
  bg h1 java -Xmx128m -cp "$cp" io.nexusmonitor.bench.TestbedDemo load http://127.0.0.1:8000 \
    "${LOAD_RATE:-1.5}" "${LOAD_SECONDS:-3600}" "llama3:8b+qwen2:7b+llama3:8b+qwen2:7b+phi3:mini"
  echo "testbed demo up on $display: logs in $run/*.log; 'bench/testbed-demo.sh down' ends it"
}

down() {
  if [ -f "$run/pids" ]; then
    # the processes started here, newest first, then whatever they started inside the namespaces
    tac "$run/pids" | while read -r pid; do pkill -TERM -P "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
    rm -f "$run/pids"
  fi
  for ns in $(ip netns list | awk '{print $1}' | grep "^$LAN_PREFIX-" || true); do
    ip netns pids "$ns" | xargs -r kill 2>/dev/null || true
  done
  sleep 1
  "$lan" down >/dev/null 2>&1 || true
}

case "${1:-}" in
  up) up "${2:-:97}" ;;
  shot) import -display "${DISPLAY_SHOT:-:97}" -window root "$2" ;;
  web) "$lan" exec h1 java -cp "$(cat "$run/cp.txt")" \
         io.nexusmonitor.web.PageShot http://127.0.0.1:8000/ "$2" "$3" "${4:-60}" ${5:+"$5"} ;;
  exec) shift; "$lan" exec h1 "$@" ;;
  down) down ;;
  *) sed -n 2,17p "$0" >&2; exit 2 ;;
esac
