#!/usr/bin/env bats
# docs/tscmon.1: renders without warnings, and documents every command and
# option that tscmon --help lists.

load helpers

MAN="$TOP/docs/tscmon.1"

@test "man page renders without warnings (groff -ww, man --warnings, mandoc -Tlint)" {
	command -v groff >/dev/null || command -v mandoc >/dev/null || skip "neither groff nor mandoc installed"
	if command -v groff >/dev/null; then
		run bash -c "groff -man -Tutf8 -ww -z '$MAN' 2>&1"
		assert_success
		assert_output ""
	fi
	if command -v man >/dev/null; then
		run bash -c "MANWIDTH=80 man --warnings -l '$MAN' 2>&1 >/dev/null"
		assert_success
		assert_output ""
	fi
	if command -v mandoc >/dev/null; then
		run mandoc -Tlint -W warning "$MAN"
		assert_success
	fi
}

@test "man page has the required sections" {
	for s in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS FILES "EXIT STATUS" EXAMPLES "SEE ALSO"; do
		grep -qx "\.SH \"\?$s\"\?" "$MAN" || { echo "missing section $s"; return 1; }
	done
}

@test "every command and option of tscmon --help is in the man page" {
	command -v groff >/dev/null || skip "groff not installed"
	text=$(groff -man -Tutf8 -P-c -P-b -P-u "$MAN" 2>/dev/null | sed 's/\xe2\x80\x90/-/g')
	help=$("$TSCMON" --help)
	cmds=$(awk '/^commands:/ {on=1; next} /^$/ {on=0} on && /^  [a-z]/ {print $1}' <<<"$help" | sort -u)
	opts=$(grep -oE -- '(^|[ \[])--?[a-zA-Z][a-z-]*' <<<"$help" | tr -d ' [' | sort -u)
	[ -n "$cmds" ] && [ -n "$opts" ]
	for w in $cmds $opts; do
		grep -qF -- "$w" <<<"$text" || { echo "not in the man page: $w"; return 1; }
	done
	[ "$(wc -w <<<"$cmds")" -ge 6 ]
	[ "$(wc -w <<<"$opts")" -ge 12 ]
}
