package dialog_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/clavebot/clavebot/dialog"
)

// María's DNI and birth date, typed at the menu and to the desk with
// characters the masks did not read as a datum's: underscores or middle
// dots between the groups, a zero-width space (invisible on the agent's
// page), digits of another script (Arabic-Indic, with its own
// separators, a "fancy text" site's bold ones), keycap emoji, the year as
// '85. The stored transcript, the desk's and what
// is relayed to an agent held them in clear (an attack probe).
func TestDataTypedWithOddCharactersIsMasked(t *testing.T) {
	typed := []string{
		"nací el 14_03_1985",
		"mi dni es 31_456_789",
		"31·456·789",
		"nací el 14 de marzo '85",
		"dni ٣١٤٥٦٧٨٩",
		"dni 𝟑𝟏𝟒𝟓𝟔𝟕𝟖𝟗",
		"dni 31\u200b456\u200b789",
		"14\u200b03\u200b1985",
		"٣١٫٤٥٦٫٧٨٩",
		"3️⃣1️⃣4️⃣5️⃣6️⃣7️⃣8️⃣9️⃣",
	}
	desk := &fakeDesk{}
	h := newHarness(t, dialog.WithDesk(desk))
	const chat = "odd"
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

	var person []string
	for _, l := range desk.queue[0].Transcript {
		if l.From == "person" {
			person = append(person, l.Msg.Text)
		}
	}
	stored, err := dialog.ReadStoredLines(h.store.Lines(chat))
	if err != nil {
		t.Fatal(err)
	}
	var storedPerson []string
	for _, l := range stored {
		if l.From == "person" {
			storedPerson = append(storedPerson, l.Msg.Text)
		}
	}
	for _, where := range []struct {
		name  string
		lines []string
	}{
		{"the desk's transcript", person},
		{"the stored transcript", storedPerson},
		{"the relayed messages", desk.relayed},
	} {
		for _, l := range where.lines {
			// The digits as a person reads them, whatever their script.
			d := strings.Map(func(r rune) rune {
				if v, ok := digitValue(r); ok {
					return '0' + v
				}
				return -1
			}, l)
			for _, c := range []string{"31456", "1403", "1985", "85"} {
				if strings.Contains(d, c) {
					t.Errorf("%s holds %q in clear (%q)", where.name, l, c)
				}
			}
		}
	}
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
