#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# tscmon record and tscmon plot (issue 11, items 4 and 5): recording a
# --root tree whose module files change while record polls it
# (record_feed.py plays the module), the recording format, the SVG and
# HTML output, bad input to plot, and a rendering by headless Chromium
# whose pixels show an injected CPU's line apart from the others. The
# renderings stay in build/record-plot/ for a person to look at.

load helpers

FEED="$BATS_TEST_DIRNAME/record_feed.py"
PROBE="$BATS_TEST_DIRNAME/png_probe.py"
ART="$TOP/build/record-plot"

# A tree with the module files of record_feed.py: STEPS PERIOD CPU CYCLES.
feed_tree() { # NAME STEPS PERIOD CPU CYCLES -> prints the tree's path
	local dst="$BATS_TEST_TMPDIR/$1"
	rm -rf "$dst"
	cp -r "$FIX/qemu-6.1-tcg-captured" "$dst"
	python3 "$FEED" "$dst" 1 0 "$4" "$5" # the first state, before record starts
	echo "$dst"
}

xml_ok() {
	python3 -c 'import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])' "$1"
}

# record + plot of a tree that stands still: CPU 1 CYCLES ahead.
still_svg() { # NAME CYCLES -> OUT.svg in BATS_TEST_TMPDIR
	local t
	t=$(feed_tree "$1" 1 0 1 "$2")
	"$TSCMON" --root "$t" record --seconds 0.5 --interval 0.1 "$BATS_TEST_TMPDIR/$1.rec"
	"$TSCMON" plot "$BATS_TEST_TMPDIR/$1.rec" "$BATS_TEST_TMPDIR/$1.svg"
}

@test "record: usage errors and a machine without the module" {
	run "$TSCMON" --root "$FIX/amd-k8-host" record "$BATS_TEST_TMPDIR/x.rec"
	assert_failure 64
	assert_output --partial "record needs --seconds N"
	run "$TSCMON" --root "$FIX/amd-k8-host" record --seconds 1
	assert_failure 64
	assert_output --partial "record needs an output file"
	run "$TSCMON" --root "$FIX/amd-k8-host" status --seconds 1
	assert_failure 64
	run "$TSCMON" --root "$FIX/amd-k8-host" record --seconds 1 --count 2 "$BATS_TEST_TMPDIR/x.rec"
	assert_failure 64
	run "$TSCMON" --root "$FIX/amd-k8-host" record --seconds -1 "$BATS_TEST_TMPDIR/x.rec"
	assert_failure 64
	run "$TSCMON" --root "$FIX/amd-k8-host" record --seconds 1 --interval 0 "$BATS_TEST_TMPDIR/x.rec"
	assert_failure 64
	run "$TSCMON" --root "$FIX/log-harmless-p0" record --seconds 1 "$BATS_TEST_TMPDIR/x.rec"
	assert_failure 69
	assert_output --partial "module is not loaded"
	[ ! -e "$BATS_TEST_TMPDIR/x.rec" ]
	run "$TSCMON" --root "$FIX/amd-k8-host" record --seconds 0 "$BATS_TEST_TMPDIR/no/such/dir/x.rec"
	assert_failure 73
}

@test "record: a module without idle, freq and events files; the format's frame" {
	run "$TSCMON" --root "$FIX/amd-k8-host" record --seconds 0.3 --interval 0.1 "$BATS_TEST_TMPDIR/k8.rec"
	assert_success
	f="$BATS_TEST_TMPDIR/k8.rec"
	[ "$(head -1 "$f")" = "tscmon-record 1" ]
	grep -qx 'meta kernel 6.1.0-18-amd64' "$f"
	grep -qx 'meta clocksource tsc' "$f"
	grep -qx 'meta tsc_khz 2599987' "$f"
	grep -qx 'meta idle_state 3 C3' "$f"
	polls=$(grep -c '^poll ' "$f")
	[ "$polls" -ge 3 ] && [ "$polls" -le 5 ]
	[ "$(tail -1 "$f")" = "end $polls" ]
	[ "$(grep -c '^file cpus 3$' "$f")" = "$polls" ]
	[ "$(grep -c '^file histogram 3$' "$f")" = "$polls" ]
	! grep -qE '^file (idle|freq|events) ' "$f"
	grep -qx 'switch 1.603402 tsc' "$f"
	# the module's tables verbatim
	grep -qx '1 1 2450117 380 290 -1220 2450117 1190233 701288 1800 52211 3 18220 - 2188021' "$f"
}

