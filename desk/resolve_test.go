package desk_test

import (
	"context"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/desk"
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
