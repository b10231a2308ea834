package desk

import (
	"context"
	"fmt"
	"strings"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/errs"
)

// maxReply bounds an agent's message, as channels split or refuse longer.
const maxReply = 2000

// Take gives the chat to agent and tells the person.
func (d *Desk) Take(ctx context.Context, agent, chat string) (Conversation, error) {
	now := d.cfg.Now()
	before, _, err := d.q.Get(ctx, chat)
	if err != nil {
		return Conversation{}, err
	}
	c, err := d.q.Take(ctx, chat, agent, now)
	if err != nil {
		return Conversation{}, err
	}
	if err := d.rec.Taken(ctx, c.ID, agent, now); err != nil {
		d.cfg.Log.Warn("take not recorded", "err", err)
	}
	d.deliver(ctx, chat, dialog.Reply{Msg: i18n.M("desk.taken", "agent", agent), Expect: dialog.ExpectText})
	d.publish(ctx, "queue", chat)
	if before.Status == Waiting {
		d.tellPositions(ctx)
	}
	return c, nil
}

// Reply sends agent's text to the person, on their channel, in order.
func (d *Desk) Reply(ctx context.Context, agent, chat, text string) error {
	text = strings.TrimSpace(text)
	if text == "" || len([]rune(text)) > maxReply {
		return errs.E(errs.Invalid, "desk reply", fmt.Errorf("a reply has 1 to %d characters", maxReply))
	}
	eng, err := d.engine()
	if err != nil {
		return err
	}
	unlock := d.lock(chat)
	defer unlock()
	c, _, err := d.q.Get(ctx, chat)
	if err != nil {
		return err
	}
	if c.Status != Active || c.Agent != agent {
		return errs.E(errs.Conflict, "desk reply", fmt.Errorf("the chat is not yours: take it first"))
	}
	m := Message{At: d.cfg.Now(), From: FromAgent, Agent: agent, Text: text}
	if _, err := d.q.Append(ctx, chat, m); err != nil {
		return err
	}
	replies, err := eng.AgentSaid(ctx, chat, agent, text)
	if err != nil {
		return fmt.Errorf("desk: reply: %w", err)
	}
	d.deliver(ctx, chat, replies...)
	if err := d.rec.Said(ctx, c.ID, m); err != nil {
		d.cfg.Log.Warn("reply not recorded", "err", err)
	}
	d.publish(ctx, "message", chat)
	return nil
}

// Close ends agent's conversation: the bot takes over and asks the person
// to rate the help.
func (d *Desk) Close(ctx context.Context, agent, chat string) error {
	eng, err := d.engine()
	if err != nil {
		return err
	}
	unlock := d.lock(chat)
	defer unlock()
	c, err := d.q.Finish(ctx, chat, agent)
	if err != nil {
		return err
	}
	if err := d.rec.Closed(ctx, c.ID, d.cfg.Now(), OutcomeResolved); err != nil {
		d.cfg.Log.Warn("close not recorded", "err", err)
	}
	replies, err := eng.EndHandoff(ctx, chat)
	if err != nil {
		return fmt.Errorf("desk: hand back to the bot: %w", err)
	}
	d.deliver(ctx, chat, replies...)
	d.publish(ctx, "closed", chat)
	return nil
}

// deliver sends replies to the person; a failure is logged, since the
// agent's action already happened.
func (d *Desk) deliver(ctx context.Context, chat string, replies ...dialog.Reply) {
	if len(replies) == 0 {
		return
	}
	if err := d.out.Deliver(ctx, chat, replies); err != nil {
		d.cfg.Log.Warn("message to person not delivered", "channel", channelOf(chat), "err", err)
	}
}

func channelOf(chat string) string {
	name, _, _ := strings.Cut(chat, ":")
	return name
}

func rawMsg(text string) i18n.Message { return i18n.Raw(text) }
