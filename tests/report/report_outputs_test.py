#!/usr/bin/python3
"""The nightly report's outputs, checked by the tools people read them with.

  formats   DIR: --format html,md,json,sarif -o DIR twice -> byte-identical files; a single
            --format X -o FILE writes the same bytes; usage errors exit 2.
  chromium  headless Chromium loads the HTML (example fleet and hostile input): no console
            error, DOM checks, a 1280x900 screenshot in the build tree; hostile text shows
            and nothing runs. Exits 77 (ctest: skipped) only when chromium is absent.
  markdown  cmark-gfm -e table renders every Markdown table as <table>, raw HTML allowed
            (--unsafe) so that only uprank's escaping keeps markup out.
"""
import filecmp
import html.parser
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

UPRANK, SOURCE, WORK, MODE = sys.argv[1:5]
TODAY = "2026-09-01"
CASES = {
    "example": ["--inventory", "examples/inventory.yaml", "--snapshot", "data/snapshot.json"],
    "hostile": ["--inventory", "tests/report/hostile.yaml", "--rules", "tests/report/hostile.upr",
                "--snapshot", "data/snapshot.json"],
}
HOSTILE_TEXT = ["<script>document.title='pwned';console.error('pwned-name')</script>",
                "</style><img src=x onerror=\"document.title='pwned'\">",
                "[x](javascript:alert(1)) </style>",
                "<script>document.title='pwned';console.error('pwned-summary')</script></style>"]
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL: " + message)


def uprank(case, *args, expect=0):
    command = [UPRANK, "report", *CASES[case], "--today", TODAY, *args]
    result = subprocess.run(command, cwd=SOURCE, capture_output=True, text=True)
    check(result.returncode == expect, f"{' '.join(command)}: exit {result.returncode}, want {expect}: {result.stderr}")
    return result


def formats():
    runs = [os.path.join(WORK, "run1"), os.path.join(WORK, "run2")]
    for run in runs:
        shutil.rmtree(run, ignore_errors=True)
        uprank("example", "--format", "html,md,json,sarif", "-o", run)
    names = sorted(os.listdir(runs[0]))
    check(names == ["report.html", "report.json", "report.md", "report.sarif"], f"files written: {names}")
    match, mismatch, errors = filecmp.cmpfiles(runs[0], runs[1], names, shallow=False)
    check(not mismatch and not errors, f"two runs differ: {mismatch + errors}")
    # A single file is written as deep as the directory's, since Markdown links lead from the
    # page's directory back to the repository root.
    os.makedirs(os.path.join(WORK, "single"), exist_ok=True)
    for name, fmt in [("report.html", "html"), ("report.md", "md"), ("report.json", "json")]:
        single = os.path.join(WORK, "single", "single." + fmt)
        uprank("example", "--format", fmt, "-o", single)
        check(filecmp.cmp(single, os.path.join(runs[0], name), shallow=False), f"--format {fmt} -o FILE differs from {name}")
    # Every relative link of the Markdown page opens an existing file from where the page is.
    with open(os.path.join(runs[0], "report.md"), encoding="utf-8") as page:
        links = re.findall(r"\]\(([^)#:]+)#L\d+\)", page.read())
    check(links, "report.md has no file links")
    for link in links:
        check(os.path.exists(os.path.join(runs[0], link)), f"report.md links {link}, which does not exist from {runs[0]}")
    result = uprank("example", "--format", "html,md", expect=2)
    check("-o DIR" in result.stderr, f"several formats without -o: {result.stderr}")
    result = uprank("example", "--format", "html,pdf", "-o", os.path.join(WORK, "bad"), expect=2)
    check("pdf" in result.stderr and "html" in result.stderr, f"unknown format: {result.stderr}")
    uprank("example", "--format", "md,md", "-o", os.path.join(WORK, "twice"), expect=2)


