package redisstore

import (
	"context"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// BenchmarkStoreTurn measures the state store alone: Acquire then Commit
// of a state and three transcript lines, over many chats in parallel, and
// the Redis round trips that takes. Not a whole turn, let alone the
// service's throughput.
func BenchmarkStoreTurn(b *testing.B) {
	b.Run("redis", func(b *testing.B) {
		c := redis.NewClient(realRedis(b))
		defer c.Close()
		benchTurn(b, c)
	})
	b.Run("embedded", func(b *testing.B) {
		e, err := StartEmbedded()
		if err != nil {
			b.Fatal(err)
		}
		defer e.Close()
		benchTurn(b, e.Client())
	})
}

func benchTurn(b *testing.B, c *redis.Client) {
	ctx := context.Background()
	prefix := "clavebot-bench:" + strconv.FormatInt(time.Now().UnixNano(), 36) + ":"
	defer deletePrefix(b, c, prefix)
	s := New(c, WithPrefix(prefix))
	state := []byte(strings.Repeat("x", 256))
	lines := [][]byte{
		[]byte(`{"a":1764000000000,"f":"person","m":{"t":"20-****6789-8"}}`),
		[]byte(`{"a":1764000000000,"f":"bot","m":{"k":"ask.first_names"}}`),
		[]byte(`{"a":1764000000000,"f":"bot","m":{"k":"attempts.left","a":{"n":2}}}`),
	}
	turn := func(ctx context.Context, s *Store, chat, msgID string) error {
		l, _, err := s.Acquire(ctx, chat, msgID)
		if err != nil {
			return err
		}
		return s.Commit(ctx, l, state, lines, 15*time.Minute)
	}
	if err := turn(ctx, s, "warmup", ""); err != nil { // loads the scripts
		b.Fatal(err)
	}
	hook := &countHook{}
	c.AddHook(hook)
	var workers atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(16) // many chats in flight, as on a busy bot
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		w := strconv.FormatInt(workers.Add(1), 10)
		for i := 0; pb.Next(); i++ {
			chat := "bench:" + w + ":" + strconv.Itoa(i%64)
			if err := turn(ctx, s, chat, strconv.Itoa(i)); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(hook.n.Load())/float64(b.N), "roundtrips/turn")
}
