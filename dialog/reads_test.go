package dialog_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/registry"
)

// countingRegistry counts the registry's reads.
type countingRegistry struct {
	dialog.Registry
	mu    sync.Mutex
	calls map[string]int
}

func (c *countingRegistry) count(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls[name]++
}

func (c *countingRegistry) take() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := fmt.Sprint(c.calls)
	c.calls = map[string]int{}
	return s
}

func (c *countingRegistry) Citizen(ctx context.Context, cuil registry.CUIL) (*registry.Citizen, error) {
	c.count("Citizen")
	return c.Registry.Citizen(ctx, cuil)
}

func (c *countingRegistry) HasKey(ctx context.Context, cuil registry.CUIL) (bool, error) {
	c.count("HasKey")
	return c.Registry.HasKey(ctx, cuil)
}

func (c *countingRegistry) BeginQuestions(ctx context.Context, ct *registry.Citizen, keyed bool) (registry.Round, error) {
	c.count("BeginQuestions")
	return c.Registry.BeginQuestions(ctx, ct, keyed)
}

func (c *countingRegistry) Lockout(ctx context.Context, cuil registry.CUIL, kind registry.LockKind) (registry.Lockout, error) {
	c.count("Lockout")
	return c.Registry.Lockout(ctx, cuil, kind)
}

// TestRegistryReadsPerTurn: the CUIL step reads nothing of the registry
// (it tells nothing of the CUIL, issue 8.4); each datum reads the citizen
// once, including the last one, which also begins the round of questions
// (whether there is a key, the attempt, the questions: one call).
func TestRegistryReadsPerTurn(t *testing.T) {
	h := newHarness(t)
	reg := &countingRegistry{Registry: h.reg, calls: map[string]int{}}
	h.eng = dialog.New(h.store, reg, h.cat, h.opts...)
	const chat = "reads"
	steps := []struct {
		text   string
		expect dialog.Expect
		reads  string
	}{
		{"hola", dialog.ExpectMenu, "map[]"},
		{"1", dialog.ExpectCUIL, "map[]"},
		{maria, dialog.ExpectFirstNames, "map[]"},
		{"María Belén", dialog.ExpectLastNames, "map[Citizen:1]"},
		{"Gómez Ruiz", dialog.ExpectBirthDate, "map[Citizen:1]"},
		{"14/03/1985", dialog.ExpectDNI, "map[Citizen:1]"},
		{"31456789", dialog.ExpectChoice, "map[BeginQuestions:1 Citizen:1]"},
	}
	for _, s := range steps {
		h.step(chat, s.text, s.expect)
		if got := reg.take(); got != s.reads {
			t.Errorf("after %q the registry was read %s, want %s", s.text, got, s.reads)
		}
	}
}
