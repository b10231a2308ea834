package desk_test

import (
	"context"
	"fmt"
	"net"
	"sync/atomic"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/redisdesk"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

// commands counts the commands a Redis client sends, a pipeline's each.
type commands struct{ n atomic.Int64 }

func (c *commands) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) { return next(ctx, network, addr) }
}

func (c *commands) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { c.n.Add(1); return next(ctx, cmd) }
}

func (c *commands) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { c.n.Add(int64(len(cmds))); return next(ctx, cmds) }
}

// TestAbsentCheckReadsTheAgentsChatsOnly: every desk server looks every
// 15 s for the open chats of agents signed in nowhere. It read the whole
// queue each time, every waiting chat's conversation included: at the
// country's scale, thousands of reads per server per round for a handful
// of agents (last session's doubt). It reads the chats agents have, and
// still gives back every one of an absent agent's, and only those.
func TestAbsentCheckReadsTheAgentsChatsOnly(t *testing.T) {
	ctx := context.Background()
	rdb := testenv.Redis(t)
	count := &commands{}
	rdb.AddHook(count)
	q := redisdesk.New(rdb, testenv.Prefix(t, rdb, "absent"))
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	h := desk.NewHandoffs(desk.Config{Printer: cat.Printer(i18n.ES)}, q, &records{outcomes: map[string]string{}}, &outbox{})
	d := desk.New(h, quietEngine{})
	const waiting = 600
	for i := range waiting + 4 {
		if _, err := h.Enqueue(ctx, convo.Handoff{Chat: fmt.Sprintf("rest:%d", i), Channel: "rest", Reason: "requested"}); err != nil {
			t.Fatal(err)
		}
	}
	took := map[string]string{"rest:0": "ana", "rest:1": "beto", "rest:2": "beto", "rest:3": "caro"}
	for chat, agent := range took {
		if _, err := d.Take(ctx, agent, chat); err != nil {
			t.Fatal(err)
		}
	}
	gone := map[string]string{"beto": desk.ReturnedAbsent, "caro": desk.ReturnedRemoved}
	asked := map[string]int{}
	count.n.Store(0)
	err = d.ReturnAbsent(ctx, func(_ context.Context, agent string) (string, error) {
		asked[agent]++
		return gone[agent], nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Three chats given back, each a few commands (the return, its
	// notice, the places of the line told): the rest is reading.
	if n := count.n.Load(); n > 60 {
		t.Errorf("the check sent %d commands to Redis for 4 chats with agents and %d waiting", n, waiting)
	}
	if len(asked) != 3 || asked["ana"] != 1 || asked["beto"] != 1 || asked["caro"] != 1 {
		t.Errorf("asked about %v, want each agent with chats once", asked)
	}
	for chat, agent := range took {
		c, _, err := q.Get(ctx, chat)
		if err != nil {
			t.Fatal(err)
		}
		if back := gone[agent] != ""; back != (c.Status == desk.Waiting) || !back && c.Agent != agent {
			t.Errorf("%s of %s (%s): %s, %q", chat, agent, gone[agent], c.Status, c.Agent)
		}
	}
	open, err := d.Open(ctx, "ana")
	if err != nil || len(open) != 1 || open[0].Chat != "rest:0" {
		t.Fatalf("ana's open chats: %+v, %v", open, err)
	}
}
