#!/usr/bin/env bash
# Runs every shell command block of README.md as a new user would, in a fresh clone of
# this repository (HEAD) with no ../shared beside it, with the policydiff built here on
# PATH in place of `cargo install`.
#
#   scripts/readme-commands.sh [POLICYDIFF_BINARY]
#
# Blocks are the indented (4 spaces) and ```sh/```bash/```console fenced ones. Skipped:
# `cargo install` (the given binary stands for it; `cargo run --release -- ARGS` runs it
# with ARGS too), `cargo test`/`cargo bench` (CI runs
# them itself), and a block right after a `<!-- readme-commands: skip -->` line. A command
# fails the check when it exits with 2 or more (1 is "changes found"), or when a block
# that is run names ../shared (a fresh clone has none).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
binary=${1:-$repo/target/release/policydiff}
[ -x "$binary" ] || { echo "readme-commands: no policydiff binary at $binary (cargo build --release first)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q "$repo" "$work/policydiff"
mkdir -p "$work/bin"
ln -s "$(realpath "$binary")" "$work/bin/policydiff"
export PATH="$work/bin:$PATH"
unset POLICYDIFF_STORE POLICYDIFF_OFFLINE POLICYDIFF_WAYBACK_URL
export POLICYDIFF_STORE="$work/store" NO_COLOR=1

python3 - "$work/policydiff/README.md" >"$work/commands" <<'PY'
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
blocks, i, skip_next = [], 0, False
while i < len(lines):
    line = lines[i]
    if "<!-- readme-commands: skip -->" in line:
        skip_next = True
    fence = re.match(r"^```(\w*)", line)
    if fence:
        lang, body, i = fence.group(1), [], i + 1
        while i < len(lines) and not lines[i].startswith("```"):
            body.append(lines[i]); i += 1
        if lang in ("sh", "bash", "console", "shell"):
            blocks.append((skip_next, [re.sub(r"^\$ ", "", l) for l in body]))
            skip_next = False
    elif line.startswith("    ") and i > 0 and lines[i - 1].strip() == "" and not re.match(r"^\s*([-*]|\d+\.)\s", lines[i - 2] if i > 1 else ""):
        body = []
        while i < len(lines) and (lines[i].startswith("    ") or lines[i].strip() == ""):
            if lines[i].strip():
                body.append(lines[i][4:])
            i += 1
        blocks.append((skip_next, body))
        skip_next = False
        continue
    i += 1
for n, (skip, body) in enumerate(blocks):
    command, joined = "", []
    for l in body:
        command += l.rstrip("\\").rstrip() + " " if l.endswith("\\") else l
        if not l.endswith("\\"):
            joined.append(command.strip()); command = ""
    for c in joined:
        if c and not c.startswith("#"):
            print(f"{n}\t{'skip' if skip else 'run'}\t{c}")
PY

ran=0; failed=0
while IFS=$'\t' read -r block mode command; do
    case "$command" in
        "cargo install"*) echo "readme-commands: block $block: $command — stood for by $binary"; continue ;;
        "cargo test"*|"cargo bench"*) echo "readme-commands: block $block: $command — run by CI itself"; continue ;;
    esac
    # `cargo run --release -- ARGS` is the installed binary run from the clone.
    command=$(printf '%s' "$command" | sed -E 's/^cargo run( --release)? --( |$)/policydiff\2/')
    if [ "$mode" = skip ]; then echo "readme-commands: block $block: $command — marked skip"; continue; fi
    if [[ "$command" == *"../shared"* ]]; then
        echo "readme-commands: block $block: needs ../shared, which a fresh clone has not: $command" >&2
        failed=$((failed + 1)); continue
    fi
    set +e
    (cd "$work/policydiff" && bash -c "$command") >"$work/out" 2>"$work/err" </dev/null
    status=$?
    set -e
    ran=$((ran + 1))
    if [ $status -ge 2 ]; then
        echo "readme-commands: block $block: exit $status: $command" >&2
        sed 's/^/    /' "$work/err" | head -5 >&2
        failed=$((failed + 1))
    else
        echo "readme-commands: block $block: ok (exit $status, $(wc -l <"$work/out") lines): $command"
    fi
done <"$work/commands"
echo "readme-commands: $ran commands run, $failed failed"
[ $failed -eq 0 ]
