// Reference CVSS base scores from ae-cvss-calculator (pinned in package-lock.json), one
// answer per input line: the base score as JavaScript prints it ("9.8", "10", "0"), or
// "invalid".
// Usage: NODE_PATH=DIR/node_modules node cvss_reference.js INPUT OUTPUT
//
// ae-cvss-calculator scores what it can and rejects unknown metrics and values by
// throwing, but it accepts some vectors the specifications forbid. Those structural rules
// are checked here, before the calculator sees the vector, and only those:
//   - the prefix picks the version (CVSS:3.0/, CVSS:3.1/, CVSS:4.0/, none for v2), where the
//     calculator would score a v3.1 vector with a 3.0 prefix or none;
//   - an empty part, a part that is not exactly NAME:VALUE (the calculator trims white
//     space and ignores a second ":VALUE"), and a repeated metric (the calculator keeps the
//     last value) are invalid;
//   - v4.0 base SC/SI/SA do not take "S" (Safety), a value only of MSI/MSA; the
//     calculator accepts it on SC/SI/SA.
// A base metric that is missing or "X"/"ND" is invalid through the calculator's own
// isBaseFullyDefined(). For v4.0 the answer is its baseMetricsOnly score (CVSS-B).
'use strict';
const fs = require('fs');
const { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } = require('ae-cvss-calculator');

function score(vector) {
  let Version = Cvss2, body = vector;
  const prefixes = { 'CVSS:3.0/': Cvss3P0, 'CVSS:3.1/': Cvss3P1, 'CVSS:4.0/': Cvss4P0 };
  const prefix = vector.slice(0, 9);
  if (vector.startsWith('CVSS:')) {
    if (!(prefix in prefixes)) return 'invalid';
    Version = prefixes[prefix];
    body = vector.slice(9);
  }
  const seen = new Set();
  for (const part of body.split('/')) {
    const colon = part.indexOf(':');
    if (colon <= 0 || colon === part.length - 1 || part.indexOf(':', colon + 1) >= 0 || /\s/.test(part)) {
      return 'invalid';
    }
    const name = part.slice(0, colon);
    if (seen.has(name)) return 'invalid';
    seen.add(name);
    if (Version === Cvss4P0 && ['SC', 'SI', 'SA'].includes(name) && part.slice(colon + 1) === 'S') return 'invalid';
  }
  let cvss;
  try {
    cvss = new Version(vector);
  } catch (e) {
    return 'invalid';  // unknown metric or value
  }
  if (!cvss.isBaseFullyDefined()) return 'invalid';
  const scores = cvss.calculateScores();
  return String(Version === Cvss4P0 ? scores.baseMetricsOnly : scores.base);
}

const [input, output] = process.argv.slice(2);
const out = [];
for (const line of fs.readFileSync(input, 'utf8').split('\n')) {
  if (line !== '') out.push(score(line));
}
fs.writeFileSync(output, out.join('\n') + '\n');
