#!/usr/bin/env bash
# fzf-yardstick.sh times fzf's matcher on the same search lines and the same
# keystrokes as the omni benchmarks (tui/omni/bench_test.go), so the figures
# in docs/perf/search.md can be set side by side.
#
# Usage: scripts/fzf-yardstick.sh [N ...]     (default: 100000 1000000)
# Needs fzf on PATH (Debian: apt-get install -y fzf). Work files go to
# $OUT (default /tmp/vigil-fzf).
#
# For every prefix of every query it runs `fzf --filter PREFIX < lines`
# (best of $REPS runs, default 3) and subtracts the time fzf takes to load
# the lines and filter with a query that matches nothing, leaving the
# matcher's own time. It prints each keystroke, then p50 / p90 / max.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v fzf >/dev/null || { echo "fzf not found: apt-get install -y fzf" >&2; exit 1; }
out=${OUT:-/tmp/vigil-fzf}
reps=${REPS:-3}
mkdir -p "$out"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)

# best_ms QUERY FILE: the fastest of $reps runs of fzf --filter, in ms.
best_ms() {
	local best="" t0 t1 ms
	for _ in $(seq "$reps"); do
		t0=$(date +%s%N)
		fzf --filter "$1" <"$2" >/dev/null || true # exit 1: no match
		t1=$(date +%s%N)
		ms=$(((t1 - t0) / 1000))
		if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
	done
	echo "$best" # microseconds
}

echo "fzf $(fzf --version) on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for n in "${sizes[@]}"; do
	lines="$out/lines-$n.txt"
	go test -count=1 -run '^TestWriteLines$' ./tui/omni/ -args \
		-dumplines="$lines" -dumpn="$n" -dumpqueries="$out/queries.txt" >/dev/null
	base=$(best_ms "ZQZQZQ" "$lines") # loading + a cheap no-match pass
	echo "== $n lines ($(du -h "$lines" | cut -f1)); load baseline $((base / 1000)) ms"
	res="$out/fzf-$n.txt"
	: >"$res"
	while IFS= read -r q; do
		for ((i = 1; i <= ${#q}; i++)); do
			p=${q:0:i}
			us=$(best_ms "$p" "$lines")
			net=$((us - base))
			[ "$net" -ge 0 ] || net=0
			printf '%-24s total %7.1f ms  matcher %7.1f ms\n' "\"$p\"" "$(echo "$us/1000" | bc -l)" "$(echo "$net/1000" | bc -l)"
			echo "$net" >>"$res"
		done
	done <"$out/queries.txt"
	sort -n "$res" | awk -v n="$n" '{a[NR]=$1} END {
		printf "fzf matcher at %d lines over %d keystrokes: p50 %.1f ms  p90 %.1f ms  max %.1f ms\n",
			n, NR, a[int(NR/2)+1]/1000, a[int(NR*9/10)+1]/1000, a[NR]/1000 }'
done
