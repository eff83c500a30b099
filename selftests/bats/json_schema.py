#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check a tscmon JSON document (stdin) against docs/client.md's schema;
print the verdict's exit code and the sorted advice ids."""
import json
import sys

d = json.load(sys.stdin)
assert d["schema_version"] == 1
for k in ("tscmon_version", "root", "machine", "module", "log", "advice",
          "guest_plan", "verdict", "not_available"):
    assert k in d, k
m = d["machine"]
for k in ("role", "hypervisor", "guest_evidence", "cpu", "clocksource",
          "cmdline", "cpufreq", "max_khz", "cpuidle", "dmi"):
    assert k in m, k
assert m["role"] in ("host", "guest")
mod = d["module"]
for k in ("present", "usable", "version", "abi", "summary", "cpus", "warps"):
    assert k in mod, k
for it in d["advice"]:
    assert set(it) == {"id", "severity", "title", "evidence", "change"}, it
    assert it["severity"] in ("ok", "info", "warning", "critical")
    assert it["evidence"] and it["change"], it["id"]
assert d["verdict"]["severity"] in ("ok", "info", "warning", "critical", "unknown")
assert d["verdict"]["exit_code"] in (0, 1, 2, 3)
print(d["verdict"]["exit_code"], " ".join(sorted({i["id"] for i in d["advice"]})))
