#!/usr/bin/env bash
# Instruction counts (valgrind callgrind) of normalizing every fixture page once,
# against parsing them only: a repeatable cost ratio on a noisy machine.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --features compare --example normalize_cost
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/normalize_cost "$1" 2>&1 \
    | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
parse=$(count parse)
normalize=$(count normalize)
echo "parse-only instructions: $parse"
echo "normalize instructions:  $normalize"
smoothie=$(count dom_smoothie)
echo "dom_smoothie instructions: $smoothie"
python3 -c "print(f'normalize costs {($normalize)/($parse):.2f}x the bare parse (parse/normalize speed ratio {($parse)/($normalize):.2f}); dom_smoothie/normalize {($smoothie)/($normalize):.2f}')"
