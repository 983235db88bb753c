#!/usr/bin/env bash
# How the normalizer's cost grows with the page: `policydiff text` on generated pages of
# 10k, 20k, 40k and 80k headings (h2/h3 alternating under one h1, a sentence each) and of
# 250k, 500k and 1M tiny paragraphs; wall time and peak memory (GNU time's max RSS) of
# each. Linear cost shows as time doubling with the page (the ratio column near 2).
#
#   scripts/normalize-scaling.sh            # builds the release binary first
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin policydiff
bin=target/release/policydiff
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

headings() {
  python3 - "$1" >"$work/h$1.html" <<'PY'
import sys
n = int(sys.argv[1])
out = ["<html><body><main><h1>Privacy Policy</h1>"]
for i in range(n):
    tag = "h2" if i % 2 == 0 else "h3"
    out.append(f"<{tag}>Heading {i}</{tag}><p>We keep record {i} for a year.</p>")
out.append("</main></body></html>")
print("".join(out))
PY
}
paragraphs() {
  python3 - "$1" >"$work/p$1.html" <<'PY'
import sys
n = int(sys.argv[1])
print("<html><body><main><h1>Privacy Policy</h1>" + "<p>a</p>" * n + "</main></body></html>")
PY
}
measure() { # file label
  local bytes; bytes=$(stat -c %s "$1")
  /usr/bin/time -f "%e %M" -o "$work/time" "$bin" text "$1" >/dev/null
  read -r secs kb <"$work/time"
  printf '%-22s %10d bytes  %6.2f s  %8d KB max RSS  %5.1fx input' "$2" "$bytes" "$secs" "$kb" \
    "$(python3 -c "print($kb*1024/$bytes)")"
  if [ -n "${prev:-}" ]; then printf '  time x%.2f' "$(python3 -c "print($secs/max($prev,0.005))")"; fi
  echo
  prev=$secs
}
prev=
for n in 10000 20000 40000 80000; do headings $n; measure "$work/h$n.html" "$n headings"; done
prev=
for n in 250000 500000 1000000; do paragraphs $n; measure "$work/p$n.html" "$n paragraphs"; done
