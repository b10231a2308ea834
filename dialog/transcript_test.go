package dialog_test

import (
	"strings"
	"testing"

	"github.com/clavebot/clavebot/dialog"
)

// Every CUIL, DNI, date and número de trámite a person types, at any
// step and in any message, reaches the desk masked: in the transcript the
// desk gets with the chat, in the state and the transcript kept in the
// store, and in the messages relayed to the agent.
func TestTranscriptMasksPersonalData(t *testing.T) {
	desk := &fakeDesk{}
	h := newHarness(t, dialog.WithDesk(desk))
	const chat = "masked"
	for _, text := range []string{
		"hola, mi cuil es 20 40111222 8 y nací el 2 de noviembre de 1997", "menú", "1", juan, "Juan", "Pérez",
		"02/11/1997", "40.111.222", "el tramite es 00612345678", "cancelar",
		"Juan Pérez, DNI 40111222, 2/11/97, tramite 00612345678",
	} {
		h.send(chat, text)
	}
	h.step(chat, "hablar con una persona", dialog.ExpectText)
	h.send(chat, "mi dni es 40111222 y el cuil 20-40111222-8")

	clear := []string{"40111222", "40.111.222", "02/11/1997", "2/11/97", "noviembre", "00612345678",
		"20 40111222 8", "20-40111222-8", "20401112228"}
	masks := []string{"20-****1222-8", "**.***.222", "**/**/****", "*******5678"}
	if len(desk.queue) != 1 {
		t.Fatalf("queue %d", len(desk.queue))
	}
	var person strings.Builder
	for _, l := range desk.queue[0].Transcript {
		if l.From == "person" {
			person.WriteString(l.Msg.Text + "\n")
		}
	}
	lines := person.String()
	for _, where := range []struct{ name, text string }{
		{"the desk's transcript", lines},
		// The place the hand-over left keeps its flow's CUIL, as the
		// flow's state did (State.Before): not a datum typed in clear.
		{"the stored state", strings.ReplaceAll(string(h.store.Raw(chat)), `"c":"20401112228"`, "")},
		{"the stored transcript", h.store.Lines(chat)},
		{"the relayed message", strings.Join(desk.relayed, "\n")},
	} {
		for _, c := range clear {
			if strings.Contains(where.text, c) {
				t.Errorf("%s holds %q in clear:\n%s", where.name, c, where.text)
			}
		}
	}
	for _, m := range masks {
		if !strings.Contains(lines, m) {
			t.Errorf("the transcript lacks the mask %q:\n%s", m, lines)
		}
	}
	if !strings.Contains(lines, "Juan") || !strings.Contains(lines, "hablar con una persona") {
		t.Errorf("the transcript lost what is not personal data:\n%s", lines)
	}
}

// wide writes s's digits and separators as a CJK keyboard types them:
// fullwidth ("２０－４０１１１２２２－８").
func wide(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune("0123456789/.-", r) {
			return r + 0xfee0
		}
		return r
	}, s)
}

