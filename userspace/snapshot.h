/* SPDX-License-Identifier: GPL-2.0 */
/* `tscmon snapshot OUT_DIR`: copy every input into a --root tree. */
#ifndef TSCMON_SNAPSHOT_H
#define TSCMON_SNAPSHOT_H

/* Returns an exit code: 0, or 73 if OUT_DIR cannot be written. */
int snapshot_run(const char *root, const char *out_dir);

#endif
