#!/usr/bin/env bash
# The README's pictures of the web view: an engine on loopback with simulated Ollama boxes and chat
# traffic through the gateway, taken by headless Chromium in light and dark (needs Debian's
# chromium and chromium-driver). Usage: bench/web-screenshot.sh [light.png] [dark.png] [traffic-seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
cp=$(bench_classpath)
(($# > 0)) || set -- docs/web-view.png docs/web-view-dark.png 25
exec java -Dnexus.mdns.loopback-only=true -cp "$cp" io.nexusmonitor.web.WebViewScreenshot "$@"
