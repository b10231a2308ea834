package desk

import (
	"context"
	"crypto/rand"
	"fmt"
	"regexp"
	"strings"

	"github.com/clavebot/clavebot/internal/errs"
)

// replyIDPattern is what an agent's page may use as a reply's id.
var replyIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)

// replyKey is the outbox key of agent's reply: "agent:<agent>:<id>", with
// a new id when the page sent none. The agent in it tells whose a reply
// the outbox gave up on is (MaySeeUndelivered); names and ids hold no ':'.
func replyKey(agent, id string) (string, error) {
	if id == "" {
		return "agent:" + agent + ":" + rand.Text(), nil
	}
	if !replyIDPattern.MatchString(id) {
		return "", errs.E(errs.Invalid, "desk reply", errReplyID)
	}
	return "agent:" + agent + ":" + id, nil
}

// deskNotices are the kinds of key (before the first ':') of what the desk
// itself tells a person: who took the chat, their place in the line, the
// desk opening or closing, the rating question after an agent closed.
var deskNotices = map[string]bool{"taken": true, "position": true, "hours": true, "close": true}

// MaySeeUndelivered reports whether viewer may see, send again or discard
// the message to chat under key that the outbox gave up on: any agent
// could read and discard every other agent's failed replies, and the
// bot's replies to people who never asked for the desk, which tell what
// they told the bot (found by a probe). A supervisor sees every one. An
// agent sees their own replies, and the desk's notices (and replies of
// an older key, without their agent) of a chat they may read now, as the
// chat API lets them. The bot's own replies are the supervisors'.
func (d *Desk) MaySeeUndelivered(ctx context.Context, viewer Agent, chat, key string) (bool, error) {
	if viewer.ReadsAll() {
		return true, nil
	}
	key = strings.TrimPrefix(key, "resend:") // a question sent again as text
	kind, rest, _ := strings.Cut(key, ":")
	if kind == "agent" {
		if author, _, ok := strings.Cut(rest, ":"); ok {
			return author == viewer.Name, nil
		}
	} else if !deskNotices[kind] {
		return false, nil
	}
	c, _, err := d.h.q.Get(ctx, chat)
	if errs.Is(errs.NotFound, err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return mayRead(viewer, c), nil
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
	d.publishEvent(ctx, Event{Kind: "closed", Chat: chat, Reason: reason, Conv: c.ID, Agent: holder(c)})
	if c.Status == Waiting {
		d.tellPositions(ctx)
	}
	return nil
}
