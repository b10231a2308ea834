package relay_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/relay"
	"github.com/clavebot/clavebot/dialog/convo"
)

// releaseAfterRefusedLock is a go-redis hook that ends another drain's
// hold on a chat's lock just after this client was refused it: the other
// drain (which saw the window still closed and sent nothing) finishes in
// between the refusal and whatever this client does next.
type releaseAfterRefusedLock struct {
	other redis.UniversalClient
	done  atomic.Bool
}

func (h *releaseAfterRefusedLock) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *releaseAfterRefusedLock) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

func (h *releaseAfterRefusedLock) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd)
		c, ok := cmd.(*redis.BoolCmd)
		if ok && !c.Val() && len(cmd.Args()) > 1 && strings.Contains(cmd.String(), ":lock:") && h.done.CompareAndSwap(false, true) {
			key, _ := cmd.Args()[1].(string)
			h.other.Del(ctx, key)
		}
		return err
	}
}

// TestArrivedSendsWhatWaitedWhenTheOtherDrainEndsEmptyHanded: the person
// writes while another drain of the chat, started before, is ending: it
// saw the window closed and sent nothing. Arrived was refused the chat's
// lock, then found it free and gave up, so the held message did not go
// out before the bot's answer: the answer waited behind it in the outbox
// until a worker came by (with none, as in the WhatsApp Cloud package's
// tests, never: TestTurnReplyFailedForTheWindowIsHeld failed about one
// run in twenty on a loaded machine). A lock that is free again is tried
// again.
func TestArrivedSendsWhatWaitedWhenTheOtherDrainEndsEmptyHanded(t *testing.T) {
	p := windowPlatform()
	s := newStepper(t, p)
	if _, err := s.relay.Arrived(context.Background(), convo.Inbound{Chat: chat}); err != nil { // Friday night
		t.Fatal(err)
	}
	s.clk.add(60 * time.Hour) // Monday morning
	s.deliver(t, "agent:a1", "Buen día")
	s.drain(t)
	s.want(t, "agent:a1", bot.Held)

	hooked := redis.NewClient(s.rdb.(*redis.Client).Options())
	t.Cleanup(func() { hooked.Close() })
	hook := &releaseAfterRefusedLock{other: s.rdb}
	hooked.AddHook(hook)
	b := newProcess(t, hooked, s.prefix, []relay.Option{relay.WithWorkers(0), relay.WithClock(s.clk.now)}, p)
	// Another drain holds the chat's lock as the person writes.
	if err := s.rdb.Set(context.Background(), s.prefix+"outbox:{whatsapp}:lock:"+chat, "another drain", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	if n, err := b.relay.Arrived(context.Background(), convo.Inbound{Chat: chat}); err != nil || n != 1 {
		t.Fatalf("Arrived = %d, %v; want 1", n, err)
	}
	if !hook.done.Load() {
		t.Fatal("the lock was not refused: the test did not make the race")
	}
	if acc, _, _ := p.state(); len(acc) != 1 || acc[0] != "Buen día" {
		t.Fatalf("after Arrived the platform took %v, want the held message, before the bot answers", acc)
	}
}
