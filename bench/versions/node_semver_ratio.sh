#!/bin/sh
# Throughput of `uprank version satisfies --scheme npm -` against node-semver's
# satisfies() on the same one million (version, range) pairs, in one run.
# Usage: bench/versions/node_semver_ratio.sh [PAIRS]   (UPRANK=path/to/uprank to choose
# the binary; defaults to the first one built under build/).
set -eu
pairs=${1:-1000000}
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${UPRANK:-}" ]; then
  for candidate in "$root/build/release/cli/uprank" "$root/build/versions/cli/uprank" "$root/build/test/cli/uprank" \
                   "$root/build/versions/tests/engine/versions/uprank_version_cli"; do
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

# Wall time and CPU time (user+sys) per side; on a shared machine the CPU ratio is the
# steadier figure.
timed() {  # timed OUT_FILE COMMAND...: runs COMMAND, writes "wall cpu" to OUT_FILE
  out=$1; shift
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%e %U %S" -o "$out.raw" "$@"
    awk '{ printf "%s %.3f\n", $1, $2 + $3 }' "$out.raw" >"$out"
  else
    start=$(date +%s.%N); "$@"; end=$(date +%s.%N)
    echo "$start $end" | awk '{ printf "%.3f 0\n", $2 - $1 }' >"$out"
  fi
}
timed "$work/node.time" env NODE_PATH=/usr/share/nodejs node -e '
  const semver = require("semver");
  const out = [];
  for (const line of require("fs").readFileSync(process.argv[1], "utf8").split("\n")) {
    if (!line) continue;
    const tab = line.indexOf("\t");
    out.push(semver.satisfies(line.slice(0, tab), line.slice(tab + 1)) ? "true" : "false");
  }
  require("fs").writeFileSync(process.argv[2], out.join("\n") + "\n");
' "$work/pairs.tsv" "$work/node.out"
timed "$work/uprank.time" sh -c '"$0" version satisfies --scheme npm - <"$1" >"$2"' "$UPRANK" "$work/pairs.tsv" \
  "$work/uprank.out"

if ! cmp -s "$work/node.out" "$work/uprank.out"; then
  echo "error: uprank and node-semver disagree on $(paste "$work/node.out" "$work/uprank.out" | awk '$1 != $2' | wc -l) pairs" >&2
  exit 1
fi
read node_wall node_cpu <"$work/node.time"
read up_wall up_cpu <"$work/uprank.time"
awk -v n="$pairs" -v nw="$node_wall" -v nc="$node_cpu" -v uw="$up_wall" -v uc="$up_cpu" 'BEGIN {
  printf "pairs:        %d (all answers identical)\n", n;
  printf "node-semver:  %.3f s wall, %.3f s cpu  (%.0f pairs/s wall)\n", nw, nc, n / nw;
  printf "uprank:       %.3f s wall, %.3f s cpu  (%.0f pairs/s wall)\n", uw, uc, n / uw;
  printf "ratio:        %.1fx node-semver throughput (wall)", nw / uw;
  if (uc > 0) printf ", %.1fx (cpu)", nc / uc;
  printf "\n";
}'
