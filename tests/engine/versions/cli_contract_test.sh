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
[ $fail -eq 0 ] && echo "cli contract: ok"
exit $fail
