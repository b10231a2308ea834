package admit_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/clavebot/clavebot/bot/admit"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
)

// held answers the flood's turns (its chats are "rest:flood…") once
// release is closed, saying on entered that one came in; the others at
// once.
type held struct {
	entered chan struct{}
	release chan struct{}
}

func (h *held) Handle(ctx context.Context, in convo.Inbound) (convo.Result, error) {
	if strings.HasPrefix(in.Chat, "rest:flood") {
		h.entered <- struct{}{}
		<-h.release
	}
	return convo.Result{Replies: []convo.Reply{{Msg: i18n.Raw("ok"), Expect: convo.ExpectMenu}}}, nil
}

func busy(res convo.Result) bool {
	return len(res.Replies) == 1 && res.Replies[0].Msg.Key == admit.BusyKey
}

// TestOneSourceCannotTakeEverySlot: one REST client (one source, its
// chats many or one) that keeps more turns in flight than its share is
// refused beyond it, and another person is still admitted. Every slot
// was anyone's: one client posting 200 messages at once to one chat, on
// two replicas, had 89 % of other people's messages answered that the
// system was busy, the rest after about a second (an attack probe on
// `clavebot serve`). Addresses of one IPv6 /64 are one source, as the
// engine's limits count them.
func TestOneSourceCannotTakeEverySlot(t *testing.T) {
	for _, tt := range []struct {
		name    string
		sources func(i int) string
		chats   func(i int) string
	}{
		{"one chat", func(int) string { return "198.51.100.66" }, func(int) string { return "rest:flood" }},
		{"many chats", func(int) string { return "198.51.100.66" }, func(i int) string { return fmt.Sprintf("rest:flood%d", i) }},
		{"an IPv6 /64", func(i int) string { return fmt.Sprintf("2001:db8:1:2::%x", i+1) }, func(i int) string { return fmt.Sprintf("rest:flood%d", i) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			const slots, share = 8, 2
			h := &held{entered: make(chan struct{}, 100), release: make(chan struct{})}
			e := admit.New(h, slots, admit.WithSourceShare(share))
			var wg sync.WaitGroup
			refused := make(chan bool, slots)
			for i := range slots {
				wg.Add(1)
				go func() {
					defer wg.Done()
					res, _ := e.Handle(context.Background(), convo.Inbound{Chat: tt.chats(i), Text: "hola", Channel: "rest", Source: tt.sources(i)})
					refused <- busy(res)
				}()
			}
			// Each of the flood's turns is either admitted (and held) or
			// refused.
			admitted, n := 0, 0
			for admitted+n < slots {
				select {
				case <-h.entered:
					admitted++
				case r := <-refused:
					if r {
						n++
					}
				}
			}
			if admitted > share {
				t.Errorf("%d of the flood's %d turns admitted, want its share, %d", admitted, slots, share)
			}
			// Another person, on REST from elsewhere and on Telegram.
			for _, in := range []convo.Inbound{
				{Chat: "rest:person", Text: "hola", Channel: "rest", Source: "203.0.113.9"},
				{Chat: "telegram:42", Text: "hola", Channel: "telegram"},
			} {
				if res, _ := e.Handle(context.Background(), in); busy(res) {
					t.Errorf("%s refused as busy while one source flooded", in.Chat)
				}
			}
			close(h.release)
			wg.Wait()
			close(refused)
		})
	}
}
