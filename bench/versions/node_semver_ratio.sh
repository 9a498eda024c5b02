#!/bin/bash
# Throughput of `uprank version satisfies --scheme npm -` against node-semver's
# satisfies() on the same one million (version, range) pairs, in one run.
#
# Usage: bench/versions/node_semver_ratio.sh [PAIRS] [RUNS]
#   PAIRS  pairs per run (default 1000000)
#   RUNS   how many times each side runs, alternating (default 5); the medians are reported
#   UPRANK=path/to/uprank chooses the binary (default: the first one built under build/).
#
# Both sides read the same TSV file and write one answer per line; every run's answers
# must be identical. Each side is timed as a whole process (startup, reading, parsing,
# answering, writing): wall time and CPU time (user+sys). On a shared machine the CPU
# figure is the steadier one; the ratio of the medians is printed for both.
set -euo pipefail
export LC_ALL=C  # a "." decimal separator for $EPOCHREALTIME and awk
pairs=${1:-1000000}
runs=${2:-5}
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${UPRANK:-}" ]; then
  for candidate in "$root/build/release/cli/uprank" "$root/build/versions/cli/uprank" "$root/build/test/cli/uprank" \
                   "$root"/build/*/cli/uprank; do
    if [ -x "$candidate" ]; then UPRANK=$candidate; break; fi
  done
fi
[ -n "${UPRANK:-}" ] || { echo "error: no uprank binary found; build it or set UPRANK" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Pairs: versions near range boundaries (some pre-releases), ranges from a pool of 2000
# typical package.json ranges, as a lockfile audit would see them.
NODE_PATH=/usr/share/nodejs node -e '
  let seed = 42;
  const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const num = () => String(rand(12));
  const ver = () => num() + "." + num() + "." + num() + (rand(10) === 0 ? "-beta." + num() : "");
  const forms = [
    () => "^" + ver(), () => "~" + ver(), () => ">=" + ver() + " <" + ver(), () => num() + ".x",
    () => ver() + " - " + ver(), () => "^" + ver() + " || ^" + ver(), () => ">" + num() + "." + num(),
    () => "<=" + ver(), () => "*", () => "~" + num() + "." + num(), () => "=" + ver(),
  ];
  const pool = [];
  for (let i = 0; i < 2000; i++) pool.push(forms[rand(forms.length)]());
  const lines = [];
  for (let i = 0; i < '"$pairs"'; i++) lines.push(ver() + "\t" + pool[rand(pool.length)]);
  require("fs").writeFileSync(process.argv[1], lines.join("\n") + "\n");
' "$work/pairs.tsv"

cat >"$work/node_satisfies.js" <<'EOF'
const semver = require("semver");
const out = [];
for (const line of require("fs").readFileSync(process.argv[2], "utf8").split("\n")) {
  if (!line) continue;
  const tab = line.indexOf("\t");
  out.push(semver.satisfies(line.slice(0, tab), line.slice(tab + 1)) ? "true" : "false");
}
require("fs").writeFileSync(process.argv[3], out.join("\n") + "\n");
EOF

# timed IN OUT COMMAND...: runs COMMAND with stdin from IN and stdout to OUT, and prints
# "WALL CPU" in seconds: bash's microsecond clock, and `times` for the user+sys time of the
# subshell's children (getrusage, millisecond resolution; GNU time's %U/%S has only 10 ms).
timed() {
  local in=$1 out=$2
  shift 2
  (
    start=$EPOCHREALTIME
    "$@" <"$in" >"$out"
    end=$EPOCHREALTIME
    times >"$work/times.raw"  # not in a pipeline, which would run it in another subshell
    tail -1 "$work/times.raw" | awk -v s="$start" -v e="$end" '{  # "0m0.150s 0m0.010s": user sys
      cpu = 0
      for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); cpu += t[1] * 60 + t[2] }
      printf "%.3f %.3f\n", e - s, cpu }'
  )
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: >"$work/node.times"
: >"$work/uprank.times"
for ((run = 1; run <= runs; run++)); do
  timed /dev/null /dev/null env NODE_PATH=/usr/share/nodejs node "$work/node_satisfies.js" \
    "$work/pairs.tsv" "$work/node.out" >>"$work/node.times"
  timed "$work/pairs.tsv" "$work/uprank.out" "$UPRANK" version satisfies --scheme npm - >>"$work/uprank.times"
  if ! cmp -s "$work/node.out" "$work/uprank.out"; then
    echo "error: run $run: uprank and node-semver disagree on" \
      "$(paste "$work/node.out" "$work/uprank.out" | awk '$1 != $2' | wc -l) pairs" >&2
    exit 1
  fi
done

node_wall=$(cut -d' ' -f1 "$work/node.times" | median)
node_cpu=$(cut -d' ' -f2 "$work/node.times" | median)
up_wall=$(cut -d' ' -f1 "$work/uprank.times" | median)
up_cpu=$(cut -d' ' -f2 "$work/uprank.times" | median)
awk -v n="$pairs" -v r="$runs" -v nw="$node_wall" -v nc="$node_cpu" -v uw="$up_wall" -v uc="$up_cpu" \
    -v nall="$(tr '\n' ' ' <"$work/node.times")" -v uall="$(tr '\n' ' ' <"$work/uprank.times")" 'BEGIN {
  printf "pairs:        %d per run, %d runs, all answers identical\n", n, r;
  printf "node-semver:  %.3f s wall, %.3f s cpu (median)  %.0f pairs/s cpu  [runs, wall cpu: %s]\n", nw, nc, n / nc, nall;
  printf "uprank:       %.3f s wall, %.3f s cpu (median)  %.0f pairs/s cpu  [runs, wall cpu: %s]\n", uw, uc, n / uc, uall;
  printf "ratio:        %.1fx node-semver throughput (cpu), %.1fx (wall)\n", (uc > 0 ? nc / uc : 0), (uw > 0 ? nw / uw : 0);
}'
