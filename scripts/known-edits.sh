#!/usr/bin/env bash
# The known-edit benchmark of the differ (issue 4): per-kind precision and recall of
# policydiff and of a sentence-level baseline on real policies with known edits.
# Arguments go to the example, e.g. `scripts/known-edits.sh --pairs 500 --seed 2 --verbose`.
# The corpus defaults to ../shared/corpus; pass --corpus DIR for another one
# (tests/fixtures/known-edits works too).
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --quiet --release --example known_edits -- "$@"
