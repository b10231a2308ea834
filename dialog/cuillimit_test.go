package dialog_test

import (
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/redisstore"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
	"github.com/clavebot/clavebot/registry"
)

// strangerCUILs returns n valid CUILs no citizen of testdata has.
func strangerCUILs(n int) []string {
	var out []string
	for dni := 50000000; len(out) < n; dni++ {
		first := "20" + strconv.Itoa(dni)
		if d := registry.CheckDigit(first); d >= 0 {
			out = append(out, first+strconv.Itoa(d))
		}
	}
	return out
}

// typeCUILs opens the create-key flow in a REST chat (from source) and
// types the CUILs at its CUIL step, returning the replies to each.
func typeCUILs(h *harness, chat, source string, cuils []string) [][]dialog.Reply {
	h.t.Helper()
	return typeCUILsOn(h, "rest", chat, source, cuils)
}

// typeCUILsOn is typeCUILs on channel.
func typeCUILsOn(h *harness, channel, chat, source string, cuils []string) [][]dialog.Reply {
	h.t.Helper()
	send := func(text string) []dialog.Reply {
		h.ids++
		res, err := h.eng.Handle(h.ctx, dialog.Inbound{Chat: chat, ID: strconv.Itoa(h.ids), Text: text, Channel: channel, Source: source})
		if err != nil {
			h.t.Fatalf("Handle(%q): %v", text, err)
		}
		return res.Replies
	}
	send("hola")
	if rs := send("1"); lastExpect(rs) != dialog.ExpectCUIL {
		h.t.Fatalf("create key did not ask the CUIL:\n%s", h.dump(rs))
	}
	out := make([][]dialog.Reply, len(cuils))
	for i, c := range cuils {
		out[i] = send(c)
		if lastExpect(out[i]) != dialog.ExpectCUIL {
			// The CUIL was taken (its data are asked next) or refused:
			// back to the CUIL step.
			send("cancelar")
			send("1")
		}
	}
	return out
}

// TestStrangerTypingManyCUILs is issue 8's attack at the CUIL step:
// someone types CUIL after CUIL (to probe them, or to guess the data of
// many people). At most 10 CUILs an hour are taken from a chat and 50 from
// a source (the REST client's address or the person the portal names);
// beyond, the person is told kindly to try later and taken to the menu. A
// loopback source (a local proxy, every client alike) is not a source.
func TestStrangerTypingManyCUILs(t *testing.T) {
	limited := i18n.M("cuil.limited")
	taken := func(rs []dialog.Reply) bool { return lastExpect(rs) == dialog.ExpectFirstNames }
	newH := func(t *testing.T) *harness {
		rdb := testenv.Redis(t)
		return newHarness(t, dialog.WithLimiter(redisstore.NewLimiter(rdb, testenv.Prefix(t, rdb, "limits"))))
	}
	t.Run("per chat", func(t *testing.T) {
		h := newH(t)
		got := typeCUILs(h, "prober", "", strangerCUILs(11))
		for i, rs := range got[:10] {
			if has(rs, limited) || !taken(rs) {
				t.Fatalf("CUIL %d of the hour:\n%s", i+1, h.dump(rs))
			}
		}
		if rs := got[10]; !has(rs, limited) || taken(rs) {
			t.Fatalf("the 11th CUIL of the hour was taken:\n%s", h.dump(rs))
		}
		// Another chat, from no source, is not held back by this one.
		if rs := typeCUILs(h, "neighbour", "", strangerCUILs(1))[0]; has(rs, limited) {
			t.Fatalf("another chat:\n%s", h.dump(rs))
		}
	})
	// One source is one address, or, for IPv6, one /64: a subscriber
	// holds a whole /64, and six addresses of one took 60 CUILs with none
	// refused (found by an attack probe).
	for _, tt := range []struct {
		name   string
		source func(chat int) string
	}{
		{"per source", func(int) string { return "203.0.113.7" }},
		{"per IPv6 /64", func(chat int) string { return fmt.Sprintf("2001:db8:7:1::%x", chat+1) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newH(t)
			cuils := strangerCUILs(60)
			var last []dialog.Reply
			for i := range 6 {
				for j, rs := range typeCUILs(h, fmt.Sprintf("prober%d", i), tt.source(i), cuils[i*9:i*9+9]) {
					n := i*9 + j + 1
					if n <= 50 && has(rs, limited) {
						t.Fatalf("CUIL %d of the source limited:\n%s", n, h.dump(rs))
					}
					last = rs
				}
			}
			if !has(last, limited) {
				t.Fatalf("the 54th CUIL of one source was taken:\n%s", h.dump(last))
			}
		})
	}
	t.Run("the local terminal is not limited", func(t *testing.T) {
		// `clavebot chat` runs beside the registry, for whoever runs it:
		// a limit there defends nothing, and one chat may walk many
		// citizens (a demonstration, a scripted check over JSON lines).
		h := newH(t)
		for i, rs := range typeCUILsOn(h, "console", "console:a", "", strangerCUILs(12)) {
			if has(rs, limited) || !taken(rs) {
				t.Fatalf("CUIL %d typed at the terminal:\n%s", i+1, h.dump(rs))
			}
		}
	})
	t.Run("loopback is no source", func(t *testing.T) {
		h := newH(t)
		cuils := strangerCUILs(60)
		for i := range 6 {
			for j, rs := range typeCUILs(h, fmt.Sprintf("local%d", i), "127.0.0.1", cuils[i*9:i*9+9]) {
				if has(rs, limited) {
					t.Fatalf("CUIL %d of loopback limited:\n%s", i*9+j+1, h.dump(rs))
				}
			}
		}
	})
}

