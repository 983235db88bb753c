#!/usr/bin/env bash
# Renders each HTML page in headless Chromium and fails when the page logs anything to
# the console or makes a request that leaves the page (http, https, ws: a report must be
# self-contained). Saves a screenshot of each beside it (PAGE.png), or in $SCREENSHOT_DIR.
#
#   scripts/browser-check.sh FILE.html...      check pages (exit 1 if one fails)
#   scripts/browser-check.sh --self-test       prove the check catches a bad page
#
# Installs Debian's chromium with apt-get when it is missing and that is possible; exits
# 3 with a message when no browser can be had (`.ci/run` then skips the check).
set -euo pipefail
command -v python3 >/dev/null || { echo "browser-check: needs python3 (to read Chromium's net log); skipped" >&2; exit 3; }

find_browser() {
    for b in chromium chromium-browser google-chrome; do
        if command -v "$b" >/dev/null 2>&1; then echo "$b"; return 0; fi
    done
    return 1
}

BROWSER=$(find_browser || true)
if [ -z "$BROWSER" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "browser-check: installing chromium (apt-get)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-dejavu-core >/dev/null 2>&1 \
        || { apt-get update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-dejavu-core >/dev/null 2>&1; } \
        || true
    BROWSER=$(find_browser || true)
fi
if [ -z "$BROWSER" ]; then
    echo "browser-check: no chromium and it cannot be installed here; skipped" >&2
    exit 3
fi

# check PAGE SCREENSHOT: 0 when the page is clean.
check() {
    local page=$1 shot=$2 profile netlog log
    profile=$(mktemp -d)
    netlog="$profile/netlog.json"
    log="$profile/stderr.log"
    timeout 60 "$BROWSER" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile/profile" \
        --enable-logging=stderr --v=0 --log-net-log="$netlog" --net-log-capture-mode=Default \
        --hide-scrollbars --window-size=1200,1500 --virtual-time-budget=3000 \
        --screenshot="$shot" "file://$(realpath "$page")" >"$log" 2>&1 || true
    local failed=0
    if grep -E ':CONSOLE[:(]' "$log" >/dev/null; then
        echo "browser-check: $page: console messages:" >&2
        grep -E ':CONSOLE[:(]' "$log" | sed 's/^/    /' >&2
        failed=1
    fi
    # Every request the page started (the browser's own have no origin as initiator);
    # a self-contained page starts none.
    local leaving
    leaving=$(python3 - "$netlog" <<'PY'
import json, sys
text = open(sys.argv[1]).read().rstrip().rstrip(",")
try:
    log = json.loads(text)
except ValueError:  # a log cut at exit: close its event list
    log = json.loads(text + ("]}" if not text.endswith("]}") else ""))
names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
seen = set()
for event in log.get("events", []):
    params = event.get("params") or {}
    if names.get(event.get("type")) == "URL_REQUEST_START_JOB" and params.get("initiator") != "not an origin":
        url = params.get("url", "")
        if not url.startswith(("file:", "data:", "blob:", "about:")) and url not in seen:
            seen.add(url)
            print(url)
PY
)
    if [ -n "$leaving" ]; then
        echo "browser-check: $page: requests leaving the page:" >&2
        echo "$leaving" | sed 's/^/    /' >&2
        failed=1
    fi
    if [ ! -s "$shot" ]; then
        echo "browser-check: $page: no screenshot was taken (the page did not render)" >&2
        tail -5 "$log" | sed 's/^/    /' >&2
        failed=1
    fi
    rm -rf "$profile"
    return $failed
}

if [ "${1:-}" = "--self-test" ]; then
    dir=$(mktemp -d)
    trap 'rm -rf "$dir"' EXIT
    printf '<!DOCTYPE html><title>bad</title><img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script>\n' >"$dir/bad.html"
    printf '<!DOCTYPE html><title>good</title><p>Fine.</p>\n' >"$dir/good.html"
    if check "$dir/bad.html" "$dir/bad.png" 2>"$dir/why"; then
        echo "browser-check: self-test FAILED: a page with a console error and a request passed" >&2
        exit 1
    fi
    grep -q "console messages" "$dir/why" && grep -q "requests leaving" "$dir/why" \
        || { echo "browser-check: self-test FAILED: not both faults seen:" >&2; cat "$dir/why" >&2; exit 1; }
    check "$dir/good.html" "$dir/good.png" || { echo "browser-check: self-test FAILED: a clean page failed" >&2; exit 1; }
    echo "browser-check: self-test passed ($BROWSER)"
    exit 0
fi

[ $# -gt 0 ] || { echo "usage: scripts/browser-check.sh FILE.html... | --self-test" >&2; exit 2; }
status=0
for page in "$@"; do
    if [ -n "${SCREENSHOT_DIR:-}" ]; then
        shot="$SCREENSHOT_DIR/$(basename "${page%.*}").png"
    else
        shot="${page%.*}.png"
    fi
    if check "$page" "$shot"; then
        echo "browser-check: $page: no console message, no request leaving the page; screenshot $shot"
    else
        status=1
    fi
done
exit $status
