#!/usr/bin/env bash
# How the normalizer's cost grows with the page: `policydiff text` on generated pages of
# 10k, 20k, 40k and 80k headings (h2/h3 alternating under one h1, a sentence each) and of
# 250k, 500k and 1M tiny paragraphs (one letter, `<p>a</p>`, or one short sentence; HTML and
# Markdown); wall and CPU time and peak memory (GNU time's max RSS, also as a multiple of
# the input's size) of each. Linear cost shows as time and memory doubling with the page.
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
paragraphs() { # count shape extension: one-letter (`<p>a</p>`) or sentence paragraphs
  python3 - "$1" "$2" "$3" >"$work/$2$1.$3" <<'PY'
import sys
n, shape, ext = int(sys.argv[1]), sys.argv[2], sys.argv[3]
text = (lambda i: "a") if shape == "letter" else (lambda i: f"We keep record {i} for a year.")
if ext == "html":
    print("<html><body><main><h1>Privacy Policy</h1>" + "".join(f"<p>{text(i)}</p>" for i in range(n)) + "</main></body></html>")
else:
    print("# Privacy Policy\n\n" + "".join(f"{text(i)}\n\n" for i in range(n)), end="")
PY
}
measure() { # file label
  local bytes; bytes=$(stat -c %s "$1")
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$bin" text "$1" >/dev/null
  read -r secs user sys kb <"$work/time"
  printf '%-34s %10d bytes  %6.2f s (cpu %5.2f s)  %8d KB max RSS  %5.1fx input' "$2" "$bytes" "$secs" \
    "$(python3 -c "print($user+$sys)")" "$kb" "$(python3 -c "print($kb*1024/$bytes)")"
  if [ -n "${prev:-}" ]; then printf '  time x%.2f' "$(python3 -c "print($secs/max($prev,0.005))")"; fi
  echo
  prev=$secs
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
prev=
for n in 10000 20000 40000 80000; do headings $n; measure "$work/h$n.html" "$n headings"; done
for ext in html md; do
  for shape in letter sentence; do
    prev=
    for n in 250000 500000 1000000; do
      paragraphs $n $shape $ext
      measure "$work/$shape$n.$ext" "$n $shape paragraphs ($ext)"
      rm -f "$work/$shape$n.$ext"
    done
  done
done
