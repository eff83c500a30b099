// SPDX-License-Identifier: GPL-2.0
/*
 * The reader of tscmon recordings (docs/client.md, "Recordings"). The
 * structure must be exact (magic, version, block lengths, the end line);
 * inside the module's tables columns are found by name, "-" is unknown
 * and malformed rows are counted and skipped, as tscmon does live.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "record.h"

#define REC_MAX_COLS 64

struct rec_parser {
	struct arena *a;
	struct recording *r;
	char *pos;            /* next line */
	size_t lineno;
	struct rec_cpu *tmp;  /* this poll's CPUs, REC_MAX_CPUS of them */
	size_t tmp_n;
	int64_t mono0, max_seq;
	size_t cap_polls, cap_events;
	char *why;
	size_t whylen;
};

static int rec_fail(struct rec_parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int rec_fail(struct rec_parser *p, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(p->why, p->whylen, "line %zu: ", p->lineno);

	va_start(ap, fmt);
	vsnprintf(p->why + n, p->whylen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* The next line, NUL-terminated in place; NULL at the end. */
static char *rec_line(struct rec_parser *p)
{
	char *l = p->pos, *nl;

	if (!l || !*l)
		return NULL;
	nl = strchr(l, '\n');
	if (nl) {
		*nl = '\0';
		p->pos = nl + 1;
	} else {
		p->pos = l + strlen(l);
	}
	p->lineno++;
	return l;
}

/* Split on single spaces into at most MAX fields; returns the count. */
static size_t rec_split(char *s, char **v, size_t max)
{
	size_t n = 0;

	while (*s && n < max) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		v[n++] = s;
		while (*s && *s != ' ')
			s++;
		if (*s)
			*s++ = '\0';
	}
	return n;
}

static bool rec_int(const char *s, int64_t *v)
{
	if (!strcmp(s, "-")) {
		*v = REC_NONE;
		return true;
	}
	return util_parse_i64(s, v);
}

static int rec_col(char **names, size_t n, const char *want)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], want))
			return (int)i;
	return -1;
}

static int64_t rec_get(char **v, size_t n, int col, bool *bad)
{
	int64_t x = REC_NONE;

	if (col < 0)
		return REC_NONE;
	if ((size_t)col >= n || !rec_int(v[col], &x))
		*bad = true;
	return x;
}

/* One table row of module file NAME, by the header's column names. */
static void rec_row(struct rec_parser *p, const char *name, char **hdr,
		    size_t nh, char *row)
{
	char *v[REC_MAX_COLS];
	size_t n = rec_split(row, v, REC_MAX_COLS);
	struct recording *r = p->r;
	bool bad = false;
	int64_t cpu = rec_get(v, n, rec_col(hdr, nh, "cpu"), &bad);
	struct rec_cpu *c;

	if (!strcmp(name, "events")) {
		int64_t seq = rec_get(v, n, rec_col(hdr, nh, "seq"), &bad);
		int64_t tns = rec_get(v, n, rec_col(hdr, nh, "time_ns"), &bad);
		int kcol = rec_col(hdr, nh, "kind");
		struct rec_event *e;

		if (bad || seq == REC_NONE || tns == REC_NONE || kcol < 0 || (size_t)kcol >= n) {
			r->bad_rows++;
			return;
		}
		if (seq <= p->max_seq)
			return; /* seen at an earlier poll */
		p->max_seq = seq;
		if (r->nevents == p->cap_events) {
			struct rec_event *ne;

			p->cap_events = p->cap_events ? 2 * p->cap_events : 64;
			ne = arena_alloc(p->a, p->cap_events * sizeof(*ne));
			if (r->nevents)
				memcpy(ne, r->events, r->nevents * sizeof(*ne));
			r->events = ne;
		}
		e = &r->events[r->nevents++];
		e->t = (double)(tns - p->mono0) / 1e9;
		e->cpu = cpu;
		e->kind = arena_strdup(p->a, v[kcol]);
		e->change = rec_get(v, n, rec_col(hdr, nh, "change"), &bad);
		e->bound = rec_get(v, n, rec_col(hdr, nh, "bound"), &bad);
		return;
	}
	if (bad || cpu == REC_NONE || cpu < 0 || cpu >= REC_MAX_CPUS) {
		r->bad_rows++;
		return;
	}
	c = &p->tmp[cpu];
	if ((size_t)cpu + 1 > p->tmp_n)
		p->tmp_n = (size_t)cpu + 1;
	if (!strcmp(name, "cpus")) {
		c->skew = rec_get(v, n, rec_col(hdr, nh, "skew_cycles"), &bad);
		c->unc = rec_get(v, n, rec_col(hdr, nh, "uncertainty_cycles"), &bad);
		c->warps = rec_get(v, n, rec_col(hdr, nh, "warps"), &bad);
		c->idle_entries = rec_get(v, n, rec_col(hdr, nh, "idle_entries"), &bad);
	} else if (!strcmp(name, "idle")) {
		int64_t st = rec_get(v, n, rec_col(hdr, nh, "state"), &bad);
		int64_t ent = rec_get(v, n, rec_col(hdr, nh, "entries"), &bad);

		if (!bad && st >= 0 && st < REC_MAX_STATES) {
			c->state[st] = ent;
			if ((size_t)st + 1 > r->nstates)
				r->nstates = (size_t)st + 1;
			r->has_idle = true;
		}
	} else if (!strcmp(name, "freq")) {
		int64_t tn = rec_get(v, n, rec_col(hdr, nh, "transitions_notifier"), &bad);
		int64_t tt = rec_get(v, n, rec_col(hdr, nh, "transitions_tracepoint"), &bad);

		c->freq_trans = tn != REC_NONE ? tn : tt;
		c->cur_khz = rec_get(v, n, rec_col(hdr, nh, "cur_khz"), &bad);
		r->has_freq = true;
	} else if (!strcmp(name, "histogram")) {
		for (int b = 0; b < REC_HIST; b++) {
			char col[16];

			snprintf(col, sizeof(col), "b%d", b);
			r->hist[cpu][b] = rec_get(v, n, rec_col(hdr, nh, col), &bad);
		}
		r->has_hist = true;
	}
	if (bad)
		r->bad_rows++;
}

