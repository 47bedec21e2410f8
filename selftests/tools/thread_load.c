// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * thread_load: a process with many threads, for the benchmarks and the
 * reliability tests.
 *
 *	thread_load [-s SLEEPERS] [-b BUSY] [-r FILE]
 *
 * SLEEPERS threads sleep in the kernel (pause()) for good; BUSY threads spin
 * in user space and never make a system call.  Once every thread runs, it
 * writes "ready <threads>" to FILE (or stdout), then waits for SIGTERM or
 * SIGINT and exits, taking every thread with it.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile unsigned long spin_sink;
static pthread_mutex_t started_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t started_cond = PTHREAD_COND_INITIALIZER;
static unsigned long started;

static void mark_started(void)
{
	pthread_mutex_lock(&started_lock);
	started++;
	pthread_cond_signal(&started_cond);
	pthread_mutex_unlock(&started_lock);
}

static void *sleeper(void *unused)
{
	(void)unused;
	mark_started();
	for (;;)
		pause();
	return NULL;
}

static void *spinner(void *unused)
{
	(void)unused;
	mark_started();
	for (;;)
		spin_sink++;
	return NULL;
}

static unsigned long parse_count(const char *arg, const char *what)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(arg, &end, 10);
	if (errno || *end || end == arg) {
		fprintf(stderr, "thread_load: bad %s count '%s'\n", what, arg);
		exit(64);
	}
	return n;
}

static int start_threads(unsigned long n, void *(*fn)(void *),
			 pthread_attr_t *attr)
{
	unsigned long i;
	pthread_t t;
	int err;

	for (i = 0; i < n; i++) {
		err = pthread_create(&t, attr, fn, NULL);
		if (err) {
			fprintf(stderr, "thread_load: cannot start thread %lu: %s\n",
				i + 1, strerror(err));
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long sleepers = 0, spinners = 0;
	const char *ready_file = NULL;
	pthread_attr_t attr;
	sigset_t stop;
	FILE *out;
	int opt, sig;

	while ((opt = getopt(argc, argv, "s:b:r:")) != -1) {
		switch (opt) {
		case 's':
			sleepers = parse_count(optarg, "sleeper");
			break;
		case 'b':
			spinners = parse_count(optarg, "busy");
			break;
		case 'r':
			ready_file = optarg;
			break;
		default:
			fprintf(stderr, "usage: thread_load [-s SLEEPERS] [-b BUSY] [-r FILE]\n");
			return 64;
		}
	}

	/* Only the main thread takes the stop signals. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);

	/* Small stacks: thousands of threads fit in a small guest. */
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN);
	if (start_threads(sleepers, sleeper, &attr) ||
	    start_threads(spinners, spinner, &attr))
		return 1;

	pthread_mutex_lock(&started_lock);
	while (started < sleepers + spinners)
		pthread_cond_wait(&started_cond, &started_lock);
	pthread_mutex_unlock(&started_lock);

	out = ready_file ? fopen(ready_file, "w") : stdout;
	if (!out) {
		fprintf(stderr, "thread_load: cannot write %s: %s\n", ready_file,
			strerror(errno));
		return 1;
	}
	fprintf(out, "ready %lu\n", sleepers + spinners);
	if (ready_file)
		fclose(out);
	else
		fflush(out);

	sigwait(&stop, &sig);
	return 0;
}
