package telegram_test

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot/telegram"
	"github.com/clavebot/clavebot/dialog/convo"
)

func TestBurstKeepsOrder(t *testing.T) {
	h := start(t)
	var want []string
	for i := 1; i <= 20; i++ {
		h.api.Text(1001, fmt.Sprintf("m%02d", i))
		h.api.Text(1002, fmt.Sprintf("n%02d", i))
		want = append(want, fmt.Sprintf("eco: m%02d", i))
	}
	got := h.waitReplies(t, 1001, 20)
	h.waitReplies(t, 1002, 20)

	if !slices.Equal(got, want) {
		t.Errorf("replies to the burst:\n got %q\nwant %q", got, want)
	}
	var seen []string
	for _, in := range h.eng.inbound("telegram:1001") {
		seen = append(seen, "eco: "+in.Text)
	}
	if !slices.Equal(seen, want) {
		t.Errorf("engine saw %q", seen)
	}
	if h.eng.overlapped() {
		t.Error("a chat had two turns at once")
	}
}

// shard is the Sequencer's choice of worker for a chat (bot.Sequencer
// hashes the chat id with FNV-1a).
func shard(chat string, workers int) uint32 {
	f := fnv.New32a()
	f.Write([]byte(chat))
	return f.Sum32() % uint32(workers)
}

// TestChatsRunInParallel holds chat A's turn until chat B's turn has run:
// if chats were served one after the other, A would wait for ever.
func TestChatsRunInParallel(t *testing.T) {
	const workers = 8
	a, b := int64(5001), int64(5002)
	for shard(itoa(a), workers) == shard(itoa(b), workers) {
		b++
	}
	eng := newFakeEngine()
	aStarted, bDone := make(chan struct{}), make(chan struct{})
	eng.gate = func(ctx context.Context, in convo.Inbound) {
		switch in.Chat {
		case "telegram:" + itoa(a):
			close(aStarted)
			select {
			case <-bDone:
			case <-ctx.Done():
			}
		case "telegram:" + itoa(b):
			close(bDone)
		}
	}
	h, _ := newHarness(t, eng, telegram.WithWorkers(workers))
	h.run(t)
	h.api.Text(a, "primero")
	select {
	case <-aStarted:
	case <-time.After(20 * time.Second):
		t.Fatal("A's turn did not start")
	}
	h.api.Text(b, "segundo")
	h.waitReplies(t, b, 1)
	h.waitReplies(t, a, 1)
}

// TestSendsKeepTheirConnections: forty chats writing at once are answered
// over about as many connections to the Bot API as the channel has
// workers, kept between calls, not one opened (and, against Telegram,
// handshaken) for almost every call as with net/http's default of two
// idle connections a host.
func TestSendsKeepTheirConnections(t *testing.T) {
	const workers = 8
	h, _ := newHarness(t, newFakeEngine(), telegram.WithWorkers(workers))
	h.run(t)
	for i := range 40 {
		for j := range 5 {
			h.api.Text(int64(7000+i), "hola "+itoa(int64(j)))
		}
	}
	for i := range 40 {
		h.waitReplies(t, int64(7000+i), 5)
	}
	if n := h.api.Connections(); n > 2*(workers+1) {
		t.Errorf("%d connections for %d calls of %d workers", n, len(h.api.Calls()), workers)
	}
}
