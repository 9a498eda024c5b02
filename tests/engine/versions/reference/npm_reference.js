// Reference answers from node-semver (Debian's node-semver), one per input line:
//   cmp<TAB>A<TAB>B      -> "<", "=", ">" or "invalid"
//   sat<TAB>V<TAB>RANGE  -> "true", "false" or "invalid"
// With a third argument "strict" (the semver scheme), a version must also match the
// SemVer 2.0.0 specification's own regular expression (semver.org): no "v" prefix and no
// surrounding space, which node-semver tolerates.
// Usage: node npm_reference.js INPUT OUTPUT [strict]
'use strict';
const fs = require('fs');
const semver = require('/usr/share/nodejs/semver');
const [input, output, strictness] = process.argv.slice(2);
const SEMVER_2 = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
function version(text) {
  if (strictness === 'strict' && !SEMVER_2.test(text)) throw new Error('not SemVer 2.0.0');
  return new semver.SemVer(text);
}
const out = [];
for (const line of fs.readFileSync(input, 'utf8').split('\n')) {
  if (line === '') continue;
  const [mode, a, b] = line.split('\t');
  try {
    if (mode === 'cmp') {
      const c = version(a).compare(version(b));
      out.push(c < 0 ? '<' : c > 0 ? '>' : '=');
    } else {
      const v = version(a);
      const r = new semver.Range(b);
      out.push(r.test(v) ? 'true' : 'false');
    }
  } catch (e) {
    out.push('invalid');
  }
}
fs.writeFileSync(output, out.join('\n') + '\n');