@test "record: follows a tree whose module files change between polls" {
	t=$(feed_tree live 1 0 1 200000)
	python3 "$FEED" "$t" 10 0.2 1 200000 &
	feeder=$!
	run "$TSCMON" --root "$t" record --seconds 2 --interval 0.1 "$BATS_TEST_TMPDIR/live.rec"
	wait "$feeder"
	assert_success
	assert_output --partial "polls in"
	f="$BATS_TEST_TMPDIR/live.rec"
	mkdir -p "$ART" && cp "$f" "$ART/live.rec"
	# CPU 1's skew grows by 40 cycles a step: several values were seen
	n=$(grep -E '^1 1 200[0-9]{3} ' "$f" | cut -d' ' -f3 | sort -u | wc -l)
	[ "$n" -ge 4 ]
	grep -qE '^poll [0-9]+ [0-9]+ tsc$' "$f"
	grep -qE '^poll [0-9]+ [0-9]+ hpet$' "$f"
	grep -qE '^file idle [0-9]+$' "$f"
	grep -qE '^file freq 5$' "$f"
	grep -qE '^file events 2$' "$f"
	run "$TSCMON" plot "$f" "$BATS_TEST_TMPDIR/live.svg"
	assert_success
	xml_ok "$BATS_TEST_TMPDIR/live.svg"
	s="$BATS_TEST_TMPDIR/live.svg"
	grep -q 'TSC skew on snapshot .* - kernel 6.1.0-56-amd64 - clocksource ' "$s"
	grep -q 'clocksource tsc -&gt; hpet' "$s"
	grep -q '>idle state 2<' "$s"
	grep -q 'freq transitions' "$s"
	grep -q '>warps<' "$s"
	grep -q '>+2<' "$s"
	grep -q 'module events' "$s"
	grep -q 'Skew histogram per CPU' "$s"
	grep -q 'Idle entries and frequency transitions per CPU' "$s"
	grep -q 'time since the first poll (s)' "$s"
	grep -q 'skew vs the reference CPU (TSC cycles)' "$s"
}

@test "plot: self-contained SVG and HTML, nothing fetched from elsewhere" {
	still_svg k8still 200000
	s="$BATS_TEST_TMPDIR/k8still.svg"
	xml_ok "$s"
	# the only URL is the SVG namespace; no script, font, image or style import
	[ "$(grep -o 'http[s]*://[^"]*' "$s" | sort -u)" = "http://www.w3.org/2000/svg" ]
	! grep -qiE '<script|@import|@font-face|url\(|<image|xlink:href|<foreignObject' "$s"
	run "$TSCMON" plot "$BATS_TEST_TMPDIR/k8still.rec" "$BATS_TEST_TMPDIR/k8still.html"
	assert_success
	h="$BATS_TEST_TMPDIR/k8still.html"
	head -1 "$h" | grep -qx '<!DOCTYPE html>'
	sed -n '/^<svg /,/^<\/svg>$/p' "$h" >"$BATS_TEST_TMPDIR/from-html.svg"
	xml_ok "$BATS_TEST_TMPDIR/from-html.svg"
	! grep -qiE '<script|<link|src=' "$h"
}

@test "plot: lane names fit the margin, a 15-character state name squeezed into it" {
	still_svg names 1000
	rec="$BATS_TEST_TMPDIR/names.rec"
	# name state 0 as the module's idle file would (cpuidle allows 15 characters)
	grep -q '^meta tsc_khz ' "$rec"
	! grep -q '^meta idle_state ' "$rec"
	sed -i 's/^meta tsc_khz .*/&\nmeta idle_state 0 VERYLONGSTATE15/' "$rec"
	run "$TSCMON" plot "$rec" "$BATS_TEST_TMPDIR/long.svg"
	assert_success
	s="$BATS_TEST_TMPDIR/long.svg"
	xml_ok "$s"
	# the long name is squeezed into the 108 px left of the plot area
	grep -q 'textLength="108" lengthAdjust="spacingAndGlyphs">C-state VERYLONGSTATE15<' "$s"
	# short names are left as they are
	grep -q 'font-size="11" >warps<' "$s"
	grep -q 'font-size="11" >freq transitions<' "$s"
}