// TestFullwidthDataReachTheDeskMasked is an attack probe's: the bot reads
// a CUIL, a DNI, a birth date, a número de trámite and an option's number
// typed in fullwidth digits (narrow), so a person with a CJK keyboard goes
// through the validation with them, but the transcript was written from
// the text as typed, where no mask saw a digit: the desk, the stored
// transcript and the state held them in clear, and the answer to an
// identity question unhidden.
func TestFullwidthDataReachTheDeskMasked(t *testing.T) {
	desk := &fakeDesk{}
	h := newHarness(t, dialog.WithDesk(desk))
	const chat = "wide"
	h.send(chat, "menú")
	h.step(chat, "1", dialog.ExpectCUIL)
	h.step(chat, wide(juan), dialog.ExpectFirstNames)
	h.step(chat, "Juan", dialog.ExpectLastNames)
	h.step(chat, "Pérez", dialog.ExpectBirthDate)
	h.step(chat, wide("02/11/1997"), dialog.ExpectDNI)
	h.step(chat, wide("40.111.222"), dialog.ExpectTramite)
	h.step(chat, wide("00612345678"), dialog.ExpectChoice)
	h.step(chat, wide("1"), dialog.ExpectChoice) // read: the next question
	h.step(chat, "hablar con una persona", dialog.ExpectText)
	h.send(chat, "mi dni es "+wide("40111222"))

	if len(desk.queue) != 1 {
		t.Fatalf("queue %d", len(desk.queue))
	}
	var person strings.Builder
	hidden := 0
	for _, l := range desk.queue[0].Transcript {
		if l.From == "person" {
			person.WriteString(l.Msg.Text + "\n")
			if l.Msg.Key == "transcript.hidden_answer" {
				hidden++
			}
		}
	}
	if hidden != 1 {
		t.Errorf("the answer typed %q is not hidden in the transcript:\n%s", wide("1"), person.String())
	}
	clear := []string{"40111222", "40.111.222", "02/11/1997", "00612345678", "20-40111222-8"}
	for _, where := range []struct{ name, text string }{
		{"the desk's transcript", person.String()},
		// The place the hand-over left keeps its flow's CUIL, as the
		// flow's state did (State.Before): not a datum typed in clear.
		{"the stored state", strings.ReplaceAll(string(h.store.Raw(chat)), `"c":"20401112228"`, "")},
		{"the stored transcript", h.store.Lines(chat)},
		{"the relayed message", strings.Join(desk.relayed, "\n")},
	} {
		for _, c := range clear {
			if strings.Contains(where.text, c) || strings.Contains(where.text, wide(c)) {
				t.Errorf("%s holds %q in clear:\n%s", where.name, c, where.text)
			}
		}
	}
}

// TestLongMessageCutKeepsItsMasks is an attack probe's: the transcript
// keeps the first 500 characters of a message, and it cut them before
// masking, so a DNI or a key across the cut lost the digits or the length
// that made it one: "…35218904" kept "352189" in clear, "Tomate#Azul42"
// kept "Tomate#Azul" (a key but for its last two characters).
func TestLongMessageCutKeepsItsMasks(t *testing.T) {
	for _, tt := range []struct {
		name, datum, clear string
		cut                int // characters of datum before the cut
	}{
		{"a DNI", "35218904", "352189", 6},
		{"a key", "Tomate#Azul42", "Tomate#Azul", 11},
		{"an e-mail", "maria.gomez@gmail.com", "maria.gomez", 15},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			pad := strings.Repeat("bla ", 125)[:500-tt.cut-1] + " "
			h.send("long", pad+tt.datum+" y nada más")
			if lines := h.store.Lines("long"); strings.Contains(lines, tt.clear) {
				t.Errorf("the stored transcript holds %q in clear:\n%s", tt.clear, lines)
			}
			// A message to the desk is cut likewise, at 4096 characters.
			desk := &fakeDesk{}
			h = newHarness(t, dialog.WithDesk(desk))
			h.step("desk", "hablar con una persona", dialog.ExpectText)
			pad = strings.Repeat("bla ", 1024)[:4096-tt.cut-1] + " "
			h.send("desk", pad+tt.datum+" y nada más")
			if relayed := strings.Join(desk.relayed, "\n"); strings.Contains(relayed, tt.clear) {
				t.Errorf("the relayed message holds %q in clear", tt.clear)
			}
		})
	}
}

