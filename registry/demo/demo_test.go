package demo

import (
	"bytes"
	"testing"

	"github.com/clavebot/clavebot/registry"
)

func decodeAll(t *testing.T) []*registry.Citizen {
	t.Helper()
	var cs []*registry.Citizen
	for i, line := range bytes.Split(bytes.TrimSpace(Citizens()), []byte("\n")) {
		c, err := registry.DecodeCitizen(line)
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		cs = append(cs, c)
	}
	return cs
}

func TestCitizensAreValidAndConsistent(t *testing.T) {
	cs := decodeAll(t)
	if len(cs) < 4 || len(cs) > 5 {
		t.Fatalf("%d demo citizens, want 4 or 5", len(cs))
	}
	seen := map[registry.CUIL]bool{}
	for _, c := range cs {
		if seen[c.CUIL] {
			t.Errorf("CUIL %s twice", c.CUIL)
		}
		seen[c.CUIL] = true
		if want := string(c.CUIL[2:10]); want != "0"+c.DNI && want != c.DNI {
			t.Errorf("CUIL %s does not carry DNI %s", c.CUIL, c.DNI)
		}
		if !c.DNIIssueDate.After(c.BirthDate) {
			t.Errorf("%s: DNI issued before birth", c.CUIL)
		}
	}
}

// TestCitizensAreVaried keeps the cases the README shows.
func TestCitizensAreVaried(t *testing.T) {
	cases := map[string]func(c *registry.Citizen) bool{
		"two first names": func(c *registry.Citizen) bool { return bytes.ContainsRune([]byte(c.FirstNames), ' ') },
		"two last names":  func(c *registry.Citizen) bool { return bytes.ContainsRune([]byte(c.LastNames), ' ') },
		"social name":     func(c *registry.Citizen) bool { return c.SocialName != "" },
		"dni_tramite":     func(c *registry.Citizen) bool { return c.DNITramite != "" },
		"no history":      func(c *registry.Citizen) bool { return len(c.Employers)+len(c.Benefits) == 0 },
	}
	cs := decodeAll(t)
	for name, has := range cases {
		t.Run(name, func(t *testing.T) {
			for _, c := range cs {
				if has(c) {
					return
				}
			}
			t.Error("no demo citizen has it")
		})
	}
}

func TestCitizensReturnsACopy(t *testing.T) {
	b := Citizens()
	b[0] = 'x'
	if Citizens()[0] != '{' {
		t.Error("Citizens returned the embedded bytes themselves")
	}
}
