package desk

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/internal/phone"
	"github.com/clavebot/clavebot/internal/pii"
	"github.com/clavebot/clavebot/internal/textsafe"
)

// A WhatsApp chat's id is the person's phone number ("whatsapp:<phone>",
// or "<phone>@s.whatsapp.net" through whatsmeow), and contacts reach the
// desk masked: every agent was shown it whole, in the queue, the chat's
// header, the undelivered list and the page's events (found by a probe).
// An agent's page names such a chat by a reference of its conversation
// ("whatsapp:~<conversation id>"), by which the desk finds it, and shows
// the number masked ("whatsapp:+54 9 11 ****-2345"), to every agent and
// supervisor alike. A REST chat's id is its client's choice: a portal
// that names its chats by the person's CUIL, DNI or e-mail
// ("rest:20126043377") had them shown whole to every agent before the
// person proved who they were (an attack probe), so such an id is named
// by its conversation too ("rest:~<conversation id>") and shown with the
// data masked as the desk masks what a person types ("rest:***********").
// Other ids are no contact (Telegram's a number of its own, a REST id of
// no personal data) and are shown as they are.

// refMark starts what follows a channel's name in a conversation's
// reference.
const refMark = "~"

// hidesID reports whether chat's id is data the desk never shows whole.
func hidesID(chat string) bool {
	switch name, id, _ := strings.Cut(chat, ":"); name {
	case "whatsapp":
		return true
	case "rest":
		return holdsPersonal(id)
	}
	return false
}

// holdsPersonal reports whether a REST chat's id holds data the desk
// masks in what a person types.
func holdsPersonal(id string) bool { return maskPersonal(id) != pii.Plain(id) }

// Ref is how an agent's page names chat, whose conversation on the desk
// is conv: the chat itself, or for a chat whose id is hidden a reference
// of conv.
func Ref(chat, conv string) string {
	if !hidesID(chat) {
		return chat
	}
	return channelOf(chat) + ":" + refMark + conv
}

// Label is chat as an agent reads it: a WhatsApp number masked, a REST
// id's personal data masked.
func Label(chat string) string {
	if !hidesID(chat) {
		return asWritten(chat)
	}
	name, id, _ := strings.Cut(chat, ":")
	if name == "rest" {
		return "rest:" + asWritten(maskPersonal(id))
	}
	user, _, _ := strings.Cut(id, "@")
	if strings.HasSuffix(id, "@lid") || user == "" || strings.Trim(user, "0123456789") != "" {
		return "whatsapp:(número oculto)"
	}
	return "whatsapp:" + phone.Mask("+"+user)
}

// Shown is c as an agent's page gets it: Chat its reference, Label what
// to read.
// Two WhatsApp people of one area code with the same last four digits
// read alike, masked (a regression probe: a supervisor taking over saw two
// equal labels): the label ends in the first characters of the
// conversation's id, random, which tell them apart and nothing of the
// number.
func Shown(c Conversation) Conversation {
	c.Label = Label(c.Chat)
	if hidesID(c.Chat) && c.ID != "" {
		c.Label += " · #" + c.ID[:min(4, len(c.ID))]
	}
	c.Chat = Ref(c.Chat, c.ID)
	return c
}

// maxRef bounds a chat or reference an agent's page names: chat ids are
// a channel's name and a number or a REST id (128 bytes at most), a
// reference a channel's name and a conversation id.
const maxRef = 256

