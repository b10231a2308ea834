package errs_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/clavebot/clavebot/internal/errs"
)

func TestKinds(t *testing.T) {
	sentinel := errs.New(errs.Invalid, "a CUIL has 11 digits")
	cause := errors.New("connection refused")
	tests := []struct {
		name string
		err  error
		kind errs.Kind
		msg  string
	}{
		{"nil", nil, errs.Other, ""},
		{"plain", cause, errs.Other, "connection refused"},
		{"kinded", errs.E(errs.Unavailable, "get citizen", cause), errs.Unavailable, "get citizen: connection refused"},
		{"sentinel", sentinel, errs.Invalid, "a CUIL has 11 digits"},
		{"sentinel wrapped by fmt", fmt.Errorf("line 3: %w", sentinel), errs.Invalid, "line 3: a CUIL has 11 digits"},
		{"wrap keeps the kind", errs.Wrap("verify", errs.E(errs.NotFound, "key", nil)), errs.NotFound, "verify: key: not found"},
		{"wrap of nil", errs.Wrap("verify", nil), errs.Other, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errs.KindOf(tt.err); got != tt.kind {
				t.Errorf("KindOf = %v, want %v", got, tt.kind)
			}
			if tt.err != nil && tt.err.Error() != tt.msg {
				t.Errorf("Error() = %q, want %q", tt.err.Error(), tt.msg)
			}
			if tt.kind != errs.Other && !errs.Is(tt.kind, tt.err) {
				t.Errorf("Is(%v) = false", tt.kind)
			}
		})
	}
	if !errors.Is(fmt.Errorf("x: %w", sentinel), sentinel) {
		t.Error("a sentinel is not found by errors.Is")
	}
}
