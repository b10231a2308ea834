package loadtest

import (
	"context"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"testing"

	"github.com/clavebot/clavebot/bot/rest"
)

// The REST chat passes each person's own address in X-Clavebot-Source, as
// the README tells a portal to, so that a run pays for serve's per-source
// limits as production does; only with the token, which is when serve
// believes it; and none when asked for none.
func TestRESTPassesEachPersonsSource(t *testing.T) {
	var mu sync.Mutex
	seen := map[string][]string{} // message -> sources
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.Header.Get("Idempotency-Key")] = r.Header.Values(rest.SourceHeader)
		mu.Unlock()
		w.Write([]byte(`{"replies":[]}`))
	}))
	defer srv.Close()
	send := func(o ChannelOptions, chats ...string) map[string][]string {
		t.Helper()
		mu.Lock()
		clear(seen)
		mu.Unlock()
		ch, err := newREST(o)
		if err != nil {
			t.Fatal(err)
		}
		defer ch.Close()
		ch.Start(context.Background(), []string{srv.URL})
		for i, c := range chats {
			if _, err := ch.Send(t.Context(), c, Action{ID: string(rune('1' + i)), Text: "hola"}); err != nil {
				t.Fatal(err)
			}
		}
		mu.Lock()
		defer mu.Unlock()
		return maps.Clone(seen)
	}
	got := send(ChannelOptions{APIToken: "T"}, "lt-a", "lt-b", "lt-a")
	a, b, again := got["lt-a/1"], got["lt-b/2"], got["lt-a/3"]
	if len(a) != 1 || len(b) != 1 || a[0] == b[0] {
		t.Fatalf("sources %q and %q: want one address each, not the same", a, b)
	}
	if len(again) != 1 || again[0] != a[0] {
		t.Errorf("a person's source changed: %q, then %q", a, again)
	}
	ip, err := netip.ParseAddr(a[0])
	if err != nil || !netip.MustParsePrefix("100.64.0.0/10").Contains(ip) {
		t.Errorf("source %q: want an address of 100.64.0.0/10", a[0])
	}
	for _, tt := range []struct {
		name string
		o    ChannelOptions
	}{
		{"no token", ChannelOptions{}},
		{"none", ChannelOptions{APIToken: "T", Sources: SourceNone}},
	} {
		if got := send(tt.o, "lt-a"); len(got["lt-a/1"]) != 0 {
			t.Errorf("%s: source %q passed", tt.name, got["lt-a/1"])
		}
	}
	if _, err := newREST(ChannelOptions{Sources: "everyone"}); err == nil {
		t.Error("--source everyone taken")
	}
}
