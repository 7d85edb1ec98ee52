#!/usr/bin/env bash
# Many concurrent streams through the gateway (issue 12): one simulated box with more slots than
# streams, a low token rate and long replies, so every stream is held open at once. The gateway
# runs as its own process (so its resident memory can be read); the same load then goes through
# nginx least_conn when nginx is installed. Each target: a warm-up, then the same load twice (round 1
# meets a JVM still compiling, round 2 the steady state). Prints TTFT p50/p95/p99, failures, the
# gateway's RSS before and while the streams are held and the growth per 1000 held streams, CPU
# per stream, TTFT p99 from the request being written, and listen-queue overflows.
# Targets (issue 12): TTFT p99 within 10 ms of nginx's, zero failures, <= 100 MB per 1000 streams.
#
#   bench/streams.sh                            # 2000 streams of ~20 s
#   bench/streams.sh streams=1000 seconds=10 targets=gateway
#   bench/streams.sh targets=gateway gateway_jvm="-XX:StartFlightRecording=filename=/tmp/gw.jfr,dumponexit=true"
#
# Everything runs on 127.0.0.1; the box, the gateway and nginx are stopped at the end of each target.
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n 65536 2>/dev/null || true
. bench/lib.sh
cp=$(bench_classpath)
exec java -Xmx1g -cp "$cp" io.nexusmonitor.bench.StreamsBench "$@"
