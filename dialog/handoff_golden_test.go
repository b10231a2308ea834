package dialog_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/internal/testenv"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// The desk gets, with a chat handed over, the same transcript as before the
// transcript was kept apart from the state: testdata/handoff-v1.txt is
// what the previous version (main at 9b42c43) handed over for this
// conversation, each line printed as an agent reads it (in Spanish), with
// the person's key hidden and their data masked, and no more than the
// newest lines. Since then "ayuda" at the menu says the menu's own help
// first (stepHelp): a line more at each, and the oldest lines out.
func TestHandoffTranscriptAsBefore(t *testing.T) {
	for _, store := range []string{"memory", "redis"} {
		t.Run(store, func(t *testing.T) {
			desk := &printingDesk{}
			h := newHarness(t, dialog.WithDesk(desk))
			desk.p = h.cat.Printer(i18n.ES)
			if store == "redis" {
				h.useRedis(testenv.Redis(t))
			}
			handOverLongChat(t, h, desk)
		})
	}
}

func handOverLongChat(t *testing.T, h *harness, desk *printingDesk) {
	const chat = "golden"
	for i := range 14 {
		h.send(chat, []string{"hola", "ayuda", "sirve para la afip?"}[i%3])
	}
	h.step(chat, "1", dialog.ExpectCUIL)
	h.step(chat, "mi cuil es "+maria, dialog.ExpectFirstNames)
	h.step(chat, "maria belen", dialog.ExpectLastNames)
	h.step(chat, "GOMEZ RUIZ", dialog.ExpectBirthDate)
	h.step(chat, "nací el 14/03/1985", dialog.ExpectDNI)
	h.step(chat, "31.456.789", dialog.ExpectChoice, question1)
	h.answerQuestions(chat, maria, false)
	h.step(chat, "Secreta2024q", dialog.ExpectConfirmKey)
	// Validated, the hand-over asks first: it ends the flow.
	h.step(chat, "quiero hablar con una persona", dialog.ExpectChoice, i18n.M("offer.handoff_validated"))
	h.step(chat, "sí", dialog.ExpectText)
	if len(desk.printed) != 1 {
		t.Fatalf("%d hand-overs", len(desk.printed))
	}
	got := desk.printed[0]
	const golden = "testdata/handoff-v1.txt"
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("the desk got:\n%s\nthe previous version handed over:\n%s", got, want)
	}
}

// printingDesk prints the transcript of each chat handed over when it gets
// it, as the desk does.
type printingDesk struct {
	fakeDesk
	p       *i18n.Printer
	printed []string
}

func (d *printingDesk) Enqueue(ctx context.Context, h dialog.Handoff) (dialog.Ticket, error) {
	var sb strings.Builder
	for _, l := range h.Transcript {
		sb.WriteString(l.From + ": " + strings.ReplaceAll(d.p.Sprint(l.Msg), "\n", " ") + "\n")
	}
	d.printed = append(d.printed, sb.String())
	return d.fakeDesk.Enqueue(ctx, h)
}
