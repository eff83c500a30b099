#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""record_feed.py ROOT STEPS PERIOD SKEW_CPU SKEW_CYCLES: play a module
that sweeps, into the --root tree ROOT, for tscmon record to poll.

Every PERIOD seconds it rewrites (atomically: a temporary file, then a
rename) the module's version, summary, cpus, histogram, warps, idle, freq
and events files for 4 CPUs, STEPS times. CPU SKEW_CPU is SKEW_CYCLES
ahead of the reference CPU (0 for a clean machine), the others within a
few cycles of it; idle entries and frequency transitions grow; halfway
through the clocksource changes from tsc to hpet. STEPS 1 writes one
state and returns at once (a tree that stands still)."""
import os
import sys
import time

root, steps, period, skew_cpu, skew = (sys.argv[1], int(sys.argv[2]), float(sys.argv[3]),
                                       int(sys.argv[4]), int(sys.argv[5]))
mod = os.path.join(root, "sys/kernel/debug/tscmon")
cs = os.path.join(root, "sys/devices/system/clocksource/clocksource0")
os.makedirs(mod, exist_ok=True)
os.makedirs(cs, exist_ok=True)
NCPU = 4
noise = [0, 7, -12, 4, 9, -5, 11, -8]


def put(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def bucket(v):
    v = abs(v)
    return 0 if v == 0 else min(v.bit_length(), 31)


put(os.path.join(mod, "version"), "tscmon 0.1.0 abi 1\n")
start = time.monotonic_ns()
hist = [[0] * 32 for _ in range(NCPU)]
warps = [0] * NCPU
for step in range(steps):
    sweeps = 100 + step
    rows, skews = [], []
    for c in range(NCPU):
        s = 0 if c == 0 else noise[(step + c) % len(noise)]
        if c == skew_cpu and skew:
            s = skew + 40 * step
            if step == steps // 3:
                warps[c] += 2
        unc = 0 if c == 0 else 300 + 20 * c
        skews.append(s)
        hist[c][bucket(s)] += 1
        rows.append(f"{c} 1 {s} {unc} {2 * unc} {s - 50} {s + 50} {s} 10 {sweeps} 3 {warps[c]} "
                    f"{900 if warps[c] else 0} - {1000 * c + 37 * step * (c + 1)}")
    put(os.path.join(mod, "cpus"),
        "cpu online skew_cycles uncertainty_cycles rtt_cycles min_cycles max_cycles mean_cycles "
        "stddev_cycles samples drift_ppb warps max_warp_cycles tsc_adjust idle_entries\n" +
        "\n".join(rows) + "\n")
    put(os.path.join(mod, "summary"),
        f"abi 1\ntsc_khz 2600000\nreference_cpu 0\ncpus_possible {NCPU}\ncpus_online {NCPU}\n"
        f"sweeps {sweeps}\ninterval_ms 1000\nrounds 64\nmax_abs_skew_cycles {max(map(abs, skews))}\n"
        f"warps_total {sum(warps)}\nkernel_tsc_unstable 0\nclocksource tsc\n")
    put(os.path.join(mod, "histogram"), "cpu " + " ".join(f"b{b}" for b in range(32)) + "\n" +
        "".join(f"{c} " + " ".join(map(str, hist[c])) + "\n" for c in range(NCPU)))
    put(os.path.join(mod, "warps"), "cpu_a cpu_b warps max_warp_cycles\n" +
        "".join(f"0 {c} {warps[c]} {900 if warps[c] else 0}\n" for c in range(1, NCPU)))
    put(os.path.join(mod, "idle"), "cpu state entries residency_ns\n" +
        "".join(f"{c} {st} {(st + 1) * (c + 1) * 13 * step + (step % 3) * st} {1000000 * step}\n"
                for c in range(NCPU) for st in range(3)))
    put(os.path.join(mod, "freq"),
        "cpu transitions_notifier transitions_tracepoint cur_khz min_khz max_khz aperf_mperf_khz\n" +
        "".join(f"{c} {(step // 2) * (c % 3)} {(step // 2) * (c % 3)} {2600000 - 400000 * (step % 2)} "
                f"1800000 2600000 -\n" for c in range(NCPU)))
    ev = ""
    if skew and step >= 2:
        ev = f"1 {start + int(period * 2e9)} {102} {skew_cpu} skew {skew} 400 2 17 120 0 0 -\n"
    put(os.path.join(mod, "events"), "seq time_ns sweep cpu kind change bound deepest_state "
        "deepest_entries idle_entries freq_notifier freq_tracepoint cur_khz\n" + ev)
    put(os.path.join(cs, "current_clocksource"),
        ("hpet" if steps > 1 and step >= steps // 2 else "tsc") + "\n")
    if step + 1 < steps:
        time.sleep(period)
