package desk

import (
	"context"
	"fmt"
	"time"

	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/internal/pii"
)

// Enqueue implements dialog.Desk: the chat waits for an agent (or, outside
// the desk's hours, as a pending message) with its transcript so far.
func (d *Handoffs) Enqueue(ctx context.Context, h convo.Handoff) (convo.Ticket, error) {
	now := d.cfg.Now()
	open := d.cfg.Hours.Open(now)
	c := Conversation{
		ID: d.cfg.NewID(), Chat: h.Chat, Channel: h.Channel, Reason: h.Reason,
		CUIL: shownCUIL(h.CUIL, h.Validated), Validated: h.Validated,
		Status: Waiting, Enqueued: now, Awaiting: now,
	}
	if !open {
		c.Status = Pending
	}
	history := d.render(h.Transcript, h.Validated)
	if err := d.rec.Opened(ctx, c, history); err != nil {
		return convo.Ticket{}, fmt.Errorf("desk: record hand-over: %w", err)
	}
	pos, err := d.q.Put(ctx, c, history)
	if err != nil {
		return convo.Ticket{}, fmt.Errorf("desk: enqueue: %w", err)
	}
	d.publish(ctx, "queue", c)
	t := convo.Ticket{Position: pos, Open: open}
	if !open {
		t.Opens, t.Opening = d.opening(now)
	}
	return t, nil
}

// shownCUIL is the CUIL as an agent may see it: in full only when the
// person proved who they are.
func shownCUIL(c string, validated bool) string {
	switch {
	case c == "":
		return ""
	case validated:
		return pii.CUIL(c)
	}
	return pii.MaskCUIL(c)
}

// render prints the transcript for agents; what a person who has not
// validated typed is masked (see maskPersonal), and so is a CUIL in the
// bot's words (maskBot).
func (d *Handoffs) render(lines []convo.Line, validated bool) []Message {
	out := make([]Message, 0, len(lines))
	for _, l := range lines {
		m := Message{At: l.At, From: FromBot, Text: d.cfg.Printer.Sprint(l.Msg)}
		if l.From == "person" {
			m.From = FromPerson
			m.Text = maskTyped(m.Text, validated)
		} else {
			m.Text = maskBot(m.Text, validated)
		}
		out = append(out, m)
	}
	return out
}

// Relay implements dialog.Desk: the person's message reaches the agent's
// page (or waits with the pending message), masked while the person has
// not validated. It reports whether an agent has the chat.
func (d *Handoffs) Relay(ctx context.Context, chat, text string) (convo.Relayed, error) {
	now := d.cfg.Now()
	rel := convo.Relayed{Open: d.cfg.Hours.Open(now)}
	if !rel.Open {
		rel.Opens, rel.Opening = d.opening(now)
	}
	m := Message{At: now, From: FromPerson, Text: text}
	c, msgs, err := d.q.Get(ctx, chat)
	if err == nil && unanswered(c, msgs) >= MaxUnanswered {
		return d.full(ctx, c, msgs, rel)
	}
	if err == nil {
		m.Text = maskTyped(text, c.Validated)
		c, err = d.q.Append(ctx, chat, m)
	}
	if errs.Is(errs.NotFound, err) {
		// The desk lost the conversation (a flushed Redis): the person is
		// put back in the queue rather than talking to no one.
		_, err = d.Enqueue(ctx, convo.Handoff{Chat: chat, Channel: channelOf(chat), Reason: "resumed",
			Transcript: []convo.Line{{At: m.At, From: "person", Msg: rawMsg(text)}}})
		rel.Waiting = rel.Open
		return rel, err
	}
	if err != nil {
		return rel, fmt.Errorf("desk: relay: %w", err)
	}
	if err := d.rec.Said(ctx, c.ID, m); err != nil {
		d.cfg.Log.Warn("message not recorded", "err", err)
	}
	d.publish(ctx, "message", c)
	rel.AtAgent, rel.Waiting = c.Status == Active, c.Status == Waiting
	if rel.Waiting {
		rel.Position = c.Position
	}
	return rel, nil
}

