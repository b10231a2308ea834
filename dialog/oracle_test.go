package dialog_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// Issue 8.4: nothing about a CUIL is told to a stranger beyond what
// ANSES's public pages tell. These tests play someone who has read the
// code and types other people's CUILs into the create, recover and change
// flows, to learn whether each is registered, has a key or is locked.

// unknownCUIL is well formed, with a valid check digit, and in no record.
var unknownCUIL = validCUIL(33444555)

// cuilClass is a CUIL in one state of the registry.
type cuilClass struct {
	name  string
	cuil  string
	setup func(h *harness, cuil registry.CUIL)
}

// setKey gives cuil a key, as if created long ago.
func setKey(h *harness, cuil registry.CUIL) {
	h.t.Helper()
	phc, err := h.reg.HashKey(h.ctx, "Primera2024a")
	if err != nil {
		h.t.Fatal(err)
	}
	if err := h.reg.SetKey(h.ctx, cuil, phc, registry.ActionKeyCreated, "test"); err != nil {
		h.t.Fatal(err)
	}
}

// lockValidation fails cuil's validation until it locks.
func lockValidation(h *harness, cuil registry.CUIL) {
	h.t.Helper()
	for range h.reg.Policy().Validation.Max {
		if _, err := h.reg.FailValidation(h.ctx, cuil); err != nil {
			h.t.Fatal(err)
		}
	}
}

// lockKey types wrong keys for cuil until its key locks.
func lockKey(h *harness, cuil registry.CUIL) {
	h.t.Helper()
	for range h.reg.Policy().WrongKeys.Max {
		if _, err := h.reg.Verify(h.ctx, cuil, "Equivocada1", "test"); err != nil {
			h.t.Fatal(err)
		}
	}
	if l, _ := h.reg.Lockout(h.ctx, cuil, registry.LockKey); !l.LockedAt(h.now) {
		h.t.Fatalf("setup: the key of %s did not lock: %+v", cuil, l)
	}
}

// cuilClasses are a CUIL in each state a stranger could want to learn.
func cuilClasses() []cuilClass {
	none := func(*harness, registry.CUIL) {}
	return []cuilClass{
		{"unknown", unknownCUIL, none},
		{"registered without key", maria, none},
		{"registered without key, with a número de trámite", juan, none},
		{"registered with key", maria, setKey},
		{"validation locked, with key", maria, func(h *harness, c registry.CUIL) { setKey(h, c); lockValidation(h, c) }},
		{"validation locked, without key", ana, lockValidation},
		{"key locked", maria, func(h *harness, c registry.CUIL) { setKey(h, c); lockKey(h, c) }},
	}
}

func cuilOf(s string) registry.CUIL { return registry.CUIL(strings.ReplaceAll(s, "-", "")) }

// heard is what a person is told by rs, as keys with arguments, options,
// what is expected, and the text in every language, with the CUIL typed
// (in any of its forms) and the DNI within it replaced by placeholders:
// only echoes of what the person typed are normalised.
func (h *harness) heard(rs []dialog.Reply, cuil string) string {
	var sb strings.Builder
	for _, r := range rs {
		sb.WriteString(show(r.Msg) + " [" + string(r.Expect) + "]")
		for _, o := range r.Options {
			sb.WriteString(" | " + show(o))
		}
		sb.WriteString("\n")
	}
	sb.WriteString(h.shown(rs))
	out := sb.String()
	c := cuilOf(cuil)
	dni := string(c[2:10])
	for _, form := range []string{cuil, string(c), c.String(), c.Masked(), dni, strings.TrimLeft(dni, "0")} {
		out = strings.ReplaceAll(out, form, "<typed>")
	}
	return out
}

// wrongDNI is the DNI a stranger reads in a CUIL: its middle digits.
func wrongDNI(cuil string) string { return strings.Split(cuil, "-")[1] }

// TestCUILStepTellsAStrangerNothing: for any well-formed CUIL, whatever the
// registry holds of it, the answer to the CUIL and to the next message
// are the same. A stranger typing CUILs learns nothing from them.
func TestCUILStepTellsAStrangerNothing(t *testing.T) {
	flows := []struct {
		name, option string
		// next is what the stranger types after the CUIL.
		next func(cuil string) string
		// nextJudged: the next answer is judged (the current key): a lock
		// may then be told, so locked CUILs are left out of its comparison.
		nextJudged bool
	}{
		{"create", "1", func(string) string { return "Pedro" }, false},
		{"recover", "2", wrongDNI, false},
		{"change", "3", func(string) string { return "Equivocada1" }, true},
		{"contact data", "7", func(string) string { return "Equivocada1" }, true},
	}
	for _, f := range flows {
		t.Run(f.name, func(t *testing.T) {
			var ref []string // what the first class heard, turn by turn
			var refClass string
			for _, c := range cuilClasses() {
				h := newHarness(t)
				c.setup(h, cuilOf(c.cuil))
				const chat = "stranger"
				h.step(chat, "hola", dialog.ExpectMenu)
				h.send(chat, f.option)
				atCUIL := h.send(chat, c.cuil)
				next := h.send(chat, f.next(c.cuil))
				heard := []string{h.heard(atCUIL, c.cuil)}
				locked := strings.Contains(c.name, "locked")
				if !f.nextJudged || !locked {
					heard = append(heard, h.heard(next, c.cuil))
				}
				if ref == nil {
					ref, refClass = heard, c.name
					continue
				}
				for i := range min(len(ref), len(heard)) {
					if heard[i] != ref[i] {
						t.Errorf("turn %d after the CUIL: a CUIL %s is answered\n%s\nand a CUIL %s\n%s",
							i, refClass, ref[i], c.name, heard[i])
					}
				}
			}
		})
	}
}

