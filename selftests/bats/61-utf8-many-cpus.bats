#!/usr/bin/env bats
# Outputs stay well-formed whatever the inputs hold: bytes that are not
# UTF-8 become U+FFFD in JSON and Prometheus. And a large machine (a tree
# grown to 64 CPUs by bench/mkfixture.sh) is read whole, every CPU in
# every output.

load helpers

@test "bytes that are not UTF-8 become U+FFFD in JSON and Prometheus" {
	d=$(fixture_copy intel-invariant-host)
	sed -i 's/^model name\t: .*/model name\t: Xeon\x96 \xc3\x28 \xed\xa0\x80 caf\xc3\xa9/' "$d/proc/cpuinfo"
	printf 'tsc\xff\n' > "$d/sys/devices/system/clocksource/clocksource0/current_clocksource"
	"$TSCMON" --root "$d" export > "$BATS_TEST_TMPDIR/out.json"
	run python3 -c '
import json, sys
doc = json.loads(open(sys.argv[1], "rb").read().decode("utf-8", "strict"))
print(doc["machine"]["cpu"]["model_name"])' "$BATS_TEST_TMPDIR/out.json"
	assert_success
	assert_output "Xeon� �( ��� café"
	"$TSCMON" --root "$d" export --format prometheus > "$BATS_TEST_TMPDIR/out.prom"
	run python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8", "strict")' \
		"$BATS_TEST_TMPDIR/out.prom"
	assert_success
	run grep -F 'tscmon_clocksource_info{clocksource="tsc�"} 1' "$BATS_TEST_TMPDIR/out.prom"
	assert_success
}

@test "64 CPUs: every CPU in advise, JSON, Prometheus and watch" {
	d=$BATS_TEST_TMPDIR/fx64
	"$TOP/bench/mkfixture.sh" "$FIX/intel-invariant-host" "$d" 64
	run tm "$d" advise
	assert_success
	assert_output --partial "on all 64 CPUs"
	tm "$d" export > "$BATS_TEST_TMPDIR/out.json"
	run python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
def count(v, key):
    if isinstance(v, dict):
        return (key in v) + sum(count(x, key) for x in v.values())
    if isinstance(v, list):
        return sum(count(x, key) for x in v)
    return 0
print(count(doc, "histogram"), count(doc, "states"), count(doc, "cur_khz"))' "$BATS_TEST_TMPDIR/out.json"
	assert_success
	assert_output "64 64 64"
	run bash -c "'$TSCMON' --root '$d' export --format prometheus | grep -c '^tscmon_tsc_skew_cycles{cpu='"
	assert_output "64"
	run bash -c "'$TSCMON' --root '$d' watch --count 1 --interval 0 | awk '\$1 ~ /^[0-9]+\$/ && \$NF != \"-\"' | wc -l"
	assert_output "64"
}
