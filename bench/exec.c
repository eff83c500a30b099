// SPDX-License-Identifier: GPL-2.0
/*
 * bench_exec: runs a command N times and reports its wall time (smallest
 * and median, from CLOCK_MONOTONIC around fork and wait) and its peak
 * resident memory (ru_maxrss from wait4, the largest over the runs).
 * The command's output goes to /dev/null, except with -o FILE, where the
 * first run's output is kept.
 *
 * Usage: bench_exec [-n N] [-o FILE] -- COMMAND [ARG...]
 * Prints: wall_min_ns=.. wall_median_ns=.. maxrss_kib=.. rc=.. (rc: the
 * exit status of the first run, or 128+signal).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	const char *out = NULL;
	unsigned long long *wall;
	long maxrss = 0;
	int opt, n = 10, i, rc = -1;

	while ((opt = getopt(argc, argv, "+n:o:")) != -1) {
		switch (opt) {
		case 'n':
			n = atoi(optarg);
			break;
		case 'o':
			out = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (optind >= argc || n < 1)
		goto usage;
	wall = calloc((size_t)n, sizeof(*wall));
	if (!wall)
		return 2;
	for (i = 0; i < n; i++) {
		struct rusage ru;
		unsigned long long t0 = now_ns();
		int status, fd;
		pid_t pid = fork();

		if (pid < 0) {
			perror("bench_exec: fork");
			return 2;
		}
		if (!pid) {
			fd = open(i == 0 && out ? out : "/dev/null",
				  O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (fd < 0 || dup2(fd, 1) < 0)
				_exit(126);
			execvp(argv[optind], argv + optind);
			_exit(127);
		}
		if (wait4(pid, &status, 0, &ru) < 0) {
			perror("bench_exec: wait4");
			return 2;
		}
		wall[i] = now_ns() - t0;
		if (ru.ru_maxrss > maxrss)
			maxrss = ru.ru_maxrss;
		if (i == 0)
			rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
	qsort(wall, (size_t)n, sizeof(*wall), cmp);
	printf("wall_min_ns=%llu wall_median_ns=%llu maxrss_kib=%ld rc=%d\n",
	       wall[0], wall[n / 2], maxrss, rc);
	free(wall);
	return 0;
usage:
	fprintf(stderr, "usage: bench_exec [-n N] [-o FILE] -- COMMAND [ARG...]\n");
	return 2;
}
