package desk_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/internal/errs"
)

// TestResolveRefusesAnOversizedReference: the chat an agent's page names
// came back as given, of any length, or, for a WhatsApp reference, was
// looked for through the whole waiting line: a page (or anyone with a
// session) naming a chat of megabytes had it used as a chat id down to
// Redis's keys. No chat id or conversation reference is longer than a
// few dozen bytes (REST's ids 128 at most): a longer one is refused as
// invalid before anything is read.
func TestResolveRefusesAnOversizedReference(t *testing.T) {
	_, h := redisHandoffs(t, "resolve", &records{outcomes: map[string]string{}}, &heldOutbox{})
	d := desk.New(h, quietEngine{})
	huge := strings.Repeat("9", 64<<20)
	tests := []struct {
		name, ref string
		want      string
		kind      errs.Kind // the error's, Other (0) for none
	}{
		{"a chat", "telegram:7", "telegram:7", 0},
		{"a REST id at its longest", "rest:" + strings.Repeat("a", 128), "rest:" + strings.Repeat("a", 128), 0},
		{"a WhatsApp reference not on the desk", "whatsapp:~c0ffee", "", errs.NotFound},
		{"a WhatsApp chat by its number", "whatsapp:5491155550000", "", errs.NotFound},
		{"a WhatsApp chat by its whatsmeow id", "whatsapp:5491155550000@s.whatsapp.net", "", errs.NotFound},
		{"a REST chat by its id of personal data", "rest:20126043377", "", errs.NotFound},
		{"a REST reference of personal data not on the desk", "rest:~20126043377", "", errs.NotFound},
		{"a REST id that begins as a reference", "rest:~sesion-7", "rest:~sesion-7", 0},
		{"a chat of 64 MB", "telegram:" + huge, "", errs.Invalid},
		{"a WhatsApp reference of 64 MB", "whatsapp:~" + huge, "", errs.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := d.Resolve(context.Background(), tt.ref)
			if tt.kind != 0 {
				if !errs.Is(tt.kind, err) {
					t.Fatalf("Resolve = %.40q, %v; want a %v error", got, err, tt.kind)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Resolve = %.40q, %v; want %.40q", got, err, tt.want)
			}
		})
	}
}

// TestResolveFindsARESTChatByItsReference: a REST chat named by the
// person's data is named on the page by its conversation (see
// TestRESTChatNamedByPersonalDataIsHidden), and the desk finds it by that.
func TestResolveFindsARESTChatByItsReference(t *testing.T) {
	ctx := context.Background()
	q, h := redisHandoffs(t, "resolverest", &records{outcomes: map[string]string{}}, &heldOutbox{})
	d := desk.New(h, quietEngine{})
	const chat = "rest:20126043377"
	if _, err := h.Enqueue(ctx, convo.Handoff{Chat: chat, Channel: "rest", Reason: "requested"}); err != nil {
		t.Fatal(err)
	}
	c, _, err := q.Get(ctx, chat)
	if err != nil {
		t.Fatal(err)
	}
	ref := desk.Shown(c).Chat
	if got, err := d.Resolve(ctx, ref); err != nil || got != chat {
		t.Fatalf("Resolve(%q) = %q, %v; want %q", ref, got, err, chat)
	}
	if got, err := d.Resolve(ctx, fmt.Sprintf("whatsapp:~%s", c.ID)); !errs.Is(errs.NotFound, err) {
		t.Fatalf("the REST chat named as a WhatsApp one: %q, %v", got, err)
	}
}
