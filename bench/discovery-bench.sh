#!/usr/bin/env bash
# End-to-end discovery bench over real mDNS packets on 127.0.0.1 only (see DiscoveryBench).
#   bench/discovery-bench.sh [ROUNDS]     (default 30; about 4 s per round)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -o test-compile
mvn -q -o org.codehaus.mojo:exec-maven-plugin:3.5.0:exec -Dexec.executable=java -Dexec.classpathScope=test \
  -Dexec.args="-cp %classpath io.nexusmonitor.bench.DiscoveryBench ${1:-30}"
