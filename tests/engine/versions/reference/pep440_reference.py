"""Reference answers from Python `packaging` (Debian's python3-packaging), per line:
  cmp<TAB>A<TAB>B      -> "<", "=", ">" or "invalid"
  sat<TAB>V<TAB>SPECS  -> "true", "false" or "invalid"
Usage: /usr/bin/python3 pep440_reference.py INPUT OUTPUT
"""
import sys

from packaging.specifiers import SpecifierSet
from packaging.version import Version

out = []
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f.read().split("\n"):
        if not line:
            continue
        mode, a, b = line.split("\t")
        try:
            if mode == "cmp":
                x, y = Version(a), Version(b)
                out.append("<" if x < y else ">" if x > y else "=")
            else:
                v = Version(a)
                out.append("true" if SpecifierSet(b).contains(v) else "false")
        except Exception:  # InvalidVersion, InvalidSpecifier
            out.append("invalid")
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write("\n".join(out) + "\n")
