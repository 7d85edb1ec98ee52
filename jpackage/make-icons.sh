#!/usr/bin/env bash
# Renders resources/icons/nexus-monitor.svg to the PNG sizes desktops use (hicolor theme sizes).
# The PNGs are committed; run this only after changing the SVG. Needs ImageMagick (apt-get install imagemagick).
set -euo pipefail
cd "$(dirname "$0")/.."
src=resources/icons/nexus-monitor.svg
for size in 16 24 32 48 64 128 256 512; do
  convert -background none -density 192 "$src" -resize "${size}x${size}" -depth 8 -strip \
    "resources/icons/nexus-monitor-${size}.png"
done
ls -l resources/icons
