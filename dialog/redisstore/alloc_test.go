package redisstore

import (
	"strings"
	"testing"
)

// TestParseAcquireAllocations: a good reply is read without formatting
// the error it would have been, state and all (up to 6 KB with %v, every
// turn, thrown away).
func TestParseAcquireAllocations(t *testing.T) {
	state := strings.Repeat("x", 1500)
	res := []any{int64(1), state, int64(0)}
	r, err := parseAcquire(res)
	if err != nil || string(r.state) != state || r.status != 1 {
		t.Fatalf("parseAcquire = %+v, %v", r.acquired.status, err)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = parseAcquire(res) }); n > 1 {
		t.Errorf("parseAcquire of a good reply: %.0f allocations, want 1 (the state's copy)", n)
	}
	if _, err := parseAcquire([]any{int64(1)}); err == nil || !strings.Contains(err.Error(), "unexpected reply") {
		t.Errorf("parseAcquire of a bad reply: %v", err)
	}
}