class Dom(html.parser.HTMLParser):
    """What the checks need of the DOM Chromium serialised."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.tags, self.text, self.handlers, self.hrefs = set(), [], [], [], []
        self.title, self._in_title = "", False
        self.component_rows = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "tr" and attributes.get("class") == "component":
            self.component_rows += 1
        if tag == "a":
            self.hrefs.append(attributes.get("href") or "")
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        # The document's title is the first <title>; SVG shapes carry their own.
        self._in_title = tag == "title" and not self.title and "svg" not in self.tags

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        self.text.append(data)
        if self._in_title:
            self.title += data


def chromium_run(browser, profile, *args):
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
               "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": profile})


def console_errors(stderr):
    # Chromium logs page console messages as "CONSOLE(...)" lines; a CSP violation or a
    # script error is one. Its own startup noise (dbus, GPU) is not about the page.
    return [line for line in stderr.splitlines()
            if "CONSOLE" in line or "Uncaught" in line or "Refused to" in line or "Content Security Policy" in line]


def chromium():
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        print("SKIP: chromium is not installed (scripts/bootstrap --test installs Debian's chromium)")
        sys.exit(77)
    for case in CASES:
        page = os.path.join(WORK, case + ".html")
        uprank(case, "--format", "html", "-o", page)
        report = os.path.join(WORK, case + ".json")
        uprank(case, "--format", "json", "-o", report)
        import json
        with open(report) as f:
            components = json.load(f)["components"]
        # The report's fleet view lists what the table and Markdown list: info rows are
        # collapsed into one counted line (report::listed()).
        ranked = sum(1 for c in components if c["urgency"] != "info")
        collapsed = len(components) - ranked
        url = "file://" + page
        with tempfile.TemporaryDirectory() as profile:
            loaded = chromium_run(browser, profile, "--dump-dom", url)
        check(loaded.returncode == 0, f"{case}: chromium --dump-dom exit {loaded.returncode}: {loaded.stderr[-2000:]}")
        errors = console_errors(loaded.stderr)
        check(not errors, f"{case}: console messages: {errors}")
        dom = Dom()
        dom.feed(loaded.stdout)
        check(dom.title == f"uprank report {TODAY}", f"{case}: title is {dom.title!r} (a script ran?)")
        for section in ["summary", "ranking", "charts", "chart-support", "chart-trend", "chart-trend-decision", "chart-owners", "owners",
                        "by-decision", "by-level", "sources", "content-hash"]:
            check(section in dom.ids, f"{case}: no element #{section}")
        check(dom.component_rows == ranked and ranked > 0, f"{case}: {dom.component_rows} table rows, {ranked} ranked")
        check(dom.tags.count("svg") >= 2, f"{case}: {dom.tags.count('svg')} SVG charts")
        check(dom.tags.count("details") == ranked, f"{case}: {dom.tags.count('details')} <details> for {ranked} components")
        if collapsed:
            line = f"{collapsed} component(s) with info findings only"
            check(line in "".join(dom.text), f"{case}: no line '{line}' for the collapsed info rows")
        check("script" not in dom.tags, f"{case}: a <script> element is in the DOM")
        check(not dom.handlers, f"{case}: event handler attributes: {dom.handlers}")
        bad = [h for h in dom.hrefs if not re.match(r"https?://", h.strip(), re.I)]
        check(not bad, f"{case}: links that are not http(s): {bad}")
        if case == "hostile":
            text = "".join(dom.text)
            for payload in HOSTILE_TEXT:
                check(payload in text, f"hostile: {payload!r} is not shown as text")
            check("pwned" not in dom.title, "hostile: a script changed the title")
        shot = os.path.join(WORK, case + ".png")
        if os.path.exists(shot):
            os.remove(shot)
        with tempfile.TemporaryDirectory() as profile:
            taken = chromium_run(browser, profile, "--screenshot=" + shot, "--window-size=1280,900",
                                 "--hide-scrollbars", url)
        check(os.path.exists(shot), f"{case}: no screenshot: {taken.stderr[-2000:]}")
        if os.path.exists(shot):
            with open(shot, "rb") as f:
                head = f.read(24)
            size = struct.unpack(">II", head[16:24])
            check(head[:8] == b"\x89PNG\r\n\x1a\n" and size == (1280, 900), f"{case}: screenshot {size}, want 1280x900")
            print(f"{case}: screenshot {shot}")


def markdown():
    renderer = shutil.which("cmark-gfm")
    if not renderer:
        print("SKIP: cmark-gfm is not installed (scripts/bootstrap --test installs it)")
        sys.exit(77)
    delimiter = re.compile(r"^\|( *:?-+:? *\|)+$")
    for case in CASES:
        text = uprank(case, "--format", "md").stdout
        tables = sum(1 for line in text.splitlines() if delimiter.match(line))
        rendered = subprocess.run([renderer, "-e", "table", "--unsafe"], input=text, capture_output=True, text=True).stdout
        check(tables >= 3, f"{case}: only {tables} tables in the Markdown")
        check(rendered.count("<table>") == tables, f"{case}: {rendered.count('<table>')} <table> for {tables} tables")
        # Every table row keeps its column count: a cell's pipe or newline did not split it.
        for block in re.findall(r"<table>.*?</table>", rendered, re.S):
            head = len(re.findall(r"<th[ >]", block.split("</thead>")[0]))
            for row in re.findall(r"<tr>.*?</tr>", block.split("</thead>")[-1], re.S):
                check(len(re.findall(r"<td[ >]", row)) == head, f"{case}: a row of {head} columns has another count")
        check(not re.search(r"<(script|img|style)\b|</style>|href=\"javascript", rendered, re.I),
              f"{case}: raw markup reached the rendered HTML")


{"formats": formats, "chromium": chromium, "markdown": markdown}[MODE]()
if failures:
    sys.exit(1)
print(f"{MODE}: ok")
