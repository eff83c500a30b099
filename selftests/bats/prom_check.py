#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Sanity-check Prometheus text exposition on stdin: every sample's family
has HELP and TYPE lines before it, names match ^tscmon_[a-z0-9_]+, labels
are well formed, counters end in _total, no series appears twice, values
are numbers. Prints the number of samples."""
import re
import sys

name_re = re.compile(r"^tscmon_[a-z0-9_]+$")
sample_re = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})? (\S+)$')
label_re = re.compile(r'^[a-z_]+="(?:[^"\\\n]|\\.)*"$')
types, helps, seen = {}, set(), set()
samples = 0
for n, line in enumerate(sys.stdin.read().splitlines(), 1):
    if line.startswith("# HELP "):
        helps.add(line.split()[2])
        continue
    if line.startswith("# TYPE "):
        _, _, name, typ = line.split()
        assert name_re.match(name), (n, name)
        assert typ in ("gauge", "counter"), (n, typ)
        assert name not in types, (n, "TYPE twice", name)
        if typ == "counter":
            assert name.endswith("_total"), (n, name)
        types[name] = typ
        continue
    assert not line.startswith("#"), (n, line)
    m = sample_re.match(line)
    assert m, (n, line)
    name = m.group(1)
    assert name_re.match(name), (n, name)
    assert name in types, (n, "no TYPE before", name)
    assert name in helps, (n, "no HELP before", name)
    if m.group(3):
        for lab in re.findall(r'[a-z_]+="(?:[^"\\]|\\.)*"', m.group(3)):
            assert label_re.match(lab), (n, lab)
    float(m.group(4))
    key = (name, m.group(3))
    assert key not in seen, (n, "duplicate series", line)
    seen.add(key)
    samples += 1
assert samples > 0
print(samples)
