# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared by the fleet tests: TAP output, the Debian packages they need,
# loopback ports, servers started in the background and always stopped.
# Sourced after "set -euo pipefail".

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# fleetcheck.py imports promdiff.py; keep the tree free of __pycache__.
export PYTHONDONTWRITEBYTECODE=1
TSCMON=${TSCMON:-$TOP/userspace/tscmon}
FIXTURES=$TOP/selftests/fixtures
PROMDIR=$TOP/contrib/prometheus
RULES=$PROMDIR/tscmon-rules.yml
EXPORT=$TOP/contrib/systemd/tscmon-export
NODE_EXPORTER=${NODE_EXPORTER:-/usr/bin/prometheus-node-exporter}
PROMETHEUS=${PROMETHEUS:-/usr/bin/prometheus}
PROMTOOL=${PROMTOOL:-/usr/bin/promtool}

T_NUM=0
T_FAILED=0
T_NAME=$(basename "$0" .sh)

ok() {
	T_NUM=$((T_NUM + 1))
	echo "ok $T_NUM - $T_NAME: $*"
}

not_ok() {
	T_NUM=$((T_NUM + 1))
	T_FAILED=$((T_FAILED + 1))
	echo "not ok $T_NUM - $T_NAME: $*"
}

# check DESCRIPTION CMD...: one TAP line from CMD's exit status; CMD's
# output is shown, as TAP diagnostics, only when it fails.
check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$desc"
	else
		not_ok "$desc"
		diag "$out"
	fi
}

diag() {
	[ -n "$*" ] && printf '%s\n' "$*" | sed 's/^/# /'
	return 0
}

bail() {
	echo "Bail out! $T_NAME: $*"
	exit 2
}

done_testing() {
	echo "1..$T_NUM"
	[ "$T_FAILED" = 0 ] || {
		echo "# $T_NAME: $T_FAILED of $T_NUM failed"
		exit 1
	}
}

# Debian packages that provide each tool; installed when the tool is missing.
need() {
	local missing=() pair tool pkg
	for pair in "$@"; do
		tool=${pair%%=*}
		pkg=${pair#*=}
		[ -x "$tool" ] || command -v "$tool" >/dev/null 2>&1 || missing+=("$pkg")
	done
	[ ${#missing[@]} = 0 ] && return 0
	[ "$(id -u)" = 0 ] || bail "missing packages: ${missing[*]}; install them or run as root"
	echo "# installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 ||
		{ apt-get update -q >&2 && apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; } ||
		bail "apt-get install ${missing[*]} failed"
}

need_client() {
	[ -x "$TSCMON" ] || make -s -C "$TOP/userspace" >&2 || bail "cannot build the client"
	[ -x "$TSCMON" ] || bail "no client at $TSCMON"
}

# A temporary directory removed on exit, after the servers are stopped.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tscmon-fleet.XXXXXX")
SERVER_PIDS=()

cleanup() {
	local pid
	for pid in "${SERVER_PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${SERVER_PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	[ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# A TCP port on 127.0.0.1 that nothing listens on now. The kernel picks it
# from its ephemeral range; the server binds it a moment later.
free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# start_server SECONDS LOG CMD...: CMD in the background, killed after
# SECONDS at the latest (timeout), and on exit by cleanup. Sets SERVER_PID.
start_server() {
	local limit=$1 log=$2
	shift 2
	timeout --signal=TERM --kill-after=5 "$limit" "$@" >"$log" 2>&1 &
	SERVER_PID=$!
	SERVER_PIDS+=("$SERVER_PID")
}

# wait_http URL SECONDS PID: until URL answers 200, the server exits, or
# SECONDS pass.
wait_http() {
	local url=$1 limit=$2 pid=$3 t=0
	while [ "$t" -lt $((limit * 10)) ]; do
		curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.1
		t=$((t + 1))
	done
	return 1
}

# start_node_exporter DIR: node_exporter on a free loopback port with only
# the textfile collector, reading DIR. Sets NE_PORT, NE_PID, NE_LOG.
start_node_exporter() {
	local dir=$1 try
	for try in 1 2 3; do
		NE_PORT=$(free_port)
		NE_LOG=$WORK/node_exporter.$NE_PORT.log
		start_server 120 "$NE_LOG" "$NODE_EXPORTER" \
			--web.listen-address="127.0.0.1:$NE_PORT" \
			--collector.disable-defaults --collector.textfile \
			--collector.textfile.directory="$dir"
		NE_PID=$SERVER_PID
		wait_http "http://127.0.0.1:$NE_PORT/metrics" 15 "$NE_PID" && return 0
		kill "$NE_PID" 2>/dev/null || true
		diag "node_exporter on port $NE_PORT did not come up (try $try):" "$(tail -5 "$NE_LOG")"
	done
	return 1
}
