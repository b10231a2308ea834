package desk

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/errs"
)

// MaxReply bounds an agent's message, in characters, as channels split or
// refuse longer.
const MaxReply = 2000

// Take gives the chat to agent and tells the person. It holds the chat's
// lock until the notice is with the outbox: the agent's page may send a
// reply as soon as the chat is theirs, and the person must read who took
// the chat before that agent's first words.
func (d *Desk) Take(ctx context.Context, agent, chat string) (Conversation, error) {
	return d.take(ctx, agent, chat, false)
}

// TakeOver is Take by a supervisor of a chat another agent has: one whose
// agent was removed, or left without closing it, was stuck with them, and
// the person heard nothing ever after (found by a probe). It is an act of
// its own, never a Take that happens to find the chat taken (a supervisor
// taking a chat an agent had just taken took it from them). The person is
// told who has the chat now; the record keeps the first take.
func (d *Desk) TakeOver(ctx context.Context, sup Agent, chat string) (Conversation, error) {
	if !sup.ReadsAll() {
		return Conversation{}, errs.E(errs.Conflict, "desk take over", errSupervisors)
	}
	return d.take(ctx, sup.Name, chat, true)
}

func (d *Desk) take(ctx context.Context, agent, chat string, over bool) (Conversation, error) {
	unlock := d.lock(chat)
	defer unlock()
	// Under the chat's lock in the engine, as a person's message: one who
	// wrote «cancelar» as the chat was taken read who took it after the
	// bot's menu, and the agent had a chat the person had left.
	var c, before Conversation
	err := d.eng.Locked(ctx, chat, func(ctx context.Context) error {
		var err error
		c, before, err = d.takeLocked(ctx, agent, chat, over)
		return err
	})
	if err != nil {
		return Conversation{}, err
	}
	if before.Status == Active && before.Agent == agent {
		return c, nil
	}
	// Told to whoever could read the chat before: every agent while it
	// waited, and the agent it was taken over from, whose page says so.
	d.h.publishEvent(ctx, Event{Kind: "queue", Chat: chat, Conv: c.ID, Agent: holder(before)})
	if before.Status == Waiting {
		d.h.tellPositions(ctx)
	}
	return c, nil
}

// takeLocked gives the chat to agent and tells the person, under the
// chat's locks; it returns the conversation, and as it was before.
func (d *Desk) takeLocked(ctx context.Context, agent, chat string, over bool) (c, before Conversation, err error) {
	now := d.h.cfg.Now()
	before, _, err = d.h.q.Get(ctx, chat)
	if err != nil {
		return Conversation{}, Conversation{}, err
	}
	take := d.h.q.Take
	if over {
		take = d.h.q.TakeOver
	}
	if c, err = take(ctx, chat, agent, now); err != nil {
		return Conversation{}, Conversation{}, err
	}
	if before.Status == Active && before.Agent == agent {
		return c, before, nil // taken again by the same agent: nothing new to say
	}
	key := "taken:" + c.ID
	if before.Returned > 0 {
		// Taken again after an agent gave it back: a new notice.
		key += ":r" + strconv.Itoa(before.Returned)
	}
	if before.Status == Active {
		// A take-over: said each time (its own key), and the record keeps
		// the first take, so the wait is not counted to it.
		key += ":" + agent + ":" + strconv.FormatInt(now.UnixNano(), 36)
	} else if err := d.h.rec.Taken(ctx, c.ID, agent, now); err != nil {
		d.h.cfg.Log.Warn("take not recorded", "err", err)
	}
	if before.Status == Waiting {
		d.h.positionsVoid(ctx, chat)
	}
	d.h.deliver(ctx, chat, key, convo.Reply{Msg: i18n.M("desk.taken", "agent", agent), Expect: convo.ExpectText})
	return c, before, nil
}

// Reply sends agent's text to the person, on their channel, in order.
func (d *Desk) Reply(ctx context.Context, agent, chat, text string) error {
	return d.ReplyOnce(ctx, agent, chat, text, "")
}