/* "file NAME N" and its N lines. */
static int rec_file(struct rec_parser *p, char **f, size_t nf,
		    struct rec_poll *poll)
{
	int64_t n;
	char *hdr[REC_MAX_COLS], *line;
	size_t nh = 0;
	bool table;

	if (nf != 3 || !util_parse_i64(f[2], &n) || n < 0 || n > 10000000)
		return rec_fail(p, "malformed file line (want \"file NAME LINES\")");
	table = !strcmp(f[1], "cpus") || !strcmp(f[1], "idle") || !strcmp(f[1], "freq") ||
		!strcmp(f[1], "histogram") || !strcmp(f[1], "events");
	for (int64_t i = 0; i < n; i++) {
		line = rec_line(p);
		if (!line)
			return rec_fail(p, "truncated: file %s ends after %lld of its %lld lines",
					f[1], (long long)i, (long long)n);
		if (!strcmp(f[1], "summary")) {
			char *kv[3];
			int64_t x;

			if (rec_split(line, kv, 3) == 2 && util_parse_i64(kv[1], &x)) {
				if (!strcmp(kv[0], "sweeps"))
					poll->sweeps = x;
				else if (!strcmp(kv[0], "tsc_khz") && p->r->tsc_khz == REC_NONE)
					p->r->tsc_khz = x;
			}
		} else if (table && i == 0) {
			nh = rec_split(line, hdr, REC_MAX_COLS);
		} else if (table) {
			rec_row(p, f[1], hdr, nh, line);
		}
	}
	return 0;
}

static void rec_poll_done(struct rec_parser *p, struct rec_poll *poll)
{
	poll->ncpus = p->tmp_n;
	poll->cpu = arena_alloc(p->a, (p->tmp_n ? p->tmp_n : 1) * sizeof(*poll->cpu));
	memcpy(poll->cpu, p->tmp, p->tmp_n * sizeof(*poll->cpu));
	if (p->tmp_n > p->r->ncpus)
		p->r->ncpus = p->tmp_n;
}

static void rec_tmp_reset(struct rec_parser *p)
{
	for (size_t i = 0; i < REC_MAX_CPUS; i++) {
		struct rec_cpu *c = &p->tmp[i];

		c->skew = c->unc = c->warps = c->idle_entries = REC_NONE;
		c->freq_trans = c->cur_khz = REC_NONE;
		for (size_t s = 0; s < REC_MAX_STATES; s++)
			c->state[s] = REC_NONE;
	}
	p->tmp_n = 0;
}

static int rec_meta(struct rec_parser *p, char *l)
{
	struct recording *r = p->r;
	char *key = l + 5, *val = strchr(key, ' ');
	int64_t x;

	if (!val)
		return rec_fail(p, "malformed meta line (want \"meta KEY VALUE\")");
	*val++ = '\0';
	if (!strcmp(key, "host"))
		r->host = val;
	else if (!strcmp(key, "kernel"))
		r->kernel = val;
	else if (!strcmp(key, "clocksource"))
		r->clocksource = val;
	else if (!strcmp(key, "tscmon"))
		r->version = val;
	else if (!strcmp(key, "started"))
		r->started = val;
	else if (!strcmp(key, "tsc_khz") && util_parse_i64(val, &x))
		r->tsc_khz = x;
	else if (!strcmp(key, "idle_state")) {
		char *name = strchr(val, ' ');

		if (name) {
			*name++ = '\0';
			if (util_parse_i64(val, &x) && x >= 0 && x < REC_MAX_STATES)
				r->state_name[x] = name;
		}
	}
	return 0; /* unknown keys are for later versions */
}

