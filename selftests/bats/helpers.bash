# SPDX-License-Identifier: GPL-2.0
# Shared setup for tscmon's bats tests. TSCMON names the binary under
# test (make check sets it); fixtures live in selftests/fixtures.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

TOP="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
FIX="$TOP/selftests/fixtures"
: "${TSCMON:=$TOP/userspace/tscmon}"

# tscmon with --root FIXTURE (a name under selftests/fixtures, or a path).
tm() { # FIXTURE ARGS...
	local root=$1
	shift
	[ -d "$root" ] || root="$FIX/$root"
	"$TSCMON" --root "$root" "$@"
}

# A private copy of a fixture tree that a test may change.
fixture_copy() { # NAME -> prints the copy's path
	local dst="$BATS_TEST_TMPDIR/$1"
	rm -rf "$dst"
	cp -r "$FIX/$1" "$dst"
	echo "$dst"
}

# The block of one advice item ("[SEV] ID: ..." up to the next blank line).
item() { # ID  (reads the text output of advise on stdin)
	awk -v id="$1" '
		/^\[[A-Z]+\] / { on = ($2 == id ":") }
		on && /^$/ { on = 0 }
		on { print }'
}

# Every item's "[SEV] ID" header, one per line.
headers() {
	grep -E '^\[(OK|INFO|WARNING|CRITICAL)\] ' | sed 's/:.*//'
}

# The JSON advice items with ID of tree FIXTURE, one line each:
# "severity family [watchdog skew_ns interval_ns]".
advice_json() { # FIXTURE ID
	local root=$1
	[ -d "$root" ] || root="$FIX/$root"
	"$TSCMON" --root "$root" export | python3 -c '
import json, sys
for it in json.load(sys.stdin)["advice"]:
    if it["id"] != sys.argv[1]:
        continue
    extra = [it[k] for k in ("watchdog", "skew_ns", "interval_ns") if k in it]
    print(" ".join(str(x) for x in [it["severity"], it["family"]] + extra))' "$2"
}

# The log events of FAMILY in tree FIXTURE as "kind key=value ..." lines,
# only the keys that are not null (text left out).
events_json() { # FIXTURE FAMILY
	local root=$1
	[ -d "$root" ] || root="$FIX/$root"
	"$TSCMON" --root "$root" export | python3 -c '
import json, sys
for e in json.load(sys.stdin)["log"]["events"]:
    if e["family"] != sys.argv[1]:
        continue
    keys = ("time", "arg", "detail", "watchdog", "cpu", "cpu_other", "skew_ns",
            "interval_ns", "cs_interval_ns", "warp_cycles", "adjust_from",
            "adjust_to", "retries", "delay_ns", "mhz")
    print(" ".join([e["kind"]] + ["%s=%s" % (k, e[k]) for k in keys if e[k] is not None]))' "$2"
}
