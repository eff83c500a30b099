#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every test on every kernel of the matrix. Each stage prints its
# wall time; every stage's TAP lines are counted, and the last line is
# "N passed, N failed, N skipped" over all of them. A stage that fails
# without a failing TAP line of its own counts as one failure.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 1
KERNELS=${KERNELS:-6.1 6.12 7.2 debug}
SMPS=${SMPS:-2 4}
logdir=$TOP/build/check
rm -rf "$logdir"
mkdir -p "$logdir"
all=$logdir/all.tap
: > "$all"
t0=$(date +%s)

# stage NAME CMD...: run CMD, stream and keep its output, time it.
stage() {
	local name=$1 log rc s
	shift
	log=$logdir/$(echo "$name" | tr -c 'A-Za-z0-9.\n' '_').log
	s=$(date +%s)
	echo "=== $name"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	if [ "$rc" != 0 ] && ! grep -q '^not ok' "$log"; then
		echo "not ok - $name exited $rc" | tee -a "$log"
	fi
	grep -E '^(not )?ok ' "$log" | sed "s|^|[$name] |" >> "$all"
	echo "=== $name: $(($(date +%s) - s))s, exit $rc"
}

stage "kernels" make -s kernels
stage "client" make -s -C userspace check
stage "client-asan" make -s -C userspace check-asan
[ -f selftests/estimator/Makefile ] && stage "estimator" make -s -C selftests/estimator check
stage "fuzz" make -s -C selftests/fuzz check
stage "checkpatch" selftests/vm/checkpatch.sh
stage "dkms" selftests/dkms-check.sh
stage "install" selftests/install-check.sh
stage "fleet" make -s -C selftests/fleet check
for k in $KERNELS; do
	stage "build $k" bash -c "selftests/vm/build.sh $k && echo 'ok - $k: W=1 C=2 build warning-free'"
done
for k in $KERNELS; do
	for n in $SMPS; do
		stage "guest $k smp$n" selftests/vm/run.sh --kernel "$k" --smp "$n"
	done
	stage "client in guest $k" selftests/guest-client-check.sh "$k"
	# The seed's failure, live: booted with tsc=reliable, then a frequency
	# change drops the TSC (selftests/vm/seed-failure.sh).
	stage "seed failure $k" selftests/vm/run.sh --kernel "$k" --smp 2 \
		--append tsc=reliable --script selftests/vm/seed-failure.sh
done

stage "record in a guest" selftests/record-check.sh
stage "storms" selftests/storm/run.sh

# Last: the quick benchmark uses the builds above.
stage "bench quick" make -s bench QUICK=1

passed=$(sed 's/^\[[^]]*\] //' "$all" | grep -Ec '^ok ' || true)
skipped=$(sed 's/^\[[^]]*\] //' "$all" | grep -Eic '^ok [^#]*# skip' || true)
failed=$(sed 's/^\[[^]]*\] //' "$all" | grep -Ec '^not ok ' || true)
passed=$((passed - skipped))
echo "=== all stages: $(($(date +%s) - t0))s"
if [ "$failed" != 0 ]; then
	echo "failed:"
	grep '\] not ok ' "$all" | sed 's/^/  /'
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
