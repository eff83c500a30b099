#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A real scrape: Debian's prometheus-node-exporter on a loopback port with
# only its textfile collector, reading a directory that tscmon-export
# writes. For each fixture tree (one of them captured in a QEMU guest) the
# export replaces tscmon.prom, /metrics is fetched over loopback, and every
# tscmon_ sample must come back with the labels and value of the file.
# node_exporter's own view of the file (no scrape error, its mtime) is
# checked too, since the staleness alert is built on it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need "$NODE_EXPORTER=prometheus-node-exporter" curl=curl python3=python3
need_client

textdir=$WORK/textfile
mkdir -p "$textdir"
# Another collector's file in the same directory must not disturb ours.
printf '# HELP other_job_ok a neighbour\n# TYPE other_job_ok gauge\nother_job_ok 1\n' \
	>"$textdir/other.prom"

start_node_exporter "$textdir" || bail "node_exporter did not start"
ok "node_exporter listens on 127.0.0.1:$NE_PORT with the textfile collector only"
url=http://127.0.0.1:$NE_PORT/metrics

n=0
for dir in "$FIXTURES"/*/; do
	name=$(basename "$dir")
	[ -f "$dir/proc/cpuinfo" ] || continue
	n=$((n + 1))
	if ! err=$(TSCMON=$TSCMON "$EXPORT" --root "$dir" "$textdir" 2>&1); then
		not_ok "$name: tscmon-export failed"
		diag "$err"
		continue
	fi
	scrape=$WORK/$name.scrape
	if ! curl -fsS --max-time 10 -o "$scrape" "$url"; then
		not_ok "$name: GET $url"
		continue
	fi
	check "$name: every tscmon_ sample of the export is served with its value" \
		python3 "$(dirname "$0")/promdiff.py" "$textdir/tscmon.prom" "$scrape"
	check "$name: node_textfile_scrape_error is 0" \
		grep -qx 'node_textfile_scrape_error 0' "$scrape"
	mtime=$(stat -c %Y "$textdir/tscmon.prom")
	check "$name: node_textfile_mtime_seconds for tscmon.prom is the file's mtime" \
		python3 -c 'import re, sys
path, scrape, want = sys.argv[1], sys.argv[2], float(sys.argv[3])
pat = re.compile(r"^node_textfile_mtime_seconds\{file=\"%s\"\} (\S+)$" % re.escape(path))
got = [float(m.group(1)) for m in map(pat.match, open(scrape).read().splitlines()) if m]
sys.exit(0 if got == [want] else "got %r, want %r" % (got, want))' "$textdir/tscmon.prom" "$scrape" "$mtime"
done
[ "$n" -gt 0 ] || not_ok "no fixture tree found under $FIXTURES"

# The comparison itself must notice a wrong value.
sed -E '0,/^tscmon_guest /s/^(tscmon_guest) .*/\1 7/' "$textdir/tscmon.prom" >"$WORK/changed.prom"
if python3 "$(dirname "$0")/promdiff.py" "$WORK/changed.prom" "$scrape" >/dev/null; then
	not_ok "promdiff.py notices a value that differs"
else
	ok "promdiff.py notices a value that differs"
fi

# The neighbour's file is served as well, and no temporary file of the
# export is left for node_exporter to trip over.
check "another .prom file in the directory is still served" grep -qx 'other_job_ok 1' "$scrape"
check "tscmon-export leaves no temporary file" \
	sh -c '[ -z "$(find "$1" -name ".tscmon.prom.*")" ]' sh "$textdir"

# A failing client leaves the previous file in place, untouched.
before=$(sha256sum <"$textdir/tscmon.prom")
if TSCMON=$TSCMON "$EXPORT" --root "$WORK/no-such-tree" "$textdir" 2>"$WORK/fail.err"; then
	not_ok "tscmon-export fails when the client fails"
else
	ok "tscmon-export fails when the client fails"
fi
check "the previous tscmon.prom survives a failed export" \
	sh -c '[ "$(sha256sum <"$1")" = "$2" ]' sh "$textdir/tscmon.prom" "$before"
check "the failed export says why" grep -q 'left as it was' "$WORK/fail.err"
check "tscmon.prom is readable by node_exporter's own user (0644)" \
	sh -c '[ "$(stat -c %a "$1")" = 644 ]' sh "$textdir/tscmon.prom"

done_testing
