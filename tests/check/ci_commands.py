"""Lists what an example CI file (docs/ci/*.yml) runs, for tests/check/ci_files.cmake.

Usage: python3 ci_commands.py CI_FILE.yml

Prints JSON: {"commands": [...], "files": [...]}. "commands" are the `uprank ...` lines of
every `run:` (GitHub Actions) and `script:`, `before_script:`, `after_script:` (GitLab CI)
value, in file order, with GitHub expressions `${{ github.base_ref }}` replaced by `main`
(GitLab's $CI_... variables are left to the shell, which the test gives values).
"files" are the reports the CI file hands on: `sarif_file:` of upload-sarif, the file of
`gh pr comment --body-file`, and `artifacts: reports: codequality:`.
Exit 2 with a message naming the file when the CI file cannot be used: not YAML, no uprank
command, a `${{ }}` expression the test has no value for, or an uprank line with shell
operators (the test appends arguments, so each uprank command must be a simple line).
"""
import json
import re
import sys

import yaml

EXPRESSIONS = {
    "github.base_ref": "main",
    "github.repository": "example/repo",
    "github.event.pull_request.head.sha": "0123456789abcdef0123456789abcdef01234567",
}
SCRIPT_KEYS = ("run", "script", "before_script", "after_script")


def fail(path, message):
    print(f"{path}: {message}", file=sys.stderr)
    sys.exit(2)


def walk(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in SCRIPT_KEYS:
                texts = value if isinstance(value, list) else [value]
                for text in texts:
                    found["lines"].extend(str(text).splitlines())
            elif key == "sarif_file":
                found["files"].append(str(value))
            elif key == "reports" and isinstance(value, dict) and "codequality" in value:
                found["files"].append(str(value["codequality"]))
            walk(value, found)
    elif isinstance(node, list):
        for item in node:
            walk(item, found)


def main():
    path = sys.argv[1]
    try:
        with open(path, encoding="utf-8") as stream:
            document = yaml.safe_load(stream)
    except (OSError, yaml.YAMLError) as error:
        fail(path, f"cannot read: {error}")
    found = {"lines": [], "files": []}
    walk(document, found)
    commands = []
    for line in (line.strip() for line in found["lines"]):
        body_file = re.search(r"--body-file[ =](\S+)", line)
        if body_file:
            found["files"].append(body_file.group(1).strip("\"'"))
        if not re.match(r"uprank\s", line):
            continue
        def substitute(match):
            name = match.group(1).strip()
            if name not in EXPRESSIONS:
                fail(path, f"no test value for the expression ${{{{ {name} }}}} in: {line}")
            return EXPRESSIONS[name]
        command = re.sub(r"\$\{\{(.*?)\}\}", substitute, line)
        if re.search(r"[|;&<>`]", command):
            fail(path, f"an uprank command must be a simple line (no |, ;, &, <, >): {line}")
        commands.append(command)
    if not commands:
        fail(path, "no `uprank` command in any run:/script: line")
    print(json.dumps({"commands": commands, "files": found["files"]}))


if __name__ == "__main__":
    main()