// TestCUILsPerChatAcrossReplicasAndRestarts: a chat's limit of CUILs is
// counted with the chat in the shared Redis, so typing them through two
// replicas, alternately, and letting the state idle out halfway (the chat
// starts over: its state is forgotten) does not give it more than 10 an
// hour.
func TestCUILsPerChatAcrossReplicasAndRestarts(t *testing.T) {
	r := newReplicas(t)
	limited := i18n.M("cuil.limited")
	const chat = "prober"
	n := 0
	toCUILStep := func() {
		t.Helper()
		for range 3 {
			n++
			if lastExpect(r.send(n, chat, "1")) == dialog.ExpectCUIL {
				return
			}
			r.send(n, chat, "cancelar")
		}
		t.Fatal("the chat never reached the CUIL step")
	}
	r.send(0, chat, "hola")
	for i, cuil := range strangerCUILs(11) {
		if i == 5 {
			r.h.now = r.h.now.Add(registry.DefaultPolicy().IdleTimeout + time.Minute)
		}
		toCUILStep()
		n++
		rs := r.send(n, chat, cuil)
		if refused := has(rs, limited); refused != (i >= 10) {
			t.Fatalf("CUIL %d of the hour (replica %d): refused %v:\n%s", i+1, n%2, refused, r.h.dump(rs))
		}
		r.send(n, chat, "cancelar")
	}
}

// TestCUILsPerChatAtOnce: four clients drive one chat at once, through
// two replicas, each opening the create flow, typing a CUIL and cancelling,
// ten times: the chat's turns take its lock one at a time and count
// against the same record, so however the messages interleave no more
// than 10 CUILs of the 40 are looked up.
func TestCUILsPerChatAtOnce(t *testing.T) {
	r := newReplicas(t)
	const chat = "flood"
	r.send(0, chat, "hola")
	limited, format := i18n.M("cuil.limited"), i18n.M("names.format")
	var taken, refused atomic.Int64
	var wg sync.WaitGroup
	cuils := strangerCUILs(40)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				r.send(w+i, chat, "1")
				rs := r.send(w+i+1, chat, cuils[w*10+i])
				switch {
				case has(rs, limited):
					refused.Add(1)
				case lastExpect(rs) == dialog.ExpectFirstNames && !has(rs, format):
					taken.Add(1) // taken as the chat's CUIL: its names are asked
				}
				r.send(w+i, chat, "cancelar")
			}
		}()
	}
	wg.Wait()
	// How many are refused, or typed where no CUIL is asked, depends on
	// the interleaving; that at most 10 are taken does not.
	if n := taken.Load(); n > 10 || n == 0 {
		t.Fatalf("40 CUILs from four clients at once: %d taken, %d refused; want 1 to 10 taken", n, refused.Load())
	}
	t.Logf("40 CUILs from four clients at once: %d taken, %d refused", taken.Load(), refused.Load())
}