// TestSpokenDataReachTheDeskMasked is an attack probe's on serve's REST
// chat: the steps read a birth date and a DNI said in words, as a phone's
// voice typing writes them (spoken.go), so a person goes through the
// validation with them, but the transcript was masked from the words,
// where no mask saw a digit: "tres de noviembre de mil novecientos
// cincuenta y ocho" and "doce millones seiscientos cuatro mil …" reached
// the stored transcript, the desk and a relayed message in clear, the
// DNI telling the CUIL's masked digits.
func TestSpokenDataReachTheDeskMasked(t *testing.T) {
	const (
		date = "catorce de marzo de mil novecientos ochenta y cinco"
		dni  = "treinta y un millones cuatrocientos cincuenta y seis mil setecientos ochenta y nueve"
	)
	desk := &fakeDesk{}
	h := newHarness(t, dialog.WithDesk(desk))
	const chat = "spoken"
	h.toBirthDateStep(chat)
	h.step(chat, date, dialog.ExpectDNI)
	h.send(chat, dni)
	h.step(chat, "hablar con una persona", dialog.ExpectText)
	h.send(chat, "mi dni es "+dni)

	if len(desk.queue) != 1 {
		t.Fatalf("queue %d", len(desk.queue))
	}
	var person strings.Builder
	for _, l := range desk.queue[0].Transcript {
		if l.From == "person" {
			person.WriteString(l.Msg.Text + "\n")
		}
	}
	clear := []string{"catorce de marzo", "mil novecientos ochenta", "1985", "millones", "31456789", "31.456.789"}
	for _, where := range []struct{ name, text string }{
		{"the desk's transcript", person.String()},
		{"the stored transcript", h.store.Lines(chat)},
		{"the relayed message", strings.Join(desk.relayed, "\n")},
	} {
		for _, c := range clear {
			if strings.Contains(where.text, c) {
				t.Errorf("%s holds %q in clear:\n%s", where.name, c, where.text)
			}
		}
	}
}

// TestDataTheStepCannotReadAreMasked is an attack probe's: a birth date
// or a DNI typed with a separator the step does not read ("14_03_1985",
// "14|03|1985", "14·03·1985", "14/03 de 1985", "31_456_789"), or a CUIL
// the CUIL step cannot read ("20-31456789", its check digit left out) is asked
// again, but it is the person's datum all the same, and the masks, which
// look for the separators the steps read, left it in the stored
// transcript and the desk's view in clear. What a data step could not
// read is masked whole when it holds a datum's worth of digits; the DNI's
// last three digits the masks show stay as they were.
func TestDataTheStepCannotReadAreMasked(t *testing.T) {
	for _, tt := range []struct {
		name, typed, clear string
		toStep             func(*harness, string)
	}{
		{"date with underscores", "14_03_1985", "1985", (*harness).toBirthDateStep},
		{"date with bars", "14|03|1985", "1985", (*harness).toBirthDateStep},
		{"date with middle dots", "14·03·1985", "1985", (*harness).toBirthDateStep},
		{"date with a fraction slash", "14⁄03⁄1985", "1985", (*harness).toBirthDateStep},
		{"day and month apart from the year", "14/03 de 1985", "1985", (*harness).toBirthDateStep},
		{"year with an apostrophe", "14-03-'85", "14-03", (*harness).toBirthDateStep},
		{"DNI with underscores", "31_456_789", "31_456", (*harness).toDNIStep},
		{"DNI with middle dots", "31·456·789", "31·456", (*harness).toDNIStep},
		// At the CUIL step: one without its check digit was masked as a
		// phone's number, "+54 9 2031 **-6789", six of the DNI's eight
		// digits shown.
		{"CUIL without its check digit", "20-31456789", "2031", toCUILStep},
		{"CUIL in groups with underscores", "20_31_456_789_8", "456_789", toCUILStep},
	} {
		t.Run(tt.name, func(t *testing.T) {
			desk := &fakeDesk{}
			h := newHarness(t, dialog.WithDesk(desk))
			const chat = "unread"
			tt.toStep(h, chat)
			h.send(chat, tt.typed)
			h.step(chat, "hablar con una persona", dialog.ExpectText)
			if len(desk.queue) != 1 {
				t.Fatalf("queue %d", len(desk.queue))
			}
			var person strings.Builder
			for _, l := range desk.queue[0].Transcript {
				person.WriteString(l.Msg.Text + "\n")
			}
			for _, where := range []struct{ name, text string }{
				{"the desk's transcript", person.String()},
				{"the stored transcript", h.store.Lines(chat)},
			} {
				if strings.Contains(where.text, tt.clear) {
					t.Errorf("%s holds %q of %q in clear:\n%s", where.name, tt.clear, tt.typed, where.text)
				}
			}
		})
	}
}
