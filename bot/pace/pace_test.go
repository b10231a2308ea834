package pace_test

import (
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/bot/pace"
	"github.com/clavebot/clavebot/dialog/redisstore"
	"github.com/clavebot/clavebot/internal/testenv"
)

// TestReplicasShareOnePace: two processes of one account take their
// slots from one bucket; a hold told by one stops both, taking no slot.
// On Redis and on the embedded one (serve without --redis-url).
func TestReplicasShareOnePace(t *testing.T) {
	t.Run("redis", func(t *testing.T) { testSharedPace(t, testenv.Redis(t)) })
	t.Run("embedded", func(t *testing.T) {
		e, err := redisstore.StartEmbedded()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { e.Close() })
		testSharedPace(t, e.Client())
	})
}

func testSharedPace(t *testing.T, rdb redis.UniversalClient) {
	key := testenv.Prefix(t, rdb, "pace") + "pace:{telegram}"
	a, b := pace.New(rdb, key), pace.New(rdb, key)
	ctx := t.Context()
	var waits []time.Duration
	for _, p := range []*pace.Shared{a, b, a, b} {
		wait, held, err := p.Reserve(ctx, time.Minute, 2, time.Hour)
		if err != nil || held {
			t.Fatalf("Reserve: %v, held %v", err, held)
		}
		waits = append(waits, wait)
	}
	// A burst of two, then one a minute, whichever process asks.
	if waits[0] != 0 || waits[1] != 0 || waits[2] < 59*time.Second || waits[3] < 119*time.Second {
		t.Errorf("waits %v, want 0, 0, about 1m and 2m", waits)
	}
	// A slot further than the caller waits is not taken: asked again, the
	// wait is the same, not a minute more.
	for range 2 {
		wait, held, err := a.Reserve(ctx, time.Minute, 2, time.Minute)
		if err != nil || !held || wait < 59*time.Second || wait > 2*time.Minute {
			t.Fatalf("a slot 3m ahead, waiting 1m at most: wait %v, held %v, %v; want about 1m more, held", wait, held, err)
		}
	}
	if err := b.Hold(ctx, 30*time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := a.Hold(ctx, time.Second); err != nil { // a shorter one does not cut it
		t.Fatal(err)
	}
	wait, held, err := a.Reserve(ctx, time.Minute, 2, time.Hour)
	if err != nil || !held || wait < 29*time.Minute || wait > 30*time.Minute {
		t.Errorf("during the hold: wait %v, held %v, %v; want about 30m held", wait, held, err)
	}
}
