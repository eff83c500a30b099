/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What estimator.c needs from the kernel, for building it in userspace:
 * the fixed-width types, their limits and the 64-bit division helpers of
 * linux/math64.h. x86 userspace only, like the rest of tscmon.
 */
#ifndef TSCMON_ESTIMATOR_USER_H
#define TSCMON_ESTIMATOR_USER_H

typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long s64;

#define U64_MAX		(~0ULL)
#define S64_MAX		((s64)(U64_MAX >> 1))
#define S64_MIN		(-S64_MAX - 1)

static inline u64 div64_u64(u64 a, u64 b)
{
	return a / b;
}

static inline s64 div64_s64(s64 a, s64 b)
{
	return a / b;
}

#endif /* TSCMON_ESTIMATOR_USER_H */
