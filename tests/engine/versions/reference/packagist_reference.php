<?php
// Reference answers from composer/semver itself (Debian's php-composer-semver), per line:
//   cmp<TAB>A<TAB>B      -> "<", "=", ">", "unordered" or "invalid"
//   sat<TAB>V<TAB>RANGE  -> "true", "false" or "invalid"
// cmp normalizes both versions and compares them as Semver::sort does (VersionParser
// normalize + normalizeDefaultBranch, then Comparator); two different named branches are
// neither less, equal nor greater there ("unordered"). sat is Semver::satisfies.
// Usage: php packagist_reference.php INPUT OUTPUT
require '/usr/share/php/Composer/Semver/autoload.php';

use Composer\Semver\Comparator;
use Composer\Semver\Semver;
use Composer\Semver\VersionParser;

$parser = new VersionParser();
$out = [];
foreach (explode("\n", file_get_contents($argv[1])) as $line) {
    if ($line === '') {
        continue;
    }
    [$mode, $a, $b] = explode("\t", $line, 3);
    try {
        if ($mode === 'cmp') {
            $x = $parser->normalizeDefaultBranch($parser->normalize($a));
            $y = $parser->normalizeDefaultBranch($parser->normalize($b));
            if ($x === $y) {
                $out[] = '=';
            } elseif (Comparator::lessThan($x, $y)) {
                $out[] = '<';
            } elseif (Comparator::greaterThan($x, $y)) {
                $out[] = '>';
            } elseif (Comparator::equalTo($x, $y)) {
                $out[] = '=';
            } else {
                $out[] = 'unordered';
            }
        } else {
            $out[] = Semver::satisfies($a, $b) ? 'true' : 'false';
        }
    } catch (\Throwable $e) {
        $out[] = 'invalid';
    }
}
file_put_contents($argv[2], implode("\n", $out) . "\n");
