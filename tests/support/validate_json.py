#!/usr/bin/python3
"""Validates JSON (or YAML, with --yaml) documents against a JSON Schema.

Usage: validate_json.py [--yaml | --markdown] SCHEMA FILE...
--yaml reads each FILE as YAML; --markdown validates every ```yaml block of each FILE.
Exits 0 when every file validates, 1 listing each violation (file, JSON path, message)
otherwise, 2 on usage errors or a missing validator. The validator is Debian's
python3-jsonschema (scripts/bootstrap --test); YAML is read with python3-yaml.
"""
import json
import re
import sys


def main(argv):
    args = argv[1:]
    yaml_input = "--yaml" in args
    markdown_input = "--markdown" in args
    args = [a for a in args if a not in ("--yaml", "--markdown")]
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        import jsonschema
    except ImportError:
        print("error: python3-jsonschema is missing; run scripts/bootstrap --test", file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8") as f:
        schema = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    failed = 0
    for path in args[1:]:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if markdown_input or yaml_input:
            import yaml
            blocks = re.findall(r"^```yaml\n(.*?)^```", text, re.M | re.S) if markdown_input else [text]
            if not blocks:
                print(f"{path}: no yaml blocks", file=sys.stderr)
                failed += 1
            documents = [yaml.safe_load(block) for block in blocks]
        else:
            documents = [json.loads(text)]
        for index, document in enumerate(documents):
            name = f"{path} (block {index + 1})" if markdown_input else path
            for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
                location = "/".join(str(p) for p in error.absolute_path) or "(root)"
                print(f"{name}: {location}: {error.message}", file=sys.stderr)
                failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
