#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""fleetcheck.py: ask a running Prometheus, through its HTTP API, whether
the fleet test's expectations hold. Prints one result a line, "ok<TAB>what"
or "not ok<TAB>what", with "# " diagnostics after a failure; the caller
turns them into TAP. Exit status 0 even on failures (the caller counts);
1 only for bad usage.

  fleetcheck.py --url URL --rules FILE --wait SECONDS
      [--series INSTANCE=EXPORT_FILE]...   tscmon_ series and values
      [--firing ALERT@INSTANCE]...         alerts that must fire
      [--pending ALERT@INSTANCE]...        alerts that must be pending
      [--quiet INSTANCE]...                instances with no alert at all
      [--record NAME@INSTANCE=VALUE]...    recording rule results

First waits (at most --wait seconds) until every --series instance has
been scraped and every --firing and --pending alert is in that state;
then checks everything once.
"""
import argparse
import json
import re
import sys
import time
import urllib.parse
import urllib.request

from promdiff import parse_exposition  # beside this file


def get(url, path, **params):
    q = ("?" + urllib.parse.urlencode(params)) if params else ""
    with urllib.request.urlopen(url + path + q, timeout=5) as r:
        body = json.load(r)
    if body.get("status") != "success":
        raise RuntimeError(f"{path}: {body.get('error', body)}")
    return body["data"]


def query(url, expr):
    return get(url, "/api/v1/query", query=expr)["result"]


def result(ok, what, diags=()):
    print(("ok" if ok else "not ok") + "\t" + what)
    for d in diags if not ok else ():
        print("# " + d)


def split_at(spec):
    alert, _, inst = spec.partition("@")
    if not alert or not inst:
        sys.exit(f"bad ALERT@INSTANCE: {spec!r}")
    return alert, inst


def alerts_now(url):
    return [(a["labels"].get("alertname"), a["labels"].get("instance"), a["state"], a)
            for a in get(url, "/api/v1/alerts")["alerts"]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--rules", required=True)
    ap.add_argument("--wait", type=float, default=60)
    ap.add_argument("--series", action="append", default=[])
    ap.add_argument("--firing", action="append", default=[])
    ap.add_argument("--pending", action="append", default=[])
    ap.add_argument("--quiet", action="append", default=[])
    ap.add_argument("--record", action="append", default=[])
    a = ap.parse_args()
    series = dict(s.split("=", 1) for s in a.series)
    firing = [split_at(s) for s in a.firing]
    pending = [split_at(s) for s in a.pending]

    # 1. Wait for a scrape of every target and for the alerts to fire.
    start = time.monotonic()
    waited_for = None
    while True:
        try:
            scraped = {r["metric"].get("instance") for r in query(a.url, "tscmon_build_info")}
            now = {(n, i, st) for n, i, st, _ in alerts_now(a.url)}
            missing_targets = set(series) - scraped
            missing_alerts = ({(n, i, "firing") for n, i in firing} |
                              {(n, i, "pending") for n, i in pending}) - now
            if not missing_targets and not missing_alerts:
                waited_for = None
                break
            waited_for = (f"targets not scraped yet: {sorted(missing_targets)}; "
                          f"alerts not in their state yet: {sorted(missing_alerts)}")
        except (OSError, RuntimeError, ValueError) as e:
            waited_for = f"API error: {e}"
        if time.monotonic() - start > a.wait:
            break
        time.sleep(0.5)
    took = time.monotonic() - start
    if waited_for:
        result(False, f"scrapes and alert states within {a.wait:.0f} s", [waited_for])
    else:
        result(True, f"scrapes and alert states reached after {took:.1f} s (limit {a.wait:.0f} s)")

    # 2. Targets are up.
    targets = get(a.url, "/api/v1/targets")["activeTargets"]
    health = {t["labels"].get("instance"): t["health"] for t in targets}
    for inst in sorted(series):
        result(health.get(inst) == "up", f"target {inst} is up",
               [f"targets: {health}"])

    # 3. tscmon_ series: every sample of the export file, same labels and
    # value, and nothing more, per instance.
    for inst, path in sorted(series.items()):
        want = parse_exposition(path, "tscmon_")
        got = {}
        for r in query(a.url, '{__name__=~"tscmon_.+",instance="%s"}' % inst):
            m = dict(r["metric"])
            name = m.pop("__name__")
            m.pop("instance", None)
            m.pop("job", None)
            got[(name, tuple(sorted(m.items())))] = float(r["value"][1])
        diffs = [f"missing: {k}" for k in want if k not in got]
        diffs += [f"value of {k}: export {want[k]}, Prometheus {got[k]}"
                  for k in want if k in got and got[k] != want[k]]
        diffs += [f"extra: {k}" for k in got if k not in want]
        result(not diffs and bool(want),
               f"{inst}: Prometheus holds the {len(want)} tscmon_ samples of {path.rsplit('/', 1)[-1]}",
               diffs[:20])

    # 4. Rules loaded, evaluated, healthy; alerts carry severity and text.
    text = open(a.rules).read()
    n_alert = len(re.findall(r"^\s*- alert:", text, re.M))
    n_record = len(re.findall(r"^\s*- record:", text, re.M))
    groups = get(a.url, "/api/v1/rules")["groups"]
    rules = [r for g in groups for r in g["rules"]]
    got_alert = sum(r["type"] == "alerting" for r in rules)
    got_record = sum(r["type"] == "recording" for r in rules)
    result((got_alert, got_record) == (n_alert, n_record),
           f"{n_alert} alerting and {n_record} recording rules loaded",
           [f"loaded {got_alert} alerting, {got_record} recording"])
    sick = [f"{r['name']}: health {r.get('health')!r}, lastError {r.get('lastError')!r}"
            for r in rules if r.get("health") != "ok" or r.get("lastError")]
    result(not sick and bool(rules), "every rule has health \"ok\" and no error", sick)
    never = [g["name"] for g in groups if g.get("lastEvaluation", "").startswith("0001-")]
    result(not never, "every rule group has been evaluated", never)
    bad = []
    for r in rules:
        if r["type"] != "alerting":
            continue
        if r.get("labels", {}).get("severity") not in ("critical", "warning", "info"):
            bad.append(f"{r['name']}: severity {r.get('labels', {}).get('severity')!r}")
        for k in ("summary", "description"):
            if not r.get("annotations", {}).get(k, "").strip():
                bad.append(f"{r['name']}: no {k}")
    result(not bad, "every alert has a severity, a summary and a description", bad)

    # 5. Alerts: the expected states, and silence where expected.
    now = alerts_now(a.url)
    states = {(n, i): st for n, i, st, _ in now}
    for alert, inst in firing:
        st = states.get((alert, inst))
        result(st == "firing", f"{alert} fires for {inst}", [f"state: {st}"])
    for alert, inst in pending:
        st = states.get((alert, inst))
        result(st == "pending", f"{alert} is pending for {inst} (its for: cannot elapse here)",
               [f"state: {st}"])
    for inst in a.quiet:
        loud = [f"{n} {st}" for n, i, st, _ in now if i == inst]
        result(not loud, f"{inst} has no alert, firing or pending", loud)
    expected = set(firing) | set(pending)
    extra = [f"{n}@{i} {st}" for n, i, st, _ in now if (n, i) not in expected]
    result(not extra, "no alert beyond the expected ones", extra)

    # 6. Recording rules computed from the scraped series.
    for spec in a.record:
        left, _, value = spec.partition("=")
        name, inst = split_at(left)
        res = query(a.url, '%s{instance="%s"}' % (name, inst))
        vals = [float(r["value"][1]) for r in res]
        result(vals == [float(value)], f"{name} for {inst} is {value}", [f"got {vals}"])


main()
