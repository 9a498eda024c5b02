#!/bin/bash
# report --shard I/N and merge (docs/scale.md): four shards run in parallel, then merge;
# every format must be byte for byte the single run's (cmp). Two fleets: the example
# configuration (site suppressions, params, a product map) over its inventory, SBOMs and
# dpkg status, whose mixed_versions findings relate components across shards; and a VEX
# case. Also: merge refuses an incomplete or mixed set of shards.
# Usage: shard_merge_test.sh UPRANK SOURCE_DIR WORK_DIR
set -u
UPRANK=$1 SOURCE=$2 WORK=$3
FORMATS=table,json,md,sarif,codequality,html
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# run_case NAME DIR ARGS...: the single run and the merged shards, compared.
run_case() {
  local name=$1 dir=$2
  shift 2
  local out=$WORK/$name
  rm -rf "$out" && mkdir -p "$out"
  (cd "$dir" && "$UPRANK" report "$@" --format "$FORMATS" -o "$out/single" 2>"$out/single.err") ||
    fail "$name: single run exit $?: $(cat "$out/single.err")"
  local pids=()
  for i in 0 1 2 3; do
    (cd "$dir" && "$UPRANK" report "$@" --shard "$i/4" --format json -o "$out/shard$i.json" 2>"$out/shard$i.err") &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || fail "$name: a shard exited $?: $(cat "$out"/shard?.err)"; done
  "$UPRANK" merge "$out"/shard{0,1,2,3}.json --format "$FORMATS" -o "$out/merged" 2>"$out/merged.err" ||
    fail "$name: merge exit $?: $(cat "$out/merged.err")"
  # What the report says on stderr (suppressions that matched nothing, ...) is said alike.
  cmp "$out/single.err" "$out/merged.err" || fail "$name: merge's stderr differs from the single run's"
  for file in report.txt report.json report.md report.sarif report.codequality.json report.html; do
    cmp "$out/single/$file" "$out/merged/$file" || fail "$name: merged $file differs from the single run's"
  done
  # The shards split the fleet: each evaluated some components, together all of them.
  local subjects total
  subjects=$(python3 -c 'import json,sys; print(sum(json.load(open(p))["subjects"] for p in sys.argv[1:]))' "$out"/shard?.json)
  total=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["components"])' "$out/shard0.json")
  [ "$subjects" = "$total" ] || fail "$name: shards evaluated $subjects of $total components"
  # The default format is the shards' (json here) on stdout.
  "$UPRANK" merge "$out"/shard{0,1,2,3}.json > "$out/merged-stdout.json" 2>/dev/null || fail "$name: merge to stdout exit $?"
  cmp "$out/single/report.json" "$out/merged-stdout.json" || fail "$name: merge to stdout differs"
  echo "$name: $total components in 4 shards, 6 formats identical"
}

run_case example "$SOURCE/examples" --inventory inventory.yaml --inventory sbom --inventory dpkg/status \
  --snapshot ../data/snapshot.json --today 2026-09-01
grep -q mixed_versions "$WORK/example/single/report.json" || fail "example: no mixed_versions finding to test across shards"
run_case vex "$SOURCE" --inventory tests/golden/vex-openvex-table/inventory.yaml \
  --snapshot tests/golden/vex-openvex-table/facts.json --today 2026-09-01 \
  --vex tests/golden/vex-openvex-table/spec-inheritance-v1.openvex.json \
  --vex tests/golden/vex-openvex-table/spec-spring-boot.openvex.json

# History: the merge, not the shards, records the night and compares with the previous one,
# as the single run does: two nights, each run both ways against its own store.
night() {  # night DAY WEB_VERSION
  local out=$WORK/history
  printf 'components:\n  - name: web\n    product: httpd\n    version: "%s"\n  - name: orders-db\n    product: postgresql\n    version: "14.23"\n' \
    "$2" > "$out/fleet.yaml"
  local run=(report --inventory fleet.yaml --rules "$SOURCE/tests/cli/history/advisories.upr"
             --snapshot "$SOURCE/data/snapshot.json" --today "$1" --format json)
  (cd "$out" && "$UPRANK" --store single.db "${run[@]}" -o "single-$1.json" 2>/dev/null) || fail "history $1: single run"
  for i in 0 1; do
    (cd "$out" && "$UPRANK" --store merged.db "${run[@]}" --shard "$i/2" -o "shard$i.json" 2>/dev/null) || fail "history $1: shard $i"
  done
  "$UPRANK" merge "$out/shard0.json" "$out/shard1.json" -o "$out/merged-$1.json" 2>/dev/null || fail "history $1: merge"
  cmp "$out/single-$1.json" "$out/merged-$1.json" || fail "history $1: merged report differs from the single run's"
}
rm -rf "$WORK/history" && mkdir -p "$WORK/history"
night 2026-11-01 2.4.49
night 2026-11-02 2.4.51
grep -q '"previous": "2026-11-01"' "$WORK/history/merged-2026-11-02.json" || fail "history: the merged night 2 did not compare with night 1"

# Three of four shards, a shard twice, shards of two runs: refused with exit 2.
expect_refused() {
  local what=$1 want=$2
  shift 2
  local err
  err=$("$UPRANK" merge "$@" 2>&1 >/dev/null)
  local code=$?
  [ $code = 2 ] || fail "$what: exit $code, want 2"
  case "$err" in *"$want"*) ;; *) fail "$what: stderr '$err' does not say '$want'" ;; esac
}
expect_refused "three of four" "shard 3 of 4 is missing" "$WORK"/example/shard{0,1,2}.json
expect_refused "one twice" "is given twice" "$WORK"/example/shard{0,1,2,2}.json
expect_refused "two runs" "differ" "$WORK"/example/shard{0,1,2}.json "$WORK/vex/shard3.json"
expect_refused "not a shard" "not a shard file" "$WORK/example/single/report.json"

[ $failures = 0 ] && echo "shard/merge: all passed"
exit $((failures > 0))
