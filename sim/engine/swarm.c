/*
** The worker pool: fork, a pipe per worker carrying one line per seed
** ("SEED PASS SCORE LOST FAULTS"), poll in the parent, wait at the end.
**
** SPDX-License-Identifier: MIT
*/
#include "swarm.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../base/alloc.h"

#define MAX_WORKERS 16

int swarm_in_shard(uint64_t seed, uint64_t k, uint64_t n)
{
	if (!n)
		return 1;
	return (seed == 0 ? n : (seed - 1) % n + 1) == k;
}

/* Run the seeds of worker w of nw; one line per seed onto fd.  The process's exit status. */
static int worker(const struct swarm_opts *o, int w, int nw, int fd)
{
	uint64_t k, nseeds = o->to - o->from + 1, mine = 0;
	/* By offset: a range that ends at the largest seed must not wrap around. */
	for (k = 0; k < nseeds && !(o->stop && *o->stop); k++) {
		struct swarm_row row;
		struct strbuf line = STRBUF_INIT;
		int rc;

		/* The shard's seeds, dealt out to the workers in turn. */
		if (!swarm_in_shard(o->from + k, o->shard_k, o->shard_n) || mine++ % (uint64_t)nw != (uint64_t)w)
			continue;
		memset(&row, 0, sizeof(row));
		rc = o->one(o->ctx, o->from + k, &row);
		if (!rc) {
			strbuf_addf(&line, "%llu %d %d %llu %s\n", (unsigned long long)(o->from + k), row.pass,
				    row.score, (unsigned long long)row.lost,
				    row.faults && *row.faults ? row.faults : "-");
			if (write(fd, line.buf, line.len) != (ssize_t)line.len)
				rc = 3;
		}
		free(row.faults);
		strbuf_release(&line);
		if (rc)
			return rc;
	}
	return 0;
}

/* Stop the workers started so far and wait for them. */
static void stop_all(const pid_t *pids, const int *fds, int n)
{
	int w, status;
	for (w = 0; w < n; w++)
		kill(pids[w], SIGTERM);
	for (w = 0; w < n; w++) {
		close(fds[w]);
		while (waitpid(pids[w], &status, 0) < 0 && errno == EINTR)
			;
	}
}

/* The complete lines of buf into out's rows; what is left waits for more. */
static void take_lines(struct strbuf *buf, struct swarm_result *out, size_t *alloc)
{
	char *line = buf->buf, *nl;
	while ((nl = strchr(line, '\n')) != NULL) {
		struct swarm_row r;
		unsigned long long seed, lost;
		int at = 0;
		*nl = '\0';
		memset(&r, 0, sizeof(r));
		if (sscanf(line, "%llu %d %d %llu %n", &seed, &r.pass, &r.score, &lost, &at) == 4 && at) {
			r.seed = seed;
			r.lost = lost;
			r.faults = xstrdup(strcmp(line + at, "-") ? line + at : "");
			ALLOC_GROW(out->rows, out->nrows + 1, *alloc);
			out->rows[out->nrows++] = r;
			out->passed += r.pass != 0;
		}
		line = nl + 1;
	}
	memmove(buf->buf, line, strlen(line) + 1);
	strbuf_setlen(buf, strlen(buf->buf));
}

static int cmp_seed(const void *a, const void *b)
{
	const struct swarm_row *x = a, *y = b;
	return x->seed < y->seed ? -1 : x->seed > y->seed;
}

void swarm_summarise(struct swarm_result *out)
{
	size_t i;
	memset(out->hist, 0, sizeof(out->hist));
	out->worst = 0;
	out->passed = 0;
	if (out->nrows > 1) /* qsort(NULL, 0, ...) is undefined */
		qsort(out->rows, out->nrows, sizeof(*out->rows), cmp_seed);
	for (i = 0; i < out->nrows; i++) {
		const struct swarm_row *r = &out->rows[i], *b = &out->rows[out->worst];
		out->passed += r->pass != 0;
		out->hist[r->score / 10 > 10 ? 10 : r->score / 10]++;
		if (r->score < b->score || (r->score == b->score && r->lost > b->lost))
			out->worst = i;
	}
}

/* How many seeds of o's range are its shard's. */
static uint64_t shard_seeds(const struct swarm_opts *o)
{
	uint64_t n = 0, s;
	for (s = o->from;; s++) {
		n += swarm_in_shard(s, o->shard_k, o->shard_n);
		if (s == o->to)
			break;
	}
	return n;
}

