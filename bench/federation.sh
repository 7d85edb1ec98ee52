#!/usr/bin/env bash
# Federation through a real etcd on 127.0.0.1 only (see FederationBench): propagation latency of
# a change from one monitor to another's registry (p50/p95/max; target p95 <= 100 ms), time and
# heap to import 10 000 backends of 20 sites, recovery after etcd restarts.
#   bench/federation.sh [changes=200] [sites=20] [per_site=500]
# Needs /usr/bin/etcd (apt-get install etcd-server).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
cp=$(bench_classpath)
exec java -Xmx1g -Dnexus.mdns.loopback-only=true -cp "$cp" \
  io.nexusmonitor.bench.FederationBench "$@"
