#!/usr/bin/env bash
# The README's pictures of the web view: an engine on loopback with simulated Ollama boxes and chat
# traffic through the gateway, taken by headless Chromium in light and dark (needs Debian's
# chromium and chromium-driver). Usage: bench/web-screenshot.sh [light.png] [dark.png] [traffic-seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -o test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:exec \
  -Dexec.executable=java -Dexec.classpathScope=test \
  -Dexec.args="-Dnexus.mdns.loopback-only=true -cp %classpath io.nexusmonitor.web.WebViewScreenshot ${*:-docs/web-view.png docs/web-view-dark.png 25}"