// unanswered is how many of the person's messages since the hand-over
// follow the agent's last answer. The queue keeps Enqueued to the
// millisecond: the transcript's lines, written before it, are within it
// or before.
func unanswered(c Conversation, msgs []Message) int {
	n := 0
	for i := len(msgs) - 1; i >= 0; i-- {
		switch m := msgs[i]; {
		case m.From == FromAgent:
			return n
		case m.From == FromPerson && m.At.Truncate(time.Millisecond).After(c.Enqueued):
			n++
		}
	}
	return n
}

// full answers a message the desk does not take: the person has
// MaxUnanswered in a row unanswered. The agent reads once that the person
// kept writing.
func (d *Handoffs) full(ctx context.Context, c Conversation, msgs []Message, rel convo.Relayed) (convo.Relayed, error) {
	rel.Full, rel.AtAgent, rel.Waiting = true, c.Status == Active, c.Status == Waiting
	note := d.cfg.Printer.Sprint(i18n.M("desk.person_kept_writing", "n", MaxUnanswered))
	if last := msgs[len(msgs)-1]; last.From == FromBot && last.Text == note {
		return rel, nil
	}
	m := Message{At: d.cfg.Now(), From: FromBot, Text: note}
	c, err := d.q.Append(ctx, c.Chat, m)
	if err != nil {
		return rel, fmt.Errorf("desk: relay: %w", err)
	}
	if rel.Waiting {
		rel.Position = c.Position
	}
	if err := d.rec.Said(ctx, c.ID, m); err != nil {
		d.cfg.Log.Warn("message not recorded", "err", err)
	}
	d.publish(ctx, "message", c)
	return rel, nil
}

// Holds implements remind.Hold: a chat an agent has is not reminded of
// anything else until the conversation ends. One in the line, or a
// message left outside hours, is: the reminder the person asked for must
// not wait for the desk to open (found by a regression probe).
func (d *Handoffs) Holds(ctx context.Context, chat string) (bool, error) {
	c, _, err := d.q.Get(ctx, chat)
	switch {
	case errs.Is(errs.NotFound, err):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("desk: holds: %w", err)
	}
	return c.Status == Active, nil
}

// Leave implements dialog.Desk: the person went back to the bot.
func (d *Handoffs) Leave(ctx context.Context, chat string) (bool, error) {
	c, err := d.q.Remove(ctx, chat)
	if errs.Is(errs.NotFound, err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("desk: leave: %w", err)
	}
	outcome := OutcomeAbandoned
	if c.Status == Active {
		outcome = OutcomeLeft
	}
	if err := d.rec.Closed(ctx, c.ID, d.cfg.Now(), outcome); err != nil {
		d.cfg.Log.Warn("leave not recorded", "err", err)
	}
	// The reason tells the agent's page the person left.
	d.publishEvent(ctx, Event{Kind: "closed", Chat: chat, Reason: outcome, Conv: c.ID, Agent: holder(c)})
	if c.Status == Waiting {
		d.positionsVoid(ctx, chat)
		d.tellPositions(ctx)
	}
	return c.Status == Active, nil
}

// Rate implements dialog.Desk.
func (d *Handoffs) Rate(ctx context.Context, chat string, useful bool) error {
	if err := d.rec.Rated(ctx, chat, useful); err != nil && !errs.Is(errs.NotFound, err) {
		return fmt.Errorf("desk: rate: %w", err)
	}
	return nil
}

// opening is when the desk opens next after now, and how a person is
// told it; zero when it never opens.
func (d *Handoffs) opening(now time.Time) (time.Time, i18n.Message) {
	at := d.cfg.Hours.NextOpen(now)
	if at.IsZero() {
		return at, i18n.Message{}
	}
	return at, i18n.Opening(at, now, d.cfg.Hours.Location())
}
