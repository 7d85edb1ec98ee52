#!/usr/bin/env bash
# End-to-end health-check bench: N fake backends on 127.0.0.1, the real HealthChecker.
# Usage: bench/health-bench.sh [backends=1000] [interval_s=30] [timeout_s=5] [hanging_percent=20] [cycles=2]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -o test-compile
cp_file=target/bench-classpath.txt
mvn -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
exec java -Xmx512m -cp "target/test-classes:target/classes:$(cat "$cp_file")" io.nexusmonitor.bench.HealthCheckBench "$@"
