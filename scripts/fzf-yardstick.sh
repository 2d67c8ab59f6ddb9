#!/usr/bin/env bash
# fzf-yardstick.sh times fzf's matcher on the same search lines and the same
# keystrokes as the omni benchmarks (tui/omni/bench_test.go), so the figures
# in docs/perf/search.md can be set side by side.
#
# Usage: scripts/fzf-yardstick.sh [N ...]     (default: 100000 1000000)
# Needs fzf (Debian: apt-get install -y fzf) and python3. Work files go to
# $OUT (default /tmp/vigil-fzf). STEP=k times only every k-th prefix of each
# query (and the whole query), for quicker runs at 1M lines.
#
# For every prefix of every query it runs `fzf --filter PREFIX < lines`
# (best of $REPS runs, default 3) and subtracts what fzf takes to load the
# lines and filter them with a query that matches nothing, leaving the
# matcher's own time; it does the same with fzf's CPU time (user+system),
# which other load on the machine hardly changes. It prints each keystroke,
# then p50 / p90 / max.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v fzf >/dev/null || { echo "fzf not found: apt-get install -y fzf" >&2; exit 1; }
out=${OUT:-/tmp/vigil-fzf}
mkdir -p "$out"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)

echo "fzf $(fzf --version) on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in "${sizes[@]}"; do
	lines="$out/lines-$n.txt"
	go test -count=1 -run '^TestWriteLines$' ./tui/omni/ -args \
		-dumplines="$lines" -dumpn="$n" -dumpqueries="$out/queries.txt" >/dev/null
	echo "== $n lines ($(du -h "$lines" | cut -f1))"
	LINES_FILE="$lines" QUERIES_FILE="$out/queries.txt" REPS="${REPS:-3}" STEP="${STEP:-1}" python3 - <<'PY'
import os, resource, subprocess, time

lines, reps, step = os.environ["LINES_FILE"], int(os.environ["REPS"]), int(os.environ["STEP"])
queries = [q for q in open(os.environ["QUERIES_FILE"]).read().split("\n") if q]

def run(query):
    """Best wall and CPU seconds of reps runs of fzf --filter query."""
    best_wall = best_cpu = None
    for _ in range(reps):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        with open(lines, "rb") as f:
            subprocess.run(["fzf", "--filter", query], stdin=f, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - t0
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
        best_wall = wall if best_wall is None else min(best_wall, wall)
        best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
    return best_wall, best_cpu

base_wall, base_cpu = run("ZQZQZQ")  # load the lines, match nothing
print(f"load baseline: wall {base_wall*1e3:.1f} ms, cpu {base_cpu*1e3:.1f} ms")
walls, cpus = [], []
for q in queries:
    for i in range(1, len(q) + 1):
        if i % step and i != len(q):
            continue
        w, c = run(q[:i])
        walls.append(max(w - base_wall, 0))
        cpus.append(max(c - base_cpu, 0))
        print(f"{q[:i]!r:26} total {w*1e3:7.1f} ms  matcher {walls[-1]*1e3:7.1f} ms  cpu {cpus[-1]*1e3:7.1f} ms")

def pct(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2] * 1e3, xs[len(xs) * 9 // 10] * 1e3, xs[-1] * 1e3

print("fzf matcher wall over %d keystrokes: p50 %.1f ms  p90 %.1f ms  max %.1f ms" % ((len(walls),) + pct(walls)))
print("fzf matcher cpu: mean %.1f ms/key" % (sum(cpus) / len(cpus) * 1e3))
PY
done
