/*
 * multi: transactions for clients (MULTI, EXEC, DISCARD) and optimistic locking (WATCH).
 *
 * A connection in MULTI has its commands copied into a queue (their argv views would not
 * survive the query buffer) and runs them at EXEC. WATCHed keys are kept in one server-wide
 * list; every change to a key, from a client or from the primary's stream, is signalled
 * through cmd_signal_modified and marks the watchers dirty, so their EXEC answers a null array.
 */
#ifndef REPLICANT_MULTI_H
#define REPLICANT_MULTI_H

#include <stdbool.h>
#include <stddef.h>

#include "protocol/resp.h"

struct server;
struct conn;
struct db;
struct cmd_def;

/* True when c is between MULTI and EXEC/DISCARD. */
bool multi_active(const struct conn *c);
/* Marks c's transaction as failed (a command was refused while queueing): EXEC will abort. */
void multi_flag_error(struct conn *c);
/* Copies the request into c's queue and replies +QUEUED. */
void multi_queue(struct conn *c, const struct cmd_def *def, const struct resp_arg *argv, int argc);
/* Drops c's queue and WATCHes (DISCARD, RESET, EXEC, and when c closes). */
void multi_reset(struct conn *c);

/* A key changed: every client watching (db, key) will see its EXEC fail. */
void multi_touch_key(struct server *srv, struct db *db, const char *key, size_t klen);
/*
 * Every watched key of db (of every db if db is NULL) that exists is touched: call before a
 * flush. With with != NULL (SWAPDB db with), a watched key of either db is touched if it
 * exists in either, as Redis' touchAllWatchedKeysInDb does. Call before the change.
 */
void multi_touch_db(struct server *srv, struct db *db, struct db *with);

#endif