@test "plot: bad input gives a clear error and exit code 65, never a crash" {
	still_svg good 0
	good="$BATS_TEST_TMPDIR/good.rec"
	bad="$BATS_TEST_TMPDIR/bad.rec"
	: >"$bad"
	run "$TSCMON" plot "$bad" "$BATS_TEST_TMPDIR/o.svg"
	assert_failure 65
	assert_output --partial "empty file"
	sed '1s/.*/tscmon-record 2/' "$good" >"$bad"
	run "$TSCMON" plot "$bad" "$BATS_TEST_TMPDIR/o.svg"
	assert_failure 65
	assert_output --partial "format version 2 is not supported (this tscmon reads version 1)"
	head -c 1000 "$good" >"$bad"
	run "$TSCMON" plot "$bad" "$BATS_TEST_TMPDIR/o.svg"
	assert_failure 65
	assert_output --partial "truncated"
	grep -v '^end ' "$good" >"$bad"
	run "$TSCMON" plot "$bad" "$BATS_TEST_TMPDIR/o.svg"
	assert_failure 65
	assert_output --partial 'no "end" line'
	sed 's/^end .*/end 99/' "$good" >"$bad"
	run "$TSCMON" plot "$bad" "$BATS_TEST_TMPDIR/o.svg"
	assert_failure 65
	assert_output --partial "the end line counts 99 polls"
	printf 'tscmon-record 1\nend 0\n' >"$bad"
	run "$TSCMON" plot "$bad" "$BATS_TEST_TMPDIR/o.svg"
	assert_failure 65
	assert_output --partial "no polls"
	printf 'tscmon-record 1\npoll 0 5 tsc\nfile cpus 9999\ncpu skew_cycles\n' >"$bad"
	run "$TSCMON" plot "$bad" "$BATS_TEST_TMPDIR/o.svg"
	assert_failure 65
	assert_output --partial "file cpus ends after 1 of its 9999 lines"
	head -c 3000 "$TSCMON" >"$bad"
	run "$TSCMON" plot "$bad" "$BATS_TEST_TMPDIR/o.svg"
	assert_failure 65
	assert_output --partial "binary data"
	run "$TSCMON" plot "$TOP/README.md" "$BATS_TEST_TMPDIR/o.svg"
	assert_failure 65
	assert_output --partial "not a tscmon recording"
	run "$TSCMON" plot "$BATS_TEST_TMPDIR/none.rec" "$BATS_TEST_TMPDIR/o.svg"
	assert_failure 66
	run "$TSCMON" plot "$good" "$BATS_TEST_TMPDIR/o.png"
	assert_failure 64
	run "$TSCMON" plot "$good"
	assert_failure 64
	[ ! -e "$BATS_TEST_TMPDIR/o.svg" ]
	# cut anywhere: 65 (or 0 for a cut after the end line), never a signal
	size=$(stat -c %s "$good")
	for cut in $(seq 1 97 "$size"); do
		head -c "$cut" "$good" >"$bad"
		run "$TSCMON" plot "$bad" "$BATS_TEST_TMPDIR/o.svg"
		[ "$status" = 65 ] || [ "$status" = 0 ] || { echo "cut $cut: exit $status: $output"; false; }
	done
	# garbage inside the tables is skipped and counted, not fatal
	sed -E 's/^1 1 -?[0-9]+ 320 /1 1 zz 320 /' "$good" >"$bad"
	run "$TSCMON" plot "$bad" "$BATS_TEST_TMPDIR/o.svg"
	assert_success
	assert_output --partial "malformed table row(s) ignored"
}

# Chromium renders the plot; the pixels of CPU 1's colour must sit far
# above the other CPUs' lines when CPU 1 is 200000 cycles ahead, and
# among them when not.
@test "plot: Chromium's rendering shows the injected CPU's line apart" {
	if ! command -v chromium >/dev/null; then
		[ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >&2 || true
	fi
	command -v chromium >/dev/null || skip "chromium is not installed and cannot be (apt-get install chromium failed)"
	mkdir -p "$ART"
	for name in injected clean; do
		[ "$name" = injected ] && cyc=200000 || cyc=0
		still_svg "$name" "$cyc"
		cp "$BATS_TEST_TMPDIR/$name.svg" "$ART/$name.svg"
		rm -f "$ART/$name.png"
		timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
			--disable-background-networking --disable-component-update --disable-sync \
			--user-data-dir="$BATS_TEST_TMPDIR/chromium-$name" --screenshot="$ART/$name.png" \
			--window-size=1200,1100 "file://$ART/$name.svg" >/dev/null 2>&1 || true
		[ -s "$ART/$name.png" ]
	done
	# the skew panel: x 120..1000, y 72..392 (plot.c); CPU 1 #d62728, the
	# others (CPU 0, 2, 3) #1f77b4, #2ca02c, #ff7f0e (svg.c)
	others='#1f77b4,#2ca02c,#ff7f0e'
	read -r n1 y1 < <(python3 "$PROBE" "$ART/injected.png" '#d62728' 125 72 995 392)
	read -r n0 y0 < <(python3 "$PROBE" "$ART/injected.png" "$others" 125 72 995 392)
	echo "injected: CPU 1 $n1 px at y $y1, the others $n0 px at y $y0"
	[ "$n1" -gt 500 ] && [ "$n0" -gt 20 ]
	[ $((y0 - y1)) -gt 200 ]
	# the clean rendering has no CPU 1 pixel up there, and its CPUs share a line
	read -r c1 _ < <(python3 "$PROBE" "$ART/clean.png" '#d62728' 125 72 995 $((y1 + 10)))
	echo "clean: $c1 CPU 1 px in rows 72..$((y1 + 10))"
	[ "$c1" = 0 ]
	read -r m1 z1 < <(python3 "$PROBE" "$ART/clean.png" '#d62728' 125 72 995 392)
	read -r m0 z0 < <(python3 "$PROBE" "$ART/clean.png" "$others" 125 72 995 392)
	echo "clean: CPU 1 $m1 px at y $z1, the others $m0 px at y $z0"
	# the others sit in the middle of the panel (the range is the bands,
	# about +-360 cycles); CPU 1's line may be hidden under theirs
	[ "$m0" -gt 500 ] && [ "$z0" -gt 200 ] && [ "$z0" -lt 260 ]
	[ "$m1" = 0 ] || { [ $((z0 - z1)) -lt 40 ] && [ $((z1 - z0)) -lt 40 ]; }
}
