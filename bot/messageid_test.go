package bot_test

import (
	"encoding/json"
	"testing"

	"github.com/clavebot/clavebot/bot"
)

// TestMessageIDTakesAStringOrANumber: an id is a string or a number, a
// number kept as its digits; anything else is refused.
func TestMessageIDTakesAStringOrANumber(t *testing.T) {
	for _, tt := range []struct {
		raw     string
		want    bot.MessageID
		invalid bool
	}{
		{raw: `"m-1"`, want: "m-1"},
		{raw: `"7"`, want: "7"},
		{raw: `"\u00e1"`, want: "á"},
		{raw: `""`, want: ""},
		{raw: `7`, want: "7"},
		{raw: `-1.5e3`, want: "-1.5e3"},
		{raw: `null`, want: ""},
		{raw: `true`, invalid: true},
		{raw: `{}`, invalid: true},
		{raw: `[1]`, invalid: true},
	} {
		t.Run(tt.raw, func(t *testing.T) {
			var req struct {
				ID bot.MessageID `json:"id"`
			}
			err := json.Unmarshal([]byte(`{"id":`+tt.raw+`}`), &req)
			if (err != nil) != tt.invalid {
				t.Fatalf("err = %v, want invalid %v", err, tt.invalid)
			}
			if !tt.invalid && req.ID != tt.want {
				t.Errorf("id = %q, want %q", req.ID, tt.want)
			}
		})
	}
}

// TestMessageIDStringDoesNotFailFirst: a string id, what clients send on
// every REST turn, is read as a string at once; it was first tried as a
// number, whose failure built an error: six allocations a turn instead of one.
func TestMessageIDStringDoesNotFailFirst(t *testing.T) {
	raw := []byte(`"9f2c1a7e-turn-12"`)
	var id bot.MessageID
	allocs := testing.AllocsPerRun(100, func() {
		if err := id.UnmarshalJSON(raw); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 2 {
		t.Errorf("a string id took %.0f allocations, want at most 2", allocs)
	}
}

func BenchmarkMessageID(b *testing.B) {
	for _, raw := range []string{`"9f2c1a7e-turn-12"`, `12`} {
		b.Run(raw, func(b *testing.B) {
			b.ReportAllocs()
			var id bot.MessageID
			for b.Loop() {
				if err := id.UnmarshalJSON([]byte(raw)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
