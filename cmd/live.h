/*
** The live drill's two halves on the command line: the drill itself
** (cmd/drill.c), paced to the wall clock, with its dashboard and its
** control socket, and the team's commands that talk to it from another
** terminal (cmd/drillctl.c).  The protocol between them: one request line,
** fields separated by tabs; the answer's lines, the last "exit N".
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_CMD_LIVE_H
#define MDRILL_CMD_LIVE_H

#include "../scoring/live.h"
#include "../scoring/record.h"
#include "../sim/base/strbuf.h"

/* Where the drills of this user keep their private directories. */
#define LIVE_DIR_PREFIX "mdrill-live-"
#define LIVE_SOCKET "control.sock"

/** The directory drills make their private directories in: $TMPDIR, else /tmp. */
const char *live_tmpdir(void);

/**
 * A team's command: argv[0] is apply, flag, down, status or end.  Finds
 * the drill (one running for this user, or --drill PATH), sends the
 * request, prints the answer and returns the drill's exit status for it.
 */
int drillctl_run(int argc, char **argv);

/** Is word one of the team's commands? */
int drillctl_is_command(const char *word);

struct cli_command;
/** The team's commands' tables (drill apply, flag, down, status, end), NULL-terminated: help reads them. */
extern const struct cli_command *const drillctl_commands[];

/**
 * Replay rec into l (on --db db when it ran on a server) and say in *same
 * whether the scorecard is the record's.  Returns 0, with l live and its
 * scenario (l->sc) the caller's to free after live_release; or an exit
 * status after saying why.
 */
int replay_record(const struct live_record *rec, const char *db, struct live *l, int *same);

/** live_release for a replay: its database goes, and what could not be removed is warned of. */
void replay_release(struct live *l);

#endif
