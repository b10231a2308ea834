package sqldesk

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/internal/errs"
)

var _ desk.Records = (*DB)(nil)

// Opened implements desk.Records.
func (d *DB) Opened(ctx context.Context, c desk.Conversation, history []desk.Message) error {
	tx, err := d.db.BeginTxx(ctx, nil)
	if err != nil {
		return fail("record hand-over", err)
	}
	defer tx.Rollback() // after Commit, a no-op
	_, err = tx.ExecContext(ctx, tx.Rebind(`INSERT INTO desk_conversations
		(id, chat, channel, reason, cuil, validated, in_hours, enqueued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
		c.ID, c.Chat, c.Channel, c.Reason, c.CUIL, c.Validated, c.Status != desk.Pending, c.Enqueued.UnixMilli())
	if err != nil {
		return fail("record hand-over", err)
	}
	for _, m := range history {
		if err := insertMessage(ctx, tx, c.ID, m); err != nil {
			return fail("record transcript", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fail("record hand-over", err)
	}
	return nil
}

func insertMessage(ctx context.Context, tx sqlx.ExtContext, conv string, m desk.Message) error {
	_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO desk_messages (conversation_id, at, sender, agent, body)
		VALUES (?, ?, ?, ?, ?)`), conv, m.At.UnixMilli(), m.From, m.Agent, m.Text)
	return err
}

// Said implements desk.Records.
func (d *DB) Said(ctx context.Context, conv string, m desk.Message) error {
	if err := insertMessage(ctx, d.db, conv, m); err != nil {
		return fail("record message", err)
	}
	return nil
}

// Taken implements desk.Records: a conversation taken again (given back
// by an agent who left) keeps its first take's time, as the wait.
func (d *DB) Taken(ctx context.Context, conv, agent string, at time.Time) error {
	res, err := d.exec(ctx, "record take", `UPDATE desk_conversations SET agent = ?, taken_at = COALESCE(taken_at, ?) WHERE id = ?`,
		agent, at.UnixMilli(), conv)
	if err != nil {
		return err
	}
	return mustAffect("record take", res)
}

// Closed implements desk.Records.
func (d *DB) Closed(ctx context.Context, conv string, at time.Time, outcome string) error {
	res, err := d.exec(ctx, "record close", `UPDATE desk_conversations SET closed_at = ?, outcome = ? WHERE id = ?`,
		at.UnixMilli(), outcome, conv)
	if err != nil {
		return err
	}
	return mustAffect("record close", res)
}

// Rated implements desk.Records: the rating goes to the chat's latest
// conversation an agent closed.
func (d *DB) Rated(ctx context.Context, chat string, useful bool) error {
	rating := 0
	if useful {
		rating = 1
	}
	res, err := d.exec(ctx, "record rating", `UPDATE desk_conversations SET rating = ? WHERE id = (
		SELECT id FROM desk_conversations WHERE chat = ? AND outcome = ? ORDER BY closed_at DESC LIMIT 1)`,
		rating, chat, desk.OutcomeResolved)
	if err != nil {
		return err
	}
	return mustAffect("record rating", res)
}

// Record is one conversation as recorded, for reports and tests.
type Record struct {
	ID       string  `db:"id"`
	Chat     string  `db:"chat"`
	Agent    *string `db:"agent"`
	Enqueued int64   `db:"enqueued_at"`
	Taken    *int64  `db:"taken_at"`
	Closed   *int64  `db:"closed_at"`
	Outcome  *string `db:"outcome"`
	Rating   *int    `db:"rating"`
	Messages []desk.Message
}

// Conversation returns the record of conversation id with its messages.
func (d *DB) Conversation(ctx context.Context, id string) (Record, error) {
	var r Record
	err := d.db.GetContext(ctx, &r, d.db.Rebind(`SELECT id, chat, agent, enqueued_at, taken_at, closed_at, outcome, rating
		FROM desk_conversations WHERE id = ?`), id)
	if err != nil {
		return Record{}, fail("conversation", err)
	}
	var rows []struct {
		At     int64  `db:"at"`
		Sender string `db:"sender"`
		Agent  string `db:"agent"`
		Body   string `db:"body"`
	}
	err = d.db.SelectContext(ctx, &rows, d.db.Rebind(`SELECT at, sender, agent, body FROM desk_messages
		WHERE conversation_id = ? ORDER BY id`), id)
	if err != nil {
		return Record{}, fail("conversation messages", fmt.Errorf("%w", err))
	}
	for _, m := range rows {
		r.Messages = append(r.Messages, desk.Message{At: time.UnixMilli(m.At), From: m.Sender, Agent: m.Agent, Text: m.Body})
	}
	return r, nil
}

// LastConversation is the id of chat's latest conversation on the desk;
// NotFound when it had none.
func (d *DB) LastConversation(ctx context.Context, chat string) (string, error) {
	var ids []string
	err := d.db.SelectContext(ctx, &ids, d.db.Rebind(`SELECT id FROM desk_conversations WHERE chat = ?
		ORDER BY enqueued_at DESC LIMIT 1`), chat)
	if err != nil {
		return "", fail("last conversation", err)
	}
	if len(ids) == 0 {
		return "", errs.E(errs.NotFound, "last conversation", errors.New("no conversation of this chat"))
	}
	return ids[0], nil
}

var _ desk.OpenRecords = (*DB)(nil)

// OpenBefore implements desk.OpenRecords.
func (d *DB) OpenBefore(ctx context.Context, t time.Time) ([]desk.Conversation, error) {
	var rows []struct {
		ID   string `db:"id"`
		Chat string `db:"chat"`
	}
	err := d.db.SelectContext(ctx, &rows, d.db.Rebind(`SELECT id, chat FROM desk_conversations
		WHERE closed_at IS NULL AND enqueued_at < ? ORDER BY enqueued_at LIMIT 1000`), t.UnixMilli())
	if err != nil {
		return nil, fail("open conversations", err)
	}
	out := make([]desk.Conversation, len(rows))
	for i, r := range rows {
		out[i] = desk.Conversation{ID: r.ID, Chat: r.Chat}
	}
	return out, nil
}

// CloseOpen implements desk.OpenRecords.
func (d *DB) CloseOpen(ctx context.Context, conv string, at time.Time, outcome string) (bool, error) {
	res, err := d.exec(ctx, "record close if open", `UPDATE desk_conversations SET closed_at = ?, outcome = ? WHERE id = ? AND closed_at IS NULL`,
		at.UnixMilli(), outcome, conv)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fail("record close if open", err)
	}
	return n == 1, nil
}
