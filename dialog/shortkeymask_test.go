package dialog_test

import (
	"strings"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/registry"
)

// TestShortKeysReachTheDeskMasked: with --key-min-len 6 (the least it
// takes), a key of 6 or 7 characters typed to an agent, or where no key
// is asked, is hidden as a longer one is. The mask took a word for a key
// from 8 characters on, the default policy's shortest: such a key reached
// the desk's transcript, the stored one and the agent in clear (an attack
// probe).
func TestShortKeysReachTheDeskMasked(t *testing.T) {
	desk := &fakeDesk{}
	h := newHarness(t, dialog.WithDesk(desk))
	p := registry.DefaultPolicy()
	p.KeyMinLen = 6
	h.reg = registry.NewService(h.db, registry.NewHasher(registry.HashParams{Memory: 64, Time: 1, Threads: 1}, 2), p, 42, registry.WithClock(h.clock))
	h.restart()
	const chat = "shortkey"
	h.send(chat, "hola, mi clave Mate25 no anda")
	h.send(chat, "hablar con una persona")
	h.send(chat, "si")
	if len(desk.queue) != 1 {
		t.Fatalf("queue %d", len(desk.queue))
	}
	h.send(chat, "probé Mate25 y Bomba7x, ninguna entra")

	var person strings.Builder
	for _, l := range desk.queue[0].Transcript {
		if l.From == "person" {
			person.WriteString(l.Msg.Text + "\n")
		}
	}
	for _, where := range []struct{ name, text string }{
		{"the desk's transcript", person.String()},
		{"the stored transcript", h.store.Lines(chat)},
		{"the relayed message", strings.Join(desk.relayed, "\n")},
	} {
		for _, c := range []string{"Mate25", "Bomba7x"} {
			if strings.Contains(where.text, c) {
				t.Errorf("%s holds the key %q in clear:\n%s", where.name, c, where.text)
			}
		}
	}
}

// TestLongKeysReachTheDeskMasked: with --key-max-len above 32 (the config
// sets no bound), a key longer than 32 characters typed to an agent is
// hidden as a shorter one is: the mask took no word longer than 32 for a
// key (an attack probe).
func TestLongKeysReachTheDeskMasked(t *testing.T) {
	desk := &fakeDesk{}
	h := newHarness(t, dialog.WithDesk(desk))
	p := registry.DefaultPolicy()
	p.KeyMaxLen = 64
	h.reg = registry.NewService(h.db, registry.NewHasher(registry.HashParams{Memory: 64, Time: 1, Threads: 1}, 2), p, 42, registry.WithClock(h.clock))
	h.restart()
	const chat = "longkey"
	const key = "MateAmargoConBizcochitos2025DeGrasa"
	h.send(chat, "hablar con una persona")
	h.send(chat, "si")
	if len(desk.queue) != 1 {
		t.Fatalf("queue %d", len(desk.queue))
	}
	h.send(chat, "mi clave es "+key+" y no entra")
	for _, where := range []struct{ name, text string }{
		{"the stored transcript", h.store.Lines(chat)},
		{"the relayed message", strings.Join(desk.relayed, "\n")},
	} {
		if strings.Contains(where.text, key) {
			t.Errorf("%s holds the key in clear:\n%s", where.name, where.text)
		}
	}
}
