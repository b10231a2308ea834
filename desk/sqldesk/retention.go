package sqldesk

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

// DefaultBatch is how many conversations one purge transaction deletes:
// small enough that the desk's own writes never wait long on it.
const DefaultBatch = 1000

// PurgeConversations deletes the conversations that ended before before
// (those never closed count from when they began) with their messages,
// batch conversations per transaction (DefaultBatch when batch <= 0), and
// returns how many of each it deleted. Runs at once in several places
// share the work without counting a row twice: on PostgreSQL a batch locks
// its rows and skips the rows another run holds; SQLite takes one writer
// at a time.
func (d *DB) PurgeConversations(ctx context.Context, before time.Time, batch int) (convs, msgs int64, err error) {
	if batch <= 0 {
		batch = DefaultBatch
	}
	for {
		c, m, err := d.purgeBatch(ctx, before.UnixMilli(), batch)
		convs, msgs = convs+c, msgs+m
		if err != nil || c == 0 {
			return convs, msgs, err
		}
	}
}

func (d *DB) purgeBatch(ctx context.Context, cutoff int64, batch int) (convs, msgs int64, err error) {
	tx, err := d.db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, 0, fail("purge conversations", err)
	}
	defer tx.Rollback() // after Commit, a no-op
	// enqueued_at <= the end of a conversation, so its index narrows the
	// search; the second test is the one that decides.
	q := `SELECT id FROM desk_conversations WHERE enqueued_at < ? AND COALESCE(closed_at, enqueued_at) < ?
		ORDER BY enqueued_at LIMIT ?`
	if tx.DriverName() == "postgres" {
		q += ` FOR UPDATE SKIP LOCKED`
	}
	var ids []string
	if err := tx.SelectContext(ctx, &ids, tx.Rebind(q), cutoff, cutoff, batch); err != nil {
		return 0, 0, fail("purge conversations", err)
	}
	if len(ids) == 0 {
		return 0, 0, nil
	}
	if msgs, err = deleteIn(ctx, tx, `DELETE FROM desk_messages WHERE conversation_id IN (?)`, ids); err != nil {
		return 0, 0, fail("purge messages", err)
	}
	if convs, err = deleteIn(ctx, tx, `DELETE FROM desk_conversations WHERE id IN (?)`, ids); err != nil {
		return 0, 0, fail("purge conversations", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, fail("purge conversations", err)
	}
	return convs, msgs, nil
}

func deleteIn(ctx context.Context, tx *sqlx.Tx, query string, ids []string) (int64, error) {
	q, args, err := sqlx.In(query, ids)
	if err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, tx.Rebind(q), args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