static int rec_body(struct rec_parser *p)
{
	struct recording *r = p->r;
	struct rec_poll *poll = NULL;
	char *l, *f[8];
	size_t nf;

	while ((l = rec_line(p))) {
		if (!*l || *l == '#')
			continue;
		if (!strncmp(l, "meta ", 5)) {
			if (r->npolls)
				return rec_fail(p, "meta line after the first poll");
			if (rec_meta(p, l))
				return -1;
			continue;
		}
		nf = rec_split(l, f, 8);
		if (!strcmp(f[0], "poll")) {
			int64_t seq, mono;

			if (nf != 4 || !util_parse_i64(f[1], &seq) || !util_parse_i64(f[2], &mono) || mono < 0)
				return rec_fail(p, "malformed poll line (want \"poll SEQ MONO_NS CLOCKSOURCE\")");
			if (poll)
				rec_poll_done(p, poll);
			if (r->npolls == REC_MAX_POLLS)
				return rec_fail(p, "more than %d polls", REC_MAX_POLLS);
			if (r->npolls == p->cap_polls) {
				struct rec_poll *np;

				p->cap_polls = p->cap_polls ? 2 * p->cap_polls : 64;
				np = arena_alloc(p->a, p->cap_polls * sizeof(*np));
				if (r->npolls)
					memcpy(np, r->polls, r->npolls * sizeof(*np));
				r->polls = np;
			}
			if (!r->npolls)
				p->mono0 = mono;
			else if (mono < r->polls[r->npolls - 1].mono_ns)
				return rec_fail(p, "poll times go backwards");
			poll = &r->polls[r->npolls++];
			poll->mono_ns = mono;
			poll->t = (double)(mono - p->mono0) / 1e9;
			poll->clocksource = arena_strdup(p->a, f[3]);
			poll->sweeps = REC_NONE;
			rec_tmp_reset(p);
		} else if (!strcmp(f[0], "file")) {
			if (!poll)
				return rec_fail(p, "file block before the first poll");
			if (rec_file(p, f, nf, poll))
				return -1;
		} else if (!strcmp(f[0], "switch")) {
			double ts;

			if (nf != 3 || !util_parse_double(f[1], &ts))
				return rec_fail(p, "malformed switch line (want \"switch SECONDS CLOCKSOURCE\")");
			if (r->nswitches < 256) {
				if (!r->switches)
					r->switches = arena_alloc(p->a, 256 * sizeof(*r->switches));
				r->switches[r->nswitches].t = ts - (double)p->mono0 / 1e9;
				r->switches[r->nswitches++].to = arena_strdup(p->a, f[2]);
			}
		} else if (!strcmp(f[0], "end")) {
			int64_t n;

			if (nf != 2 || !util_parse_i64(f[1], &n) || n != (int64_t)r->npolls)
				return rec_fail(p, "the end line counts %s polls, the file has %zu: truncated or edited",
						nf == 2 ? f[1] : "?", r->npolls);
			if (poll)
				rec_poll_done(p, poll);
			while ((l = rec_line(p)))
				if (*l)
					return rec_fail(p, "data after the end line");
			return 0;
		} else {
			return rec_fail(p, "unknown line \"%.40s\"", f[0]);
		}
	}
	return rec_fail(p, "truncated: no \"end\" line (the recording was cut short)");
}

int rec_parse(struct arena *a, char *text, size_t len, struct recording *r,
	      char *why, size_t whylen)
{
	struct rec_parser p = { .a = a, .r = r, .pos = text, .why = why,
				.whylen = whylen, .max_seq = -1 };
	char magic[32], *l;
	int ver, n = 0, rc;

	memset(r, 0, sizeof(*r));
	r->tsc_khz = REC_NONE;
	if (!len) {
		snprintf(why, whylen, "empty file, not a tscmon recording");
		return -1;
	}
	if (memchr(text, '\0', len)) {
		snprintf(why, whylen, "binary data (NUL bytes), not a tscmon recording");
		return -1;
	}
	l = rec_line(&p);
	if (!l || sscanf(l, "%31s %d%n", magic, &ver, &n) != 2 || strcmp(magic, REC_MAGIC) || l[n]) {
		snprintf(why, whylen, "not a tscmon recording (the first line must be \"%s %d\")",
			 REC_MAGIC, REC_VERSION);
		return -1;
	}
	if (ver != REC_VERSION) {
		snprintf(why, whylen, "recording format version %d is not supported (this tscmon reads version %d)",
			 ver, REC_VERSION);
		return -1;
	}
	p.tmp = arena_alloc(a, REC_MAX_CPUS * sizeof(*p.tmp));
	r->hist = arena_alloc(a, REC_MAX_CPUS * sizeof(*r->hist));
	rc = rec_body(&p);
	if (!rc && !r->npolls) {
		snprintf(why, whylen, "the recording has no polls: nothing to plot");
		rc = -1;
	}
	return rc;
}
