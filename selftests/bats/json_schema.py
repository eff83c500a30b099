#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check a tscmon JSON document (stdin) against docs/client.md's schema
(schema_version 2); print the verdict's exit code and the sorted advice
ids."""
import json
import sys

FAMILIES = {"boot-warp", "watchdog", "watchdog-read", "tsc-adjust",
            "calibration", "switch", "unstable", "override", "firmware-noise",
            "config", "measurement"}
LOG_FAMILIES = FAMILIES - {"config", "measurement"} | {
    "firmware", "hypervisor", "kvm-host", "power"}
EVENT_KEYS = {"family", "kind", "time", "arg", "detail", "watchdog",
              "continuation", "head", "cpu", "cpu_other", "skew_ns",
              "interval_ns", "cs_interval_ns", "warp_cycles", "adjust_from",
              "adjust_to", "retries", "delay_ns", "mhz", "text"}

d = json.load(sys.stdin)
assert d["schema_version"] == 2
for k in ("tscmon_version", "root", "machine", "module", "log",
          "kernel_watch", "advice", "guest_plan", "verdict", "not_available"):
    assert k in d, k
m = d["machine"]
for k in ("role", "hypervisor", "guest_evidence", "cpu", "clocksource",
          "cmdline", "cpufreq", "max_khz", "cpuidle", "dmi"):
    assert k in m, k
assert m["role"] in ("host", "guest")
mod = d["module"]
for k in ("present", "usable", "version", "abi", "summary", "cpus", "warps"):
    assert k in mod, k
if mod["summary"] is not None:
    for k in ("tsc_khz_measured", "tsc_rate_ppm", "tsc_rate_uncertainty_ppm",
              "rate_reference"):
        assert k in mod["summary"], k
kw = d["kernel_watch"]
assert set(kw) == {"active", "tsc_demoted", "judge", "packages", "kernel",
                   "reasons"}, kw
assert kw["active"] in (True, False, None)
if d["log"] is not None:
    for e in d["log"]["events"]:
        assert set(e) == EVENT_KEYS, set(e) ^ EVENT_KEYS
        assert e["family"] in LOG_FAMILIES, e["family"]
for it in d["advice"]:
    keys = {"id", "severity", "title", "family", "evidence", "change"}
    if it["family"] == "watchdog":
        keys |= {"watchdog", "skew_ns", "interval_ns"}
    assert set(it) == keys, it
    assert it["family"] in FAMILIES, it
    assert it["severity"] in ("ok", "info", "warning", "critical")
    assert it["evidence"] and it["change"], it["id"]
assert d["verdict"]["severity"] in ("ok", "info", "warning", "critical", "unknown")
assert d["verdict"]["exit_code"] in (0, 1, 2, 3)
print(d["verdict"]["exit_code"], " ".join(sorted({i["id"] for i in d["advice"]})))