// Resolve is the chat an agent's page names by ref: a WhatsApp
// conversation's reference is looked up on the desk (NotFound when it
// is not there any more), a WhatsApp chat named otherwise (by its
// number) is NotFound, and anything else is the chat itself. A ref longer
// than any chat id is Invalid, before anything is read: it was used as
// given, down to Redis's keys.
func (d *Desk) Resolve(ctx context.Context, ref string) (string, error) {
	if len(ref) > maxRef {
		return "", errs.E(errs.Invalid, "desk chat", fmt.Errorf("a chat reference is %d bytes at most, this one %d", maxRef, len(ref)))
	}
	name, rest, _ := strings.Cut(ref, ":")
	conv, isRef := strings.CutPrefix(rest, refMark)
	switch {
	case name != "whatsapp" && name != "rest":
		return ref, nil
	case !isRef && hidesID(ref):
		// A chat whose id is hidden, named by its id, is not there: the
		// API answered it, and an agent shown "+54 9 11 ****-0000" could
		// try the 10,000 numbers it hides until one answered (found by a
		// desk probe).
		return "", errs.E(errs.NotFound, "desk chat", errors.New("a chat whose id is hidden is named by its conversation's reference"))
	case !isRef:
		return ref, nil
	}
	all, err := d.h.q.List(ctx)
	if err != nil {
		return "", err
	}
	for _, c := range all {
		if c.ID == conv && channelOf(c.Chat) == name && hidesID(c.Chat) {
			return c.Chat, nil
		}
	}
	if name == "rest" && !hidesID(ref) {
		return ref, nil // a REST id of its client's that begins with refMark
	}
	return "", errs.E(errs.NotFound, "desk chat", errors.New("no such conversation"))
}

// ForViewer is e as viewer's page may be told it. An event names its chat
// (by its reference) only to those who may read the chat: a supervisor,
// anyone while it waits, the agent who has it. Others hear only what
// happened, without the chat, and their page refreshes the queue: every
// page was told of every chat (found by a probe). An event whose
// conversation is not known (a delivery's, of a chat no longer on the
// desk) names no chat.
func ForViewer(viewer Agent, e Event) Event {
	if e.Chat == "" {
		return e
	}
	if e.Conv == "" || !viewer.ReadsAll() && e.Agent != "" && e.Agent != viewer.Name {
		return Event{Kind: e.Kind}
	}
	e.Chat = Ref(e.Chat, e.Conv)
	e.Conv, e.Agent = "", ""
	return e
}

// Complete fills in the conversation of an event whose publisher named
// only the chat (a delivery's): its id, and the agent who has it.
func (d *Desk) Complete(ctx context.Context, e Event) Event {
	if e.Chat == "" || e.Conv != "" {
		return e
	}
	c, _, err := d.h.q.Get(ctx, e.Chat)
	if err != nil {
		return e
	}
	e.Conv, e.Agent = c.ID, holder(c)
	return e
}

// holder is the agent who has c, "" while it waits.
func holder(c Conversation) string {
	if c.Status != Active {
		return ""
	}
	return c.Agent
}

// lastConversation is what records that can name a chat's latest
// conversation offer (*sqldesk.DB does).
type lastConversation interface {
	LastConversation(ctx context.Context, chat string) (string, error)
}

// LetterLabel is chat as the undelivered list shows it: as Shown labels
// it, with the mark of the chat's conversation on the desk, or of its
// latest one once it left the desk. The list showed the number masked
// alone, which reads alike for two people of one area code with the same
// last four digits (a regression probe of dabdd9f). With no conversation
// known (records that cannot tell, or none), the label alone.
func (d *Desk) LetterLabel(ctx context.Context, chat string) string {
	if !hidesID(chat) {
		return Label(chat)
	}
	id := ""
	if c, _, err := d.h.q.Get(ctx, chat); err == nil {
		id = c.ID
	} else if last, ok := d.h.rec.(lastConversation); ok {
		if id, err = last.LastConversation(ctx, chat); err != nil && !errs.Is(errs.NotFound, err) {
			d.h.cfg.Log.Warn("conversation of an undelivered message not found", "err", err)
		}
	}
	return Shown(Conversation{ID: id, Chat: chat}).Label
}

// Unmarked is a label without the conversation's mark LetterLabel and
// Shown add.
func Unmarked(label string) string {
	l, _, _ := strings.Cut(label, " · #")
	return l
}

// asWritten shows each control character and each bidi embedding,
// override, isolate and mark of id as U+FFFD. A REST chat's id is its
// client's choice, and "rest:x\u202egnp.exe" read "rest:xexe.png" on
// the agent's page (a desk probe); an escape or a carriage return could
// hide what came before it. What a person types is cleaned the same way
// by the engine.
func asWritten(id string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || textsafe.Misleads(r) {
			return '\ufffd'
		}
		return r
	}, id)
}
