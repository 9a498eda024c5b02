// Reference answers from node-semver (Debian's node-semver), one per input line:
//   cmp<TAB>A<TAB>B      -> "<", "=", ">" or "invalid"
//   sat<TAB>V<TAB>RANGE  -> "true", "false" or "invalid"
// Usage: node npm_reference.js INPUT OUTPUT
'use strict';
const fs = require('fs');
const semver = require('/usr/share/nodejs/semver');
const [input, output] = process.argv.slice(2);
const out = [];
for (const line of fs.readFileSync(input, 'utf8').split('\n')) {
  if (line === '') continue;
  const [mode, a, b] = line.split('\t');
  try {
    if (mode === 'cmp') {
      const c = new semver.SemVer(a).compare(new semver.SemVer(b));
      out.push(c < 0 ? '<' : c > 0 ? '>' : '=');
    } else {
      const v = new semver.SemVer(a);
      const r = new semver.Range(b);
      out.push(r.test(v) ? 'true' : 'false');
    }
  } catch (e) {
    out.push('invalid');
  }
}
fs.writeFileSync(output, out.join('\n') + '\n');
