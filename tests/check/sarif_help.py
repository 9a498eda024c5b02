#!/usr/bin/python3
"""The help uprank's SARIF gives must work as written (issue 12, tester defects 12, 13).

usage: sarif_help.py UPRANK SOURCE_DIR WORK_DIR

Runs `uprank check` on examples/infra-repo with the shipped packs and a site pack, then:
- every suppression snippet in rules[].help.markdown waives one finding, not the rule:
  scoped with `where` to the result's FILE and COMPONENT, with an expiry the user must
  write (YYYY-MM-DD), so that as written it does not compile (an error naming the file
  and line) and, filled in with a result's file, component and a date weeks ahead, it
  compiles (`uprank rules check`) and hides that result only;
- every helpUri points at something that exists: a docs page's heading anchor (GitHub's
  slug of the heading) or a rule pack file with at least that many lines.
Exits non-zero naming each failure.
"""
import json
import os
import re
import shutil
import subprocess
import sys

SITE_PACK = """package site.checks

rule unsupported_here {
  for c in components where c.eol.ended
  urgency low
  reason  end_of_support
  message "{c.name} is unsupported"
}
"""


def slug(heading):
    """GitHub's anchor for a Markdown heading: lower case, punctuation but '-' dropped, spaces to '-'."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def main():
    uprank, source, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "site"))
    os.makedirs(os.path.join(work, "waivers"))
    with open(os.path.join(work, "site", "checks.upr"), "w") as f:
        f.write(SITE_PACK)
    out = os.path.join(work, "out.sarif")
    run = subprocess.run([uprank, "check", "examples/infra-repo", "--snapshot", "data/snapshot.json", "--today", "2026-09-01",
                          "--rules", os.path.join(work, "site"), "--format", "sarif", "-o", out],
                         cwd=source, capture_output=True, text=True)
    if run.returncode not in (0, 1):
        sys.exit(f"uprank check failed ({run.returncode}): {run.stderr}")
    run_log = json.load(open(out))["runs"][0]
    rules = run_log["tool"]["driver"]["rules"]
    first_result = {}
    for result in run_log["results"]:
        first_result.setdefault(result["ruleId"], result)
    failures = []
    raw_dir = os.path.join(work, "raw")
    os.makedirs(raw_dir)
    if not any(not rule["id"].startswith("uprank.") for rule in rules):
        failures.append("the site pack's rule did not fire: the other-packs helpUri is untested")
    for index, rule in enumerate(rules):
        snippets = re.findall(r"```\n(.*?)\n```", rule["help"]["markdown"], re.S)
        if len(snippets) != 1:
            failures.append(f"{rule['id']}: expected one code block in help.markdown, found {len(snippets)}")
            continue
        snippet = snippets[0]
        if snippet not in rule["help"]["text"]:
            failures.append(f"{rule['id']}: help.text does not give the snippet of help.markdown")
        # Issue 12 (trial fault K): a waiver of one finding with an expiry to fill in, never
        # a rule-wide one valid for decades.
        if not re.search(r" where \w+\.file == \"FILE\" and \w+\.name == \"COMPONENT\" until YYYY-MM-DD because ", snippet):
            failures.append(f"{rule['id']}: the snippet is not scoped to FILE and COMPONENT with a YYYY-MM-DD expiry: {snippet}")
            continue
        # As written it must not compile: the expiry is the user's to write.
        raw = os.path.join(raw_dir, f"raw{index}.upr")
        with open(raw, "w") as f:
            f.write(f"package site.raw{index}\n\n{snippet}\n")
        as_written = subprocess.run([uprank, "rules", "check", os.path.join(work, "site"), raw_dir],
                                    cwd=source, capture_output=True, text=True)
        if as_written.returncode != 2 or f"raw{index}.upr:3:" not in as_written.stderr:
            failures.append(f"{rule['id']}: the snippet as written should fail (exit 2, naming raw{index}.upr:3): "
                            f"exit {as_written.returncode}: {as_written.stderr}")
        os.remove(raw)
        result = first_result[rule["id"]]
        file = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        filled = (snippet.replace('"FILE"', json.dumps(file))
                  .replace('"COMPONENT"', json.dumps(result["properties"]["component"]))
                  .replace("YYYY-MM-DD", "2026-10-01")
                  .replace('"OWNER: REASON"', '"web-team: replacement ships in Q4 (OPS-1)"'))
        with open(os.path.join(work, "waivers", f"waiver{index}.upr"), "w") as f:
            f.write(f"package site.waivers{index}\n\n{filled}\n")
        uri = rule["helpUri"]
        match = re.match(r"https://github\.com/uprank/uprank/blob/main/([^#]+)(?:#(.*))?$", uri)
        if not match:
            failures.append(f"{rule['id']}: helpUri {uri} is not a file of the project")
            continue
        path, anchor = match.group(1), match.group(2)
        local = os.path.join(source, path)
        if not os.path.isfile(local):
            failures.append(f"{rule['id']}: helpUri {uri}: no file {path}")
            continue
        lines = open(local, encoding="utf-8").read().splitlines()
        if anchor and re.fullmatch(r"L\d+", anchor):
            if int(anchor[1:]) > len(lines):
                failures.append(f"{rule['id']}: helpUri {uri}: {path} has {len(lines)} lines")
        elif anchor:
            anchors = {slug(line.lstrip("#")) for line in lines if line.startswith("#")}
            if anchor not in anchors:
                failures.append(f"{rule['id']}: helpUri {uri}: no heading #{anchor} in {path}")
    compiled = subprocess.run([uprank, "rules", "check", os.path.join(work, "site"), os.path.join(work, "waivers")],
                              cwd=source, capture_output=True, text=True)
    if compiled.returncode != 0:
        failures.append(f"the suggested suppressions do not compile:\n{compiled.stderr}")
    else:
        # Filled in, each waiver hides the results of its rule on its file and component, no other.
        waived_out = os.path.join(work, "waived.sarif")
        waived = subprocess.run([uprank, "check", "examples/infra-repo", "--snapshot", "data/snapshot.json", "--today",
                                 "2026-09-01", "--rules", os.path.join(work, "site"), "--rules", os.path.join(work, "waivers"),
                                 "--format", "sarif", "-o", waived_out], cwd=source, capture_output=True, text=True)
        if waived.returncode not in (0, 1):
            sys.exit(f"uprank check with the waivers failed ({waived.returncode}): {waived.stderr}")

        def key(result):
            return (result["ruleId"], result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                    result["properties"]["component"])
        waived_keys = {key(result) for result in first_result.values()}
        expected = sorted(key(result) for result in run_log["results"] if key(result) not in waived_keys)
        remaining = sorted(key(result) for result in json.load(open(waived_out))["runs"][0]["results"])
        if remaining != expected:
            failures.append(f"the filled-in waivers should hide exactly {sorted(waived_keys)}; "
                            f"left {len(remaining)} results, expected {len(expected)}")
    if failures:
        sys.exit("\n".join(failures))
    print(f"{len(rules)} rules: snippets compile, helpUris resolve")


if __name__ == "__main__":
    main()
