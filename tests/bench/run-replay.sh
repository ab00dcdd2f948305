#!/usr/bin/env bash
# Replay throughput: the scheduler core alone, then `limberd --replay` on the
# same synthetic year as a whole process (parsing and JSON output included).
set -euo pipefail
build=${LIMBER_BUILD:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$build/tests/bench/bench-scheduler" 250 --trace "$tmp/year.trace"
lines=$(wc -l < "$tmp/year.trace")
best=""
for i in 1 2 3; do
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$tmp/rss" "$build/limberd" --replay "$tmp/year.trace" --json > "$tmp/out.json"
    end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
done
events=$(( $(wc -l < "$tmp/out.json") - 1 ))
echo "limberd --replay --json: $lines trace lines, $events events out, best of 3: ${best} ms" \
     "($(( lines * 1000 / (best > 0 ? best : 1) )) lines/s), peak RSS $(cat "$tmp/rss") KiB"
