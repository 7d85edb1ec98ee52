#!/usr/bin/env bash
# End-to-end discovery bench over real mDNS packets on 127.0.0.1 only (see DiscoveryBench).
#   bench/discovery-bench.sh [ROUNDS]     (default 30; about 4 s per round)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
cp=$(bench_classpath)
exec java -cp "$cp" io.nexusmonitor.bench.DiscoveryBench "${1:-30}"
