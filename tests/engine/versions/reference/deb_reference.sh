#!/bin/sh
# Reference answers from dpkg itself, per line "cmp<TAB>A<TAB>B": "<", "=", ">" or
# "invalid" (dpkg rejects or warns about either version). dpkg has no batch mode, so this
# runs `dpkg --compare-versions` once or twice per case.
# Usage: deb_reference.sh INPUT OUTPUT
tab=$(printf '\t')
err=$(mktemp)
trap 'rm -f "$err"' EXIT
while IFS="$tab" read -r mode a b; do
  if dpkg --compare-versions "$a" lt "$b" 2>"$err"; then r='<'
  elif [ -s "$err" ]; then r=invalid
  elif dpkg --compare-versions "$a" gt "$b" 2>/dev/null; then r='>'
  else r='='
  fi
  [ -s "$err" ] && r=invalid
  echo "$r"
done <"$1" >"$2"
