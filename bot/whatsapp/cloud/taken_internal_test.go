package cloud

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestTakenRepliesKnowsOnlyWhatMetaAnswered: a status is kept from Redis
// only for a send Meta answered here; one that overtook the send waits for
// its answer; after a failure the key is not known, even if an earlier
// send of it was taken.
func TestTakenRepliesKnowsOnlyWhatMetaAnswered(t *testing.T) {
	ctx := context.Background()
	unsure := errors.New("no answer")
	tests := []struct {
		name string
		ends []error // the key's sends, in order
		want bool
	}{
		{"never sent here", nil, false},
		{"taken", []error{nil}, true},
		{"no answer", []error{unsure}, false},
		{"taken, then sent again with no answer", []error{nil, unsure}, false},
		{"no answer, then taken", []error{unsure, nil}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := newTakenReplies()
			for _, err := range tt.ends {
				tr.send("reply:1")(err)
			}
			if got := tr.has(ctx, "reply:1"); got != tt.want {
				t.Errorf("has = %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("status before the answer", func(t *testing.T) {
		tr := newTakenReplies()
		done := tr.send("reply:2")
		time.AfterFunc(20*time.Millisecond, func() { done(nil) })
		if !tr.has(ctx, "reply:2") {
			t.Error("a status that overtook the answer did not wait for it")
		}
	})
	t.Run("answer too late", func(t *testing.T) {
		tr := newTakenReplies()
		tr.send("reply:3")
		ctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
		defer cancel()
		if tr.has(ctx, "reply:3") {
			t.Error("a send not answered yet counted as taken")
		}
	})
}
