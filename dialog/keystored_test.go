package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestKeyStoredThenStateNotSaved: the turn that stores the person's key
// cannot save the chat's state afterwards (Redis went away). The key is
// the person's: they are told so, not to try again, and their next
// message, which finds the state of before (the key's confirmation),
// hears it again instead of "Ese CUIL ya tiene una clave creada" (create)
// or a second recovery stored and audited (found by a resilience probe:
// the person was told "No perdiste nada: probá de nuevo" with the key
// stored).
func TestKeyStoredThenStateNotSaved(t *testing.T) {
	for _, next := range []string{"Mate2025amargo", "hola"} {
		t.Run("create, then "+next, func(t *testing.T) {
			h := newHarness(t)
			store := &failingCommits{MemStore: h.store}
			h.eng = dialog.New(store, h.reg, h.cat, h.opts...)
			const chat = "stored"
			h.toKeyStep(chat)
			h.step(chat, "Mate2025amargo", dialog.ExpectConfirmKey)
			store.down = true
			res, err := h.eng.Handle(h.ctx, dialog.Inbound{Chat: chat, ID: "confirm", Text: "Mate2025amargo", Channel: "test"})
			store.down = false
			if err != nil || !has(res.Replies, i18n.M("done.create")) {
				t.Errorf("key stored, state not saved: %v\n%s\nwant the key told created", err, h.dump(res.Replies))
			}
			rs := h.send(chat, next)
			if has(rs, i18n.M("create.has_key")) || !has(rs, i18n.M("key.stored_before")) || !has(rs, i18n.M("done.create")) {
				t.Errorf("next message %q:\n%s\nwant the key told stored, not the CUIL's key offered for recovery", next, h.dump(rs))
			}
			if got := last(rs).Expect; got != dialog.ExpectMenu {
				t.Errorf("after it the bot waits for %q, want the menu", got)
			}
			h.step(chat, "hola", dialog.ExpectMenu) // the state moved on
		})
	}
	t.Run("recover", func(t *testing.T) {
		h := newHarness(t)
		withKey(h, "Primera2024a")
		store := &failingCommits{MemStore: h.store}
		h.eng = dialog.New(store, h.reg, h.cat, h.opts...)
		const chat = "rec"
		h.step(chat, "hola", dialog.ExpectMenu)
		h.step(chat, "2", dialog.ExpectCUIL)
		h.step(chat, maria, dialog.ExpectDNI)
		h.step(chat, "31456789", dialog.ExpectBirthDate)
		h.step(chat, "1985-03-14", dialog.ExpectChoice)
		h.answerQuestions(chat, maria, false)
		h.step(chat, "Segunda2025b", dialog.ExpectConfirmKey)
		store.down = true
		res, err := h.eng.Handle(h.ctx, dialog.Inbound{Chat: chat, ID: "confirm", Text: "Segunda2025b", Channel: "test"})
		store.down = false
		if err != nil || !has(res.Replies, i18n.M("done.recover")) {
			t.Errorf("key stored, state not saved: %v\n%s\nwant the key told recovered", err, h.dump(res.Replies))
		}
		rs := h.send(chat, "Segunda2025b")
		if !has(rs, i18n.M("key.stored_before")) {
			t.Errorf("the key again:\n%s\nwant it told stored", h.dump(rs))
		}
		var n int
		if err := h.db.DB().Get(&n, `SELECT count(*) FROM audit WHERE action = 'key.recovered'`); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("%d key.recovered audit events, want 1: the key was stored once", n)
		}
	})
}
