#!/bin/sh
# The `uprank version` contract, as scripts use it. Usage: cli_contract_test.sh UPRANK
set -u
bin=$1
fail=0
expect() {  # expect WANTED_OUTPUT WANTED_EXIT ARGS...
  want=$1; want_rc=$2; shift 2
  got=$("$bin" version "$@" 2>/dev/null); rc=$?
  if [ "$got" != "$want" ] || [ "$rc" != "$want_rc" ]; then
    echo "FAIL: uprank version $*: got '$got' (exit $rc), want '$want' (exit $want_rc)"; fail=1
  fi
}
expect '<' 0 compare --scheme semver 1.0.0-alpha 1.0.0
expect '=' 0 compare --scheme maven 1.0 1-0
expect '>' 0 compare --scheme deb 1:0.9 2.0
expect 'true' 0 satisfies --scheme npm 1.2.3 '^1.2.0'
expect 'false' 0 satisfies --scheme pep440 2.0rc1 '>=1.0,<3'
expect 'true' 0 satisfies --scheme deb 1.5 'vers:deb/>=1.2|<2.0'
expect "$(printf '1.0~rc1\n1.0\n1.0+b1')" 0 sort --scheme deb 1.0+b1 1.0 1.0~rc1
expect '' 2 compare --scheme deb a1 1.0
expect '=' 0 compare --scheme rubygems 1.0 1.0.0
expect '<' 0 compare --scheme apk 1.0_rc1 1.0-r1
expect '=' 0 compare --scheme nuget 1.0 1.0.0.0
expect 'true' 0 satisfies --scheme packagist 1.5.0 '^1.2'
expect 'false' 0 satisfies --scheme nuget 2.0 '[1.0,2.0)'
expect "$(printf '1.0.a\n1\n1.0.1')" 0 sort --scheme rubygems 1.0.1 1 1.0.a
expect '' 2 compare --scheme semver v1.0.0 1.0.0
expect '' 2 satisfies --scheme deb 1.0 '>= 1.0,,<< 2'
expect '' 2 satisfies --scheme npm 1.0.0 '>>1'
expect '' 2 compare --scheme nosuch 1 2
expect '' 2 compare --scheme generic 1
expect '' 2 satisfies --scheme npm 1.0.0 'vers:deb/1.0'
err=$("$bin" version compare --scheme deb a1 1.0 2>&1 >/dev/null)
case "$err" in error:*) ;; *) echo "FAIL: stderr should start with error:, got '$err'"; fail=1;; esac
got=$(printf '1.0\t2.0\nbad\t1\n3\t3.0\nno tab\n' | "$bin" version compare --scheme generic -)
want=$(printf '<\nerror: line 2: x\n=\nerror: line 4: x')
if [ "$(echo "$got" | sed 's/^error: line \([0-9]*\):.*/error: line \1: x/')" != "$want" ]; then
  echo "FAIL: compare - got: $got"; fail=1
fi
got=$(printf '1.2.3\t^1.0.0\n2.0.0\t^1.0.0\nx\t*\n1.0.0\t>>\n' | "$bin" version satisfies --scheme npm -)
want=$(printf 'true\nfalse\nerror: line 3: x\nerror: line 4: x')
if [ "$(echo "$got" | sed 's/^error: line \([0-9]*\):.*/error: line \1: x/')" != "$want" ]; then
  echo "FAIL: satisfies - got: $got"; fail=1
fi
# Batch input is read in blocks: CRLF, a last line without newline, empty lines, lines
# across block boundaries, a line longer than a block, and more distinct ranges than the
# range cache's first table holds.
got=$(printf '1.2.3\t^1.0.0\r\n\n2.0.0\t^1.0.0' | "$bin" version satisfies --scheme npm -)
want=$(printf 'true\nerror: line 2: x\nfalse')
if [ "$(echo "$got" | sed 's/^error: line \([0-9]*\):.*/error: line \1: x/')" != "$want" ]; then
  echo "FAIL: satisfies - (CRLF, empty line, no final newline) got: $got"; fail=1
fi
tmp=${TMPDIR:-/tmp}/uprank_cli_contract.$$
awk 'BEGIN { for (i = 0; i < 300000; i++) print (i % 3 ? "1.2." i "\t^1.0.0" : "2.0." i "\t^1.0.0") }' >"$tmp"
got=$("$bin" version satisfies --scheme npm - <"$tmp" | awk '
  $0 != ((NR - 1) % 3 ? "true" : "false") { bad++ } END { print NR, bad + 0 }')
[ "$got" = "300000 0" ] || { echo "FAIL: satisfies - on 300000 lines: got lines, wrong: $got"; fail=1; }
awk 'BEGIN { for (r = 0; r < 2; r++) for (i = 0; i < 3000; i++) print "1." i ".0\t=1." (r ? i + 1 : i) ".0" }' >"$tmp"
got=$("$bin" version satisfies --scheme npm - <"$tmp" | sort | uniq -c | awk '{ printf "%s %s;", $1, $2 }')
[ "$got" = "3000 false;3000 true;" ] || { echo "FAIL: satisfies - on 3000 distinct ranges: $got"; fail=1; }
{ printf '1.0.0\t'; awk 'BEGIN { for (i = 0; i < 150000; i++) printf ">=0.0.%d ", i }'; printf '\n1.0.0\t*\n'; } >"$tmp"
got=$("$bin" version satisfies --scheme npm - <"$tmp" | cut -c1-13)
want=$(printf 'error: line 1\ntrue')
[ "$got" = "$want" ] || { echo "FAIL: satisfies - with a 1.5 MB line: got $got"; fail=1; }
rm -f "$tmp"
[ $fail -eq 0 ] && echo "cli contract: ok"
exit $fail
