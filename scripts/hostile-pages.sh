#!/usr/bin/env bash
# Times `policydiff text` on generated hostile pages: containers nested 50,000 and
# 200,000 deep, and mixed list/inline nesting. Before the nesting cap
# (src/normalize/nesting.rs) 50,000 nested <div>s took 4.2 s in the HTML parser.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$dir" <<'PY'
import sys, pathlib
d = pathlib.Path(sys.argv[1])
text = "We collect your personal information to provide the service. " * 20
pages = {
    "div-50k": "<div>" * 50_000 + text + "</div>" * 50_000,
    "div-200k": "<div>" * 200_000 + text + "</div>" * 200_000,
    "ul-li-50k": "<ul><li>" * 50_000 + text,
    "div-span-100k": "<div><span>" * 100_000 + text,
    "b-50k": "<b>" * 50_000 + text,
}
for name, body in pages.items():
    (d / f"{name}.html").write_text(f"<html><body>{body}</body></html>")
PY
for page in "$dir"/*.html; do
  start=$(date +%s.%N)
  target/release/policydiff text "$page" > /dev/null
  end=$(date +%s.%N)
  printf '%-16s %8d bytes %7.3f s\n' "$(basename "$page" .html)" "$(stat -c %s "$page")" "$(echo "$end - $start" | bc)"
done
