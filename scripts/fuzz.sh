#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for a bounded time (not part of .ci/run).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     # default 60 s, every target
#
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). The corpus in
# fuzz/corpus/<target>/ is read, never written: inputs found during a run go to a
# temporary folder, so the repository's corpus stays small (to fold the new ones in,
# minimized: `cargo +nightly fuzz cmin --fuzz-dir fuzz TARGET`). A crash is saved under
# fuzz/artifacts/<target>/ and stops the script with its path; rerun it with
# `cargo +nightly fuzz run --fuzz-dir fuzz TARGET fuzz/artifacts/TARGET/crash-…`.
# FUZZ_SANITIZER (default `none`: the code is safe Rust, and a panic is what is looked
# for) can be `address` for ASan. Prints executions and coverage per target.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(normalize_html markdown cdx date diff)
sanitizer=${FUZZ_SANITIZER:-none}
cargo +nightly fuzz build --fuzz-dir fuzz -s "$sanitizer"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-16s %8s %12s %10s %8s %s\n' target seconds executions exec/s cov result
for t in "${targets[@]}"; do
  mkdir -p "$work/$t"
  log="$work/$t.log"
  if cargo +nightly fuzz run --fuzz-dir fuzz -s "$sanitizer" "$t" "$work/$t" "fuzz/corpus/$t" -- \
      -max_total_time="$secs" -max_len=65536 -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
      >"$log" 2>&1; then
    result=ok
  else
    result="FAILED: $(grep -o 'fuzz/artifacts/[^ ]*' "$log" | tail -1)"
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  printf '%-16s %8s %12s %10s %8s %s\n' "$t" "$secs" "${execs:-?}" "${speed:-?}" "${cov:-?}" "$result"
  if [ "$result" != ok ]; then
    grep -m1 -B2 -A12 "panicked\|ERROR: libFuzzer" "$log" || tail -30 "$log"
    exit 1
  fi
done