/* One worker per core (or o's number), at most MAX_WORKERS, at most one a seed. */
static int workers_for(const struct swarm_opts *o, uint64_t nseeds)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int nw = o->workers > 0 ? o->workers : (int)(ncpu < 1 ? 1 : ncpu);

	if (nw > MAX_WORKERS)
		nw = MAX_WORKERS;
	if ((uint64_t)nw > nseeds)
		nw = (int)nseeds;
	return nw;
}

int swarm_workers(const struct swarm_opts *o)
{
	return workers_for(o, shard_seeds(o));
}

int swarm_run(const struct swarm_opts *o, struct swarm_result *out, int *worker_rc, struct strbuf *err)
{
	uint64_t nseeds = shard_seeds(o);
	int nw = workers_for(o, nseeds);
	int w, open_fds;
	struct strbuf bufs[MAX_WORKERS];
	struct pollfd pfds[MAX_WORKERS];
	pid_t pids[MAX_WORKERS];
	int fds[MAX_WORKERS];
	size_t alloc = 0;

	memset(out, 0, sizeof(*out));
	*worker_rc = 0;
	if (!nseeds)
		return 0; /* a shard the range does not reach: nothing to run */
	fflush(stdout);
	fflush(stderr);
	for (w = 0; w < nw; w++) {
		int p[2];
		if (pipe(p)) {
			stop_all(pids, fds, w);
			return strbuf_error(err, SWARM_EWORKER, "cannot start a swarm worker: %s", strerror(errno));
		}
		if ((pids[w] = fork()) < 0) {
			strbuf_error(err, SWARM_EWORKER, "cannot start a swarm worker: %s", strerror(errno));
			close(p[0]);
			close(p[1]);
			stop_all(pids, fds, w);
			return SWARM_EWORKER;
		}
		if (!pids[w]) {
			close(p[0]);
			_exit(worker(o, w, nw, p[1]));
		}
		close(p[1]);
		fds[w] = p[0];
		strbuf_init(&bufs[w]);
	}
	/*
	** Read all workers as their lines come (a full pipe would stall one),
	** and look at the stop flag between reads: a TERM to this process
	** alone must stop the workers too.
	*/
	for (open_fds = nw; open_fds > 0 && !(o->stop && *o->stop);) {
		for (w = 0; w < nw; w++) {
			pfds[w].fd = fds[w];
			pfds[w].events = POLLIN;
			pfds[w].revents = 0;
		}
		if (poll(pfds, (nfds_t)nw, 200) <= 0)
			continue;
		for (w = 0; w < nw; w++) {
			char chunk[4096];
			ssize_t n;
			if (fds[w] < 0 || !pfds[w].revents)
				continue;
			n = read(fds[w], chunk, sizeof(chunk));
			if (n > 0) {
				size_t before = out->nrows;
				strbuf_add(&bufs[w], chunk, (size_t)n);
				take_lines(&bufs[w], out, &alloc);
				if (o->progress && out->nrows != before)
					o->progress(o->progress_ctx, out->nrows, (size_t)nseeds, out->passed);
			} else if (n == 0 || errno != EINTR) {
				close(fds[w]);
				fds[w] = -1;
				open_fds--;
			}
		}
	}
	for (w = 0; w < nw; w++) {
		int status = 0;
		if (o->stop && *o->stop)
			kill(pids[w], SIGTERM);
		if (fds[w] >= 0)
			close(fds[w]);
		while (waitpid(pids[w], &status, 0) < 0 && errno == EINTR)
			;
		if (!*worker_rc && (!WIFEXITED(status) || WEXITSTATUS(status)))
			*worker_rc = WIFEXITED(status) ? WEXITSTATUS(status) : 3;
		strbuf_release(&bufs[w]);
	}
	if (o->stop && *o->stop)
		return strbuf_error(err, SWARM_EINTR, "interrupted; the workers' databases are removed");
	if (*worker_rc)
		return strbuf_error(err, SWARM_EWORKER, "a swarm worker could not run its drills (exit %d)",
				    *worker_rc);
	if (!out->nrows)
		return strbuf_error(err, SWARM_EWORKER, "the swarm ran no drill");
	swarm_summarise(out);
	return 0;
}

void swarm_result_release(struct swarm_result *r)
{
	size_t i;
	for (i = 0; i < r->nrows; i++)
		free(r->rows[i].faults);
	free(r->rows);
	memset(r, 0, sizeof(*r));
}
