package redisstore

import (
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog/statestore"
)

// TestKeysAllocations: a turn names the chat's nine keys twice (acquire
// and commit); they are one string cut in nine, not ten strings.
func TestKeysAllocations(t *testing.T) {
	s := New(nil)
	want := chatKeys{
		lock:       "clavebot:lock:{rest:abc}",
		state:      "clavebot:state:{rest:abc}",
		was:        "clavebot:was:{rest:abc}",
		handled:    "clavebot:handled:{rest:abc}",
		queue:      "clavebot:queue:{rest:abc}",
		waiters:    "clavebot:waiters:{rest:abc}",
		transcript: "clavebot:transcript:{rest:abc}",
		oldSeen:    "clavebot:seen:{rest:abc}:m1",
		replies:    "clavebot:replies:{rest:abc}",
	}
	if got := s.keys("rest:abc", "m1"); got != want {
		t.Fatalf("keys = %+v, want %+v", got, want)
	}
	if got := s.keys("rest:abc", "").oldSeen; got != "clavebot:seen:{rest:abc}:" {
		t.Fatalf("oldSeen without an id = %q", got)
	}
	// As in a turn, the keys outlive the call (they go to the script).
	long := "telegram:" + strings.Repeat("9", 40) // longer than a concatenation's stack buffer
	for _, chat := range []string{"rest:abc", long} {
		if n := testing.AllocsPerRun(100, func() { keysSink = s.keys(chat, "m1") }); n > 1 {
			t.Errorf("keys(%q): %.0f allocations, want 1", chat, n)
		}
	}
	if got := s.keys(long, "m1").replies; got != "clavebot:replies:{"+long+"}" {
		t.Errorf("replies of a long chat = %q", got)
	}
}

var keysSink chatKeys

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

// TestEncodeCountsAllocations: a chat's counts are written at every
// commit once its CUIL is given; their field is built in one buffer, not
// formatted count by count (three boxed values and a builder's growth
// each).
func TestEncodeCountsAllocations(t *testing.T) {
	now := time.Unix(1764469000, 0)
	counts := map[string]statestore.Count{
		"cuil":     {N: 3, Ends: time.Unix(1764470000, 1e6)},
		"dni-miss": {N: 12, Ends: time.Unix(1764471000, 0)},
	}
	got, keep, err := encodeCounts(counts, now)
	if want := "1764471000 cuil 3 1764470001 dni-miss 12 1764471000"; got != want || err != nil {
		t.Fatalf("encodeCounts = %q, %v, want %q", got, err, want)
	}
	if keep != 2000*1000 {
		t.Errorf("kept for %d ms, want %d", keep, 2000*1000)
	}
	if back := decodeCounts(got); len(back) != 2 || back["cuil"].N != 3 || back["dni-miss"].Ends.Unix() != 1764471000 {
		t.Errorf("decodeCounts(%q) = %v", got, back)
	}
	if n := testing.AllocsPerRun(100, func() { countsSink, _, _ = encodeCounts(counts, now) }); n > 2 {
		t.Errorf("encodeCounts: %.0f allocations, want at most 2 (the names, the field)", n)
	}
}

var countsSink string
