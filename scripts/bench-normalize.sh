#!/usr/bin/env bash
# Runs benches/normalize.rs with the third-party extractors and prints MB/s
# (10^6 bytes per second of input HTML, from criterion's mean time per iteration)
# for policydiff's normalizer, the scraper parse-only baseline and dom_smoothie.
# Extra arguments go to criterion, e.g. a filter: scripts/bench-normalize.sh scraper
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --features compare --bench normalize -- "$@"
python3 - <<'PY'
import json, pathlib
root = pathlib.Path("target/criterion/normalize")
print(f"\n{'benchmark':<16} {'mean time/iter':>16} {'MB/s':>10}")
for name in ["policydiff", "scraper_parse", "dom_smoothie"]:
    d = root / name / "new"
    if not (d / "estimates.json").exists():
        print(f"{name:<16} {'(not run)':>16}")
        continue
    ns = json.loads((d / "estimates.json").read_text())["mean"]["point_estimate"]
    bench = json.loads((d / "benchmark.json").read_text())
    nbytes = (bench.get("throughput") or {}).get("Bytes")
    mbps = f"{nbytes / (ns * 1e-9) / 1e6:10.1f}" if nbytes else "         ?"
    print(f"{name:<16} {ns / 1e6:13.2f} ms {mbps}")
PY
