package registry_test

import (
	"testing"

	"github.com/clavebot/clavebot/registry"
)

func TestCoverFor(t *testing.T) {
	p := registry.DefaultPolicy()
	plain, tramite := &registry.Citizen{}, &registry.Citizen{DNITramite: "00612345678"}
	cases := []struct {
		name     string
		c        *registry.Citizen
		n        int
		verified bool
		want     registry.Cover
	}{
		{"three questions", plain, 3, false, registry.CoverNone},
		{"three questions and a trámite", tramite, 3, true, registry.CoverNone},
		{"two and a trámite", tramite, 2, false, registry.CoverTramite},
		{"one, a trámite and a contact", tramite, 1, true, registry.CoverTramite},
		{"two and a verified contact", plain, 2, true, registry.CoverCode},
		{"one and a verified contact", plain, 1, true, registry.CoverCode},
		{"two, nothing else", plain, 2, false, registry.CoverMissing},
		{"one, nothing else", plain, 1, false, registry.CoverMissing},
		{"none, whatever else", tramite, 0, true, registry.CoverMissing},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := p.CoverFor(tc.c, tc.n, tc.verified); got != tc.want {
				t.Errorf("CoverFor(%d, verified %v) = %q, want %q", tc.n, tc.verified, got, tc.want)
			}
		})
	}
}
