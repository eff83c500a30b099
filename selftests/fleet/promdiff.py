#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""promdiff.py EXPORT SCRAPE [PREFIX]: compare the samples of a Prometheus
text exposition file (what tscmon wrote) with those a scrape returned
(node_exporter's /metrics). Every sample of EXPORT whose name starts with
PREFIX (default tscmon_) must be in SCRAPE with the same labels and the
same value, and SCRAPE must have no other PREFIX series. Labels are
compared as sets, values as numbers. Prints one line per difference and a
summary; exits 1 on any difference."""
import math
import re
import sys

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$')
LABEL = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?')


def unescape(v):
    return re.sub(r'\\(.)', lambda m: "\n" if m.group(1) == "n" else m.group(1), v)


def parse_exposition(path, prefix):
    """{(name, ((label, value), ...)): value} for the samples named PREFIX*."""
    out = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            m = SAMPLE.match(line)
            if not m:
                sys.exit(f"{path}:{n}: not a sample line: {line!r}")
            name, labels, value = m.groups()
            if not name.startswith(prefix):
                continue
            pairs = []
            rest = labels or ""
            while rest:
                lm = LABEL.match(rest)
                if not lm:
                    sys.exit(f"{path}:{n}: bad labels: {labels!r}")
                pairs.append((lm.group(1), unescape(lm.group(2))))
                rest = rest[lm.end():]
            key = (name, tuple(sorted(pairs)))
            if key in out:
                sys.exit(f"{path}:{n}: series twice: {line!r}")
            out[key] = float(value)
    return out


def show(key):
    name, labels = key
    return name + "{" + ",".join(f'{k}="{v}"' for k, v in labels) + "}"


def same(a, b):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or abs(a - b) <= 1e-9 * max(abs(a), abs(b))


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    prefix = sys.argv[3] if len(sys.argv) == 4 else "tscmon_"
    want = parse_exposition(sys.argv[1], prefix)
    got = parse_exposition(sys.argv[2], prefix)
    bad = 0
    for key, v in want.items():
        if key not in got:
            print(f"missing from the scrape: {show(key)} {v!r}")
            bad += 1
        elif not same(v, got[key]):
            print(f"value differs: {show(key)}: export {v!r}, scrape {got[key]!r}")
            bad += 1
    for key in got.keys() - want.keys():
        print(f"only in the scrape: {show(key)} {got[key]!r}")
        bad += 1
    print(f"{len(want)} {prefix} samples in the export, {len(got)} in the scrape, {bad} differences")
    if not want:
        print("the export has no samples")
        bad += 1
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
