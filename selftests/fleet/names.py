#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""names.py: do the Prometheus rules and their tests use the metric names,
label names and label values the client really writes?

  names.py --doc docs/client.md --export FILE... --check FILE...

The truth is the union of the metric table of docs/client.md (section
"Prometheus") and the exports given with --export (one per fixture tree).
Every tscmon_ metric named in a --check file (rules or promtool tests) must
be in it; every label a selector or an input series gives such a metric
must be one the metric has; and the values of the labels that take a
closed set (flag, source, family, reference, severity) must be values the
documentation names or an export carries. Names of recording rules
(instance:tscmon_...:...) are not metrics and are skipped.

Prints one line per problem and a summary; exit status 1 on any problem.
"""
import argparse
import re
import sys

from promdiff import parse_exposition  # beside this file

CLOSED = {"flag", "source", "family", "reference", "severity"}
# labels a scrape or a test adds to every series
SCRAPE = {"instance", "job"}
NAME = re.compile(r"(?<![\w:])(tscmon_[a-z0-9_]+)")
SELECTOR = re.compile(r"(?<![\w:])(tscmon_[a-z0-9_]+)\s*\{([^}]*)\}")
MATCHER = re.compile(r'(\w+)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"')


def parse_doc(path):
    """{metric: (label names, {label: documented values})} from the table."""
    text = open(path).read()
    start = text.find("## Prometheus")
    if start < 0:
        sys.exit(f"{path}: no \"## Prometheus\" section")
    end = text.find("\n## ", start + 1)
    section = text[start:end if end > 0 else None]
    doc = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].startswith("`tscmon_"):
            continue
        name = cells[0].strip("`")
        labels, values, depth, pos = set(), {}, 0, 0
        col = cells[2]
        current = None
        for m in re.finditer(r"[()]|`([^`]+)`", col):
            if m.group(0) == "(":
                depth += 1
            elif m.group(0) == ")":
                depth -= 1
            elif depth == 0:
                current = m.group(1)
                labels.add(current)
            elif current:
                values.setdefault(current, set()).add(m.group(1))
        doc[name] = (labels, values)
    if not doc:
        sys.exit(f"{path}: no tscmon_ rows in the Prometheus table")
    return doc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--doc", required=True)
    ap.add_argument("--export", nargs="+", default=[])
    ap.add_argument("--check", nargs="+", required=True)
    a = ap.parse_args()

    doc = parse_doc(a.doc)
    known = {n: set(l) for n, (l, _) in doc.items()}
    values = {}
    for _, (_, v) in doc.items():
        for k, vs in v.items():
            values.setdefault(k, set()).update(vs)
    exported = set()
    for path in a.export:
        for (name, labels), _ in parse_exposition(path, "tscmon_").items():
            exported.add(name)
            known.setdefault(name, set()).update(k for k, _ in labels)
            for k, v in labels:
                values.setdefault(k, set()).add(v)
    # tscmon_advice's severity label: the four advice severities
    values.setdefault("severity", set()).update({"ok", "info", "warning", "critical"})

    problems, seen = [], set()
    for path in a.check:
        text = open(path).read()
        for n, line in enumerate(text.splitlines(), 1):
            where = f"{path}:{n}"
            for m in NAME.finditer(line):
                name = m.group(1)
                seen.add(name)
                if name not in known:
                    problems.append(f"{where}: {name} is neither documented nor exported")
            for m in SELECTOR.finditer(line):
                name, body = m.groups()
                if name not in known:
                    continue
                for lm in MATCHER.finditer(body):
                    label, op, val = lm.groups()
                    if label in SCRAPE or label == "__name__":
                        continue
                    if label not in known[name]:
                        problems.append(f"{where}: {name} has no label {label!r} "
                                        f"(it has: {', '.join(sorted(known[name])) or 'none'})")
                        continue
                    if label not in CLOSED:
                        continue
                    alts = [val]
                    if op in ("=~", "!~"):
                        if not re.fullmatch(r"[\w.-]+(\|[\w.-]+)*", val):
                            continue
                        alts = val.split("|")
                    for v in alts:
                        if v not in values.get(label, set()):
                            problems.append(f"{where}: {name}{{{label}={v!r}}}: "
                                            f"the client never writes {label}={v!r}")
    for p in problems:
        print(p)
    print(f"{len(seen)} tscmon_ metric names in {len(a.check)} files; "
          f"{len(doc)} documented, {len(exported)} exported by {len(a.export)} fixtures; "
          f"{len(problems)} problems")
    sys.exit(1 if problems or not seen else 0)


main()
