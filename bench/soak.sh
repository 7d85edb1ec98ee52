#!/usr/bin/env bash
# Soak: the headless product for MINUTES (default 30) with BACKENDS (default 100) static backends,
# 10 % of them restarting every minute (down 20 s, a different set each minute), and 1 chat
# request per second through the gateway; prints RSS, CPU, threads and descriptors every 5 minutes
# and at the end also the heap after a full GC. Targets (issue 15): RSS flat within 10 % from the
# first sample after warm-up to the end, no growth in threads or descriptors.
# All on 127.0.0.1 (bench/footprint.sh does the work); JVM options as the packages ship them
# unless NEXUS_JAVA_OPTS is set.
# Usage: bench/soak.sh [minutes=30] [backends=100]
set -euo pipefail
cd "$(dirname "$0")/.."
FLAP_PERCENT=${FLAP_PERCENT:-10} REQUESTS_PER_S=${REQUESTS_PER_S:-1} SAMPLE_S=${SAMPLE_S:-300} \
  exec bench/footprint.sh headless "${2:-100}" "${1:-30}"
