package dialog_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
)

// TestLastMessageKeptToTheSecond: the time of a chat's last message, in
// every state, is kept to the second, which the idle timeout needs, not
// to the nanosecond a real clock gives (ten bytes more in every state in
// Redis: "2026-11-24T15:00:00.123456789Z").
func TestLastMessageKeptToTheSecond(t *testing.T) {
	h := newHarness(t)
	h.now = h.now.Add(123456789 * time.Nanosecond)
	h.step("seen", "hola", dialog.ExpectMenu)
	var st struct {
		Seen string `json:"ls"`
	}
	if err := json.Unmarshal(h.store.Raw("seen"), &st); err != nil {
		t.Fatal(err)
	}
	if st.Seen != "2026-11-24T15:00:00Z" {
		t.Fatalf("the last message is kept as %q, want %q", st.Seen, "2026-11-24T15:00:00Z")
	}
}
