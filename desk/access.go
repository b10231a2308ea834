package desk

import (
	"context"
	"errors"

	"github.com/clavebot/clavebot/internal/errs"
)

// mayRead reports whether viewer may read c: the queue (waiting and
// pending conversations) is every agent's to choose from; a conversation
// an agent took is theirs, and a supervisor's.
func mayRead(viewer Agent, c Conversation) bool {
	return c.Status != Active || c.Agent == viewer.Name || viewer.ReadsAll()
}

// errNotYours is the answer to reading a conversation another agent took.
var errNotYours = errors.New("another agent took this conversation")

// Board is every conversation viewer may read: waiting ones in queue order.
func (d *Desk) Board(ctx context.Context, viewer Agent) ([]Conversation, error) {
	all, err := d.h.q.List(ctx)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, c := range all {
		if mayRead(viewer, c) {
			out = append(out, c)
		}
	}
	return out, nil
}

// BoardHead is Board's first n waiting and first n pending conversations,
// with the count of each: an agent's page shows the head of the line and
// its totals (desk/web's board), and reading the whole line at each
// update grew with it (about 20 ms with 1,000 waiting).
func (d *Desk) BoardHead(ctx context.Context, viewer Agent, n int) (Head, error) {
	h, err := d.h.q.Head(ctx, n)
	if err != nil {
		return Head{}, err
	}
	out := h.Conversations[:0]
	for _, c := range h.Conversations {
		if mayRead(viewer, c) {
			out = append(out, c)
		}
	}
	h.Conversations = out
	return h, nil
}

// Chat is one conversation with its messages, if viewer may read it;
// Conflict when another agent took it.
func (d *Desk) Chat(ctx context.Context, viewer Agent, chat string) (Conversation, []Message, error) {
	c, msgs, err := d.h.q.Get(ctx, chat)
	if err != nil {
		return Conversation{}, nil, err
	}
	if !mayRead(viewer, c) {
		return Conversation{}, nil, errs.E(errs.Conflict, "desk chat", errNotYours)
	}
	return c, msgs, nil
}
