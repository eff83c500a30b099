/* SPDX-License-Identifier: GPL-2.0 */
/* Planning a guest: the seed's S7 table, S8 (lpj) and S9 (Windows). */
#ifndef TSCMON_GUEST_H
#define TSCMON_GUEST_H

#include "advice.h"

/* Is OS one of the names advise --guest accepts? */
bool guest_os_known(const char *os);
const char *guest_os_list(void);
/*
 * Check that O names a guest row fully (arch/pvclock where the table needs
 * them). Returns NULL, or a one-line usage error.
 */
const char *guest_validate(const struct advice_opts *o);
/* Add the S7/S8/S9 (or modern) items for O->guest_os to AD. */
void guest_advise(const struct facts *f, const struct advice_opts *o,
		  struct advice *ad);
/* Add the S7 table (all rows) and S8/S9 for a host without constant_tsc. */
void guest_table_items(const struct facts *f, struct advice *ad);
/*
 * loops_per_jiffy for a guest kernel with HZ, from this host's log or
 * BogoMIPS. Returns -1 if unknown. HOW gets the lines that explain it.
 */
int64_t guest_lpj(const struct facts *f, int hz, struct strlist *how);

#endif
