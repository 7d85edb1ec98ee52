#!/usr/bin/env bash
# End-to-end health-check bench: N fake backends on 127.0.0.1, the real HealthChecker.
# Usage: bench/health-bench.sh [backends=1000] [interval_s=30] [timeout_s=5] [hanging_percent=20] [cycles=2]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
cp=$(bench_classpath)
exec java -Xmx512m -cp "$cp" io.nexusmonitor.bench.HealthCheckBench "$@"
