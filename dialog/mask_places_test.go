package dialog_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/clavebot/clavebot/dialog"
)

// typedWhereAgentsRead sends each of typed at the menu (then "menu"), asks
// for a person, sends each again to the agent, and returns the person's
// lines where someone other than the person may read them: the desk's
// transcript, the stored transcript and the messages relayed to the agent.
func typedWhereAgentsRead(t *testing.T, typed []string) map[string][]string {
	t.Helper()
	desk := &fakeDesk{}
	h := newHarness(t, dialog.WithDesk(desk))
	const chat = "typed"
	h.step(chat, "hola", dialog.ExpectMenu)
	for _, text := range typed {
		h.send(chat, text)
		h.send(chat, "menu")
	}
	h.send(chat, "hablar con una persona")
	h.send(chat, "si")
	if len(desk.queue) != 1 {
		t.Fatalf("queue %d", len(desk.queue))
	}
	for _, text := range typed {
		h.send(chat, text)
	}
	stored, err := dialog.ReadStoredLines(h.store.Lines(chat))
	if err != nil {
		t.Fatal(err)
	}
	return map[string][]string{
		"the desk's transcript": personSaid(desk.queue[0].Transcript),
		"the stored transcript": personSaid(stored),
		"the relayed messages":  desk.relayed,
	}
}

func personSaid(lines []dialog.Line) []string {
	var said []string
	for _, l := range lines {
		if l.From == "person" {
			said = append(said, l.Msg.Text)
		}
	}
	return said
}

// digitsRead are the digits of s as a person reads them, whatever their
// script, without what parts them.
func digitsRead(s string) string {
	return strings.Map(func(r rune) rune {
		if v, ok := digitValue(r); ok {
			return '0' + v
		}
		return -1
	}, s)
}

// digitValue is the value of a decimal digit of any script.
func digitValue(r rune) (rune, bool) {
	if !unicode.IsDigit(r) {
		return 0, false
	}
	zero := r
	for unicode.IsDigit(zero - 1) {
		zero--
	}
	return (r - zero) % 10, true
}

// checkNoneInClear fails for each line of where that holds, in its digits
// as read, one of clear.
func checkNoneInClear(t *testing.T, where map[string][]string, clear []string) {
	t.Helper()
	for name, lines := range where {
		for _, l := range lines {
			for _, c := range clear {
				if strings.Contains(digitsRead(l), c) {
					t.Errorf("%s holds %q in clear (%q)", name, l, c)
				}
			}
		}
	}
}
