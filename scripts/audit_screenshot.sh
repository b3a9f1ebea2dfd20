#!/usr/bin/env bash
# Renders a release's audit.html in headless Chromium and saves a screenshot, to look at the page as a
# reader sees it (charts, Arabic examples, layout).
#
#   scripts/audit_screenshot.sh RELEASE OUT.png [WIDTHxHEIGHT]
#
# RELEASE is a release directory (OUT/NAME/VERSION) holding audit.html, or an .html file. Installs
# Debian's `chromium` when it is missing. The page is opened from disk (file://) with networking
# features off: audit.html is self-contained and needs nothing else.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: $0 RELEASE OUT.png [WIDTHxHEIGHT]" >&2
  exit 2
fi
release=$1
out=$2
size=${3:-1280x2000}

if [[ -f $release ]]; then
  html=$release
else
  html=$release/audit.html
fi
if [[ ! -f $html ]]; then
  echo "$0: $html not found (build the release with a claimset that audits, or run \`claimset audit $release --html FILE\`)" >&2
  exit 2
fi

browser=""
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done
if [[ -z $browser ]]; then
  echo "$0: installing Debian's chromium" >&2
  apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >&2
  browser=chromium
fi

abs_html=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
out_dir=$(dirname "$out")
mkdir -p "$out_dir"
abs_out=$(cd "$out_dir" && pwd)/$(basename "$out")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$profile" \
  --screenshot="$abs_out" --window-size="${size/x/,}" "file://$abs_html" >&2 2>/dev/null || true

if [[ ! -s $abs_out ]]; then
  echo "$0: chromium wrote no screenshot" >&2
  exit 1
fi
echo "$abs_out"
