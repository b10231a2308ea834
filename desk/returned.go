package desk

import (
	"context"
	"fmt"
	"strconv"

	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/errs"
)

// An agent who signed out, whose sign-in ended or whose account was
// removed kept their open chats, and the people wrote to nobody until a
// supervisor took them over (found by a desk probe). Their chats now go
// back to the head of the line: the person is told another person will
// continue, and the next agent reads the conversation so far, with why it
// came back.

// Why a conversation went back to the line.
const (
	ReturnedSignedOut = "signed_out" // the agent signed out and gave it back
	ReturnedAbsent    = "absent"     // the agent's sign-in ended
	ReturnedRemoved   = "removed"    // the agent's account was removed
)

// returnedWhy is how the next agent reads why, in the conversation.
var returnedWhy = map[string]i18n.Key{
	ReturnedSignedOut: "desk.returned_signed_out",
	ReturnedAbsent:    "desk.returned_absent",
	ReturnedRemoved:   "desk.returned_removed",
}

// Return gives agent's open conversation with chat back to the head of
// the line, for why (one of the Returned constants); Conflict when it is
// not agent's. It changes the chat under the chat's lock in the engine,
// as a person's message is handled, and tells the person before letting
// go: one who left at that moment read, after the bot's menu, that
// another person would continue (last session's doubt).
func (d *Desk) Return(ctx context.Context, agent, chat, why string) (Conversation, error) {
	unlock := d.lock(chat)
	defer unlock()
	var c Conversation
	err := d.eng.Locked(ctx, chat, func(ctx context.Context) error {
		now := d.h.cfg.Now()
		note := i18n.M("desk.returned_note", "agent", agent, "why", i18n.M(returnedWhy[why]))
		line := Message{At: now, From: FromBot, Text: d.h.cfg.Printer.Sprint(note)}
		var err error
		if c, err = d.h.q.Return(ctx, chat, agent, line); err != nil {
			return err
		}
		if err := d.h.rec.Said(ctx, c.ID, line); err != nil {
			d.h.cfg.Log.Warn("return not recorded", "err", err)
		}
		// Each return is said, under a key of its own: a chat may come
		// back more than once.
		key := "returned:" + c.ID + ":" + strconv.FormatInt(now.UnixNano(), 36)
		d.h.deliver(ctx, chat, key, convo.Reply{Msg: i18n.M("desk.returned", "position", c.Position), Expect: convo.ExpectText})
		return nil
	})
	if err != nil {
		return Conversation{}, fmt.Errorf("desk: return: %w", err)
	}
	d.h.publish(ctx, "queue", c)
	d.h.cfg.Log.Info("desk chat back in the line", "agent", agent, "why", why)
	return c, nil
}

// Open is agent's open conversations.
func (d *Desk) Open(ctx context.Context, agent string) ([]Conversation, error) {
	all, err := d.h.q.Active(ctx)
	if err != nil {
		return nil, err
	}
	var out []Conversation
	for _, c := range all {
		if c.Status == Active && c.Agent == agent {
			out = append(out, c)
		}
	}
	return out, nil
}

// ReturnAll gives every open conversation of agent back to the line, for
// why, and says how many went back. One another agent took over meanwhile
// stays theirs.
func (d *Desk) ReturnAll(ctx context.Context, agent, why string) (int, error) {
	open, err := d.Open(ctx, agent)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range open {
		switch _, err := d.Return(ctx, agent, c.Chat, why); {
		case err == nil:
			n++
		case errs.Is(errs.Conflict, err), errs.Is(errs.NotFound, err):
		default:
			return n, err
		}
	}
	return n, nil
}

// ReturnAbsent gives back to the line the open conversations of every
// agent gone: away says why an agent is ("" while they are not: signed in
// somewhere). Every desk server may run it at once: a conversation goes
// back once. It reads the conversations agents have only, never the line:
// every server runs it every few seconds, and the line may hold thousands.
func (d *Desk) ReturnAbsent(ctx context.Context, away func(ctx context.Context, agent string) (string, error)) error {
	all, err := d.h.q.Active(ctx)
	if err != nil {
		return err
	}
	why := map[string]string{}
	for _, c := range all {
		if c.Status != Active {
			continue
		}
		w, seen := why[c.Agent]
		if !seen {
			if w, err = away(ctx, c.Agent); err != nil {
				return err
			}
			why[c.Agent] = w
		}
		if w == "" {
			continue
		}
		if _, err := d.Return(ctx, c.Agent, c.Chat, w); err != nil && !errs.Is(errs.Conflict, err) && !errs.Is(errs.NotFound, err) {
			return err
		}
	}
	return nil
}