// TestUnknownCUILIsJudgedLikeWrongData: the personal data of a CUIL that
// is in no record are judged as data that do not match a record: the same
// causes named, the same attempts left, the same lock after as many
// failures. The stranger types the DNI that is in the CUIL, a name and a
// birth date.
func TestUnknownCUILIsJudgedLikeWrongData(t *testing.T) {
	flows := []struct {
		name, option string
		setup        func(h *harness, cuil registry.CUIL)
		data         func(cuil string) []string
	}{
		{"create", "1", func(*harness, registry.CUIL) {},
			func(cuil string) []string { return []string{"Pedro", "Gonzalez", "01/01/1980", wrongDNI(cuil)} }},
		{"recover", "2", setKey,
			func(cuil string) []string { return []string{wrongDNI(cuil), "01/01/1980"} }},
	}
	for _, f := range flows {
		t.Run(f.name, func(t *testing.T) {
			var ref [][]string
			for _, cuil := range []string{maria, juan, unknownCUIL} {
				h := newHarness(t)
				if cuil != unknownCUIL {
					f.setup(h, cuilOf(cuil))
				}
				const chat = "stranger"
				h.step(chat, "hola", dialog.ExpectMenu)
				h.send(chat, f.option)
				h.send(chat, cuil)
				var heard []string
				for round := range h.reg.Policy().Validation.Max {
					var rs []dialog.Reply
					data := f.data(cuil)
					if round > 0 {
						data = data[:0]
						for _, d := range f.data(cuil) {
							if !strings.Contains(d, wrongDNI(cuil)) {
								data = append(data, d) // the DNI matched, for a record
							}
						}
					}
					for _, d := range data {
						rs = h.send(chat, d)
						heard = append(heard, h.heard(rs, cuil))
					}
					if round == h.reg.Policy().Validation.Max-1 && !has(rs, i18n.M("lock.validation")) {
						t.Fatalf("%s: wrong data %d times do not lock:\n%s", cuil, round+1, h.dump(rs))
					}
				}
				if l, _ := h.reg.Lockout(h.ctx, cuilOf(cuil), registry.LockValidation); !l.LockedAt(h.now) {
					t.Fatalf("%s is not locked in the registry: %+v", cuil, l)
				}
				ref = append(ref, heard)
			}
			for i := 1; i < len(ref); i++ {
				if !slices.Equal(ref[i], ref[0]) {
					t.Fatalf("wrong data for an unknown CUIL are answered\n%s\nand for a registered one\n%s",
						strings.Join(ref[i], "---\n"), strings.Join(ref[0], "---\n"))
				}
			}
		})
	}
}

// TestCurrentKeyTellsNothing: at the change flow's current key, a CUIL
// that is in no record, or has no key, is answered as a wrong key, and
// locks after as many; creating the key later forgets those failures.
func TestCurrentKeyTellsNothing(t *testing.T) {
	var ref []string
	for _, c := range []cuilClass{
		{"with key", maria, setKey},
		{"without key", ana, func(*harness, registry.CUIL) {}},
		{"unknown", unknownCUIL, func(*harness, registry.CUIL) {}},
	} {
		h := newHarness(t)
		c.setup(h, cuilOf(c.cuil))
		const chat = "stranger"
		h.step(chat, "hola", dialog.ExpectMenu)
		h.send(chat, "3")
		h.send(chat, c.cuil)
		var heard []string
		for range h.reg.Policy().WrongKeys.Max {
			heard = append(heard, h.heard(h.send(chat, "Equivocada1"), c.cuil))
		}
		if l, _ := h.reg.Lockout(h.ctx, cuilOf(c.cuil), registry.LockKey); !l.LockedAt(h.now) {
			t.Fatalf("%s: wrong keys do not lock: %+v\n%s", c.name, l, heard[len(heard)-1])
		}
		if ref == nil {
			ref = heard
		} else if !slices.Equal(heard, ref) {
			t.Fatalf("wrong keys for a CUIL %s are answered\n%s\nand for one with a key\n%s",
				c.name, strings.Join(heard, "---\n"), strings.Join(ref, "---\n"))
		}
	}

	t.Run("creating the key forgets them", func(t *testing.T) {
		h := newHarness(t)
		h.step("stranger", "hola", dialog.ExpectMenu)
		h.send("stranger", "3")
		h.send("stranger", maria)
		h.send("stranger", "Equivocada1")
		h.send("stranger", "Equivocada1")
		if l, _ := h.reg.Lockout(h.ctx, cuilOf(maria), registry.LockKey); l.Failures != 2 {
			t.Fatalf("two wrong keys for a CUIL without one count %d", l.Failures)
		}
		withKey(h, "Primera2024a")
		if l, _ := h.reg.Lockout(h.ctx, cuilOf(maria), registry.LockKey); l.Failures != 0 || l.LockedAt(h.now) {
			t.Fatalf("after the key is created the stranger's wrong keys still count: %+v", l)
		}
	})
}