// ReplyOnce is Reply under an idempotency key chosen by the agent's page
// (id, "" for a new one): a reply sent again with the same id, after a
// timeout, is neither shown nor sent twice.
func (d *Desk) ReplyOnce(ctx context.Context, agent, chat, text, id string) error {
	key, err := replyKey(agent, id)
	if err != nil {
		return err
	}
	text = strings.TrimSpace(text)
	if text == "" || len([]rune(text)) > MaxReply {
		return errs.E(errs.Invalid, "desk reply", errReplyLength)
	}
	unlock := d.lock(chat)
	defer unlock()
	// Checked, delivered and shown under the chat's lock in the engine:
	// a reply checked before it was refused once the person's "cancelar"
	// (which holds the lock) was done, yet went out after it, and took
	// the person back to the queue's step (found by a probe). Now the
	// reply is refused and not sent, or sent and said so.
	m := Message{ID: key, At: d.h.cfg.Now(), From: FromAgent, Agent: agent, Text: text}
	var c Conversation
	err = d.eng.AgentSaid(ctx, chat, agent, text, func(ctx context.Context, replies []convo.Reply) error {
		cur, msgs, err := d.h.q.Get(ctx, chat)
		if errs.Is(errs.NotFound, err) {
			return errs.E(errs.Conflict, "desk reply", errEnded)
		}
		if err != nil {
			return err
		}
		if cur.Status != Active || cur.Agent != agent {
			return errs.E(errs.Conflict, "desk reply", errNotYoursYet)
		}
		if said(msgs, key) {
			return errSaid
		}
		// The outbox first, then the page: a retry after a failure in
		// between finds the outbox holding the key and sends nothing
		// twice. The agent must know when not even the outbox took the
		// reply: the page shows the error, and sending again (same id)
		// is safe.
		if err := d.h.out.Deliver(ctx, chat, key, replies); err != nil {
			return fmt.Errorf("desk: reply not stored for delivery: %w", err)
		}
		if c, err = d.h.q.Append(ctx, chat, m); err != nil {
			return err
		}
		return nil
	})
	if errors.Is(err, errSaid) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := d.h.rec.Said(ctx, c.ID, m); err != nil {
		d.h.cfg.Log.Warn("reply not recorded", "err", err)
	}
	d.h.publish(ctx, "message", c)
	return nil
}

// errEnded refuses a reply to a conversation that is over: the person
// left it, or it was closed.
var errEnded = errors.New("the conversation has ended")

// errSaid is a reply the conversation already has (sent again after a
// timeout): nothing to do.
var errSaid = errors.New("already said")

// Close ends agent's conversation: the bot takes over and asks the person
// to rate the help. The conversation leaves the queue under the chat's
// lock in the engine, with the chat handed back to the bot: a message the
// person writes meanwhile is the agent's or the bot's, never lost between
// them with a "resumed" conversation left in the queue (found by a probe).
func (d *Desk) Close(ctx context.Context, agent, chat string) error {
	unlock := d.lock(chat)
	defer unlock()
	var c Conversation
	err := d.eng.EndHandoff(ctx, chat, func(ctx context.Context, replies []convo.Reply) error {
		var err error
		if c, err = d.h.q.Finish(ctx, chat, agent); err != nil {
			return err
		}
		if err := d.h.rec.Closed(ctx, c.ID, d.h.cfg.Now(), OutcomeResolved); err != nil {
			d.h.cfg.Log.Warn("close not recorded", "err", err)
		}
		d.h.deliver(ctx, chat, "close:"+c.ID, replies...)
		return nil
	})
	if err != nil {
		return fmt.Errorf("desk: close: %w", err)
	}
	d.h.publish(ctx, "closed", c)
	return nil
}

// deliver hands replies for the person to the outbox under key; a
// failure to even store them is logged, since the agent's action already
// happened (what becomes of stored ones, the page shows).
func (d *Handoffs) deliver(ctx context.Context, chat, key string, replies ...convo.Reply) {
	if len(replies) == 0 {
		return
	}
	if err := d.out.Deliver(ctx, chat, key, replies); err != nil {
		d.cfg.Log.Warn("message to person not delivered", "channel", channelOf(chat), "err", err)
	}
}

func channelOf(chat string) string {
	name, _, _ := strings.Cut(chat, ":")
	return name
}

func rawMsg(text string) i18n.Message { return i18n.Raw(text) }
