#!/usr/bin/env bash
# Routing under contention (issue 12): three simulated Ollama-like boxes of unequal speed, one model
# resident on each, a model swap costing seconds and blocking the box, under an open-loop Poisson
# stream of streaming chats over two models. Prints TTFT p50/p95/p99, model swaps and failures for
# each gateway strategy, for a model-blind baseline (nginx least_conn when nginx is installed) and
# for the hand partition (each model straight to the boxes that have it loaded).
# Targets (issue 12): p95 TTFT <= 0.3 x the model-blind baseline, p50 <= 1.5 x the hand partition,
# zero failures while any box has capacity.
#
#   bench/llm-lan.sh                                   # 60 s per target, 4 requests/s
#   bench/llm-lan.sh seconds=120 rate=5 targets=smart,nginx,hand
#
# Everything runs on 127.0.0.1; the boxes, the engine and nginx are stopped at the end of each target.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
cp=$(bench_classpath)
exec java -Xmx1g -cp "$cp" io.nexusmonitor.bench.LlmLanBench "$@"
