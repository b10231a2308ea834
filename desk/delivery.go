package desk

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"regexp"

	"github.com/clavebot/clavebot/internal/errs"
)

// replyIDPattern is what an agent's page may use as a reply's id.
var replyIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)

// replyKey is the outbox key of an agent's reply: "agent:<id>", with a new
// id when the page sent none.
func replyKey(id string) (string, error) {
	if id == "" {
		return "agent:" + rand.Text(), nil
	}
	if !replyIDPattern.MatchString(id) {
		return "", errs.E(errs.Invalid, "desk reply", errors.New("a reply id has 8 to 64 letters, digits, - or _"))
	}
	return "agent:" + id, nil
}

// said reports whether the conversation already holds the message with
// key (a reply sent again after a timeout).
func said(msgs []Message, key string) bool {
	for _, m := range msgs {
		if m.ID == key {
			return true
		}
	}
	return false
}

func positionKey() string { return "position:" + rand.Text() }

// Stopped takes chat off the desk because nothing can reach the person
// any more (they blocked the bot): it leaves the queue, or the agent who
// had it, with that reason, and the record says so.
func (d *Handoffs) Stopped(ctx context.Context, chat, reason string) error {
	c, err := d.q.Remove(ctx, chat)
	if errs.Is(errs.NotFound, err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("desk: stopped: %w", err)
	}
	if err := d.rec.Closed(ctx, c.ID, d.cfg.Now(), OutcomeStopped); err != nil {
		d.cfg.Log.Warn("stop not recorded", "err", err)
	}
	d.cfg.Log.Info("chat left the desk: the person cannot be reached", "channel", c.Channel, "reason", reason)
	if err := d.q.Publish(ctx, Event{Kind: "closed", Chat: chat, Reason: reason}); err != nil {
		d.cfg.Log.Warn("desk event not published", "err", err)
	}
	if c.Status == Waiting {
		d.tellPositions(ctx)
	}
	return nil
}
