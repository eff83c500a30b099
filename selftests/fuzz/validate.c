// SPDX-License-Identifier: GPL-2.0
/* A recursive-descent JSON checker and a line checker for Prometheus. */
#include "validate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

struct cur {
	const unsigned char *p, *end;
};

/* The length of the UTF-8 sequence at P (shortest form, no surrogates), or 0. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
	size_t n = (size_t)(end - p);
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		return n >= 2 && (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (p[0] >= 0xe0 && p[0] <= 0xef) {
		if (n < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		cp = (uint32_t)(p[0] & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 |
		     (p[2] & 0x3f);
		return cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff) ? 3 : 0;
	}
	if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		if (n < 4 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[3] & 0xc0) != 0x80)
			return 0;
		cp = (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 |
		     (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
		return cp >= 0x10000 && cp <= 0x10ffff ? 4 : 0;
	}
	return 0;
}

static bool utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	while (p < end) {
		size_t n = utf8_len(p, end);

		if (!n)
			return false;
		p += n;
	}
	return true;
}

static void ws(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' ||
				 *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static bool lit(struct cur *c, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n))
		return false;
	c->p += n;
	return true;
}

static bool digits(struct cur *c)
{
	const unsigned char *start = c->p;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
		c->p++;
	return c->p > start;
}

static bool number(struct cur *c)
{
	if (c->p < c->end && *c->p == '-')
		c->p++;
	if (c->p < c->end && *c->p == '0')
		c->p++;
	else if (!(c->p < c->end && *c->p >= '1' && *c->p <= '9') || !digits(c))
		return false;
	if (c->p < c->end && *c->p == '.') {
		c->p++;
		if (!digits(c))
			return false;
	}
	if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
		c->p++;
		if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
			c->p++;
		if (!digits(c))
			return false;
	}
	return true;
}

static bool string(struct cur *c)
{
	if (c->p >= c->end || *c->p != '"')
		return false;
	c->p++;
	while (c->p < c->end && *c->p != '"') {
		if (*c->p < 0x20)
			return false;
		if (*c->p == '\\') {
			c->p++;
			if (c->p >= c->end)
				return false;
			if (*c->p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (c->p + i >= c->end ||
					    !strchr("0123456789abcdefABCDEF", c->p[i]) ||
					    !c->p[i])
						return false;
				c->p += 5;
			} else if (*c->p && strchr("\"\\/bfnrt", *c->p)) {
				c->p++;
			} else {
				return false;
			}
			continue;
		}
		{
			size_t n = utf8_len(c->p, c->end);

			if (!n)
				return false;
			c->p += n;
		}
	}
	if (c->p >= c->end)
		return false;
	c->p++;
	return true;
}

static bool value(struct cur *c, int depth);

static bool members(struct cur *c, int depth, char close, bool keys)
{
	c->p++;
	ws(c);
	if (c->p < c->end && *c->p == close) {
		c->p++;
		return true;
	}
	for (;;) {
		ws(c);
		if (keys) {
			if (!string(c))
				return false;
			ws(c);
			if (c->p >= c->end || *c->p != ':')
				return false;
			c->p++;
		}
		if (!value(c, depth + 1))
			return false;
		ws(c);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == close) {
			c->p++;
			return true;
		}
		return false;
	}
}

static bool value(struct cur *c, int depth)
{
	if (depth > MAX_DEPTH)
		return false;
	ws(c);
	if (c->p >= c->end)
		return false;
	switch (*c->p) {
	case '{': return members(c, depth, '}', true);
	case '[': return members(c, depth, ']', false);
	case '"': return string(c);
	case 't': return lit(c, "true");
	case 'f': return lit(c, "false");
	case 'n': return lit(c, "null");
	default: return number(c);
	}
}

bool json_valid(const char *s, size_t len)
{
	struct cur c = { (const unsigned char *)s, (const unsigned char *)s + len };

	if (!value(&c, 0))
		return false;
	ws(&c);
	return c.p == c.end;
}

static bool prom_name(const char **p, const char *end)
{
	const char *start = *p;

	while (*p < end && (**p == '_' || **p == ':' || (**p >= 'a' && **p <= 'z') ||
			    (**p >= 'A' && **p <= 'Z') ||
			    (*p > start && **p >= '0' && **p <= '9')))
		(*p)++;
	return *p > start;
}

/* A sample value: a float as Go's ParseFloat takes it, or NaN / +Inf / -Inf. */
static bool prom_number(const char *s, const char *end)
{
	char buf[64], *stop;
	size_t n = (size_t)(end - s);

	if (!n || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (!strcmp(buf, "NaN") || !strcmp(buf, "+Inf") || !strcmp(buf, "-Inf"))
		return true;
	if (strpbrk(buf, "xXnNiIpP"))
		return false; /* no hex floats, no spelled-out specials */
	(void)strtod(buf, &stop);
	return *stop == '\0' && stop != buf;
}

static bool prom_line(const char *p, const char *end)
{
	if (p < end && *p == '#') {
		if (end - p > 7 && (!memcmp(p, "# HELP ", 7) || !memcmp(p, "# TYPE ", 7))) {
			p += 7;
			return prom_name(&p, end) && p < end && *p == ' ';
		}
		return true; /* a comment */
	}
	if (!prom_name(&p, end))
		return false;
	if (p < end && *p == '{') {
		p++;
		while (p < end && *p != '}') {
			if (!prom_name(&p, end) || p + 1 >= end || p[0] != '=' || p[1] != '"')
				return false;
			for (p += 2; p < end && *p != '"'; p++)
				if (*p == '\\' && (++p >= end || !strchr("\\\"n", *p) || !*p))
					return false;
			if (p >= end)
				return false;
			p++;
			if (p < end && *p == ',')
				p++;
		}
		if (p >= end)
			return false;
		p++;
	}
	if (p >= end || *p != ' ')
		return false;
	p++;
	return prom_number(p, end);
}

bool prom_valid(const char *s, size_t len)
{
	const char *p = s, *end = s + len;

	if (!utf8_valid(s, len) || (len && s[len - 1] != '\n'))
		return false;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (!nl || !prom_line(p, nl))
			return false;
		p = nl + 1;
	}
	return true;
}
