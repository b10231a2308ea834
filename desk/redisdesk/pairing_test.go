package redisdesk_test

import (
	"context"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/redisdesk"
	"github.com/clavebot/clavebot/internal/testenv"
)

func TestPairingIsSharedBetweenReplicas(t *testing.T) {
	onEveryServer(t, testPairingIsShared)
}

func testPairingIsShared(t *testing.T, newClient func(testing.TB) redis.UniversalClient) {
	ctx := context.Background()
	a, b := newClient(t), newClient(t)
	prefix := testenv.Prefix(t, a, "pairing")
	holder, other := redisdesk.NewPairing(a, prefix), redisdesk.NewPairing(b, prefix)
	steps := []struct {
		name string
		do   func() error
		want desk.Pairing
	}{
		{"nothing to link", func() error { return nil }, desk.Pairing{}},
		{"a QR code", func() error { return holder.SetQR(ctx, "2@qr1") }, desk.Pairing{QR: "2@qr1"}},
		{"the next QR code and a phone code", func() error {
			if err := holder.SetQR(ctx, "2@qr2"); err != nil {
				return err
			}
			return holder.SetCode(ctx, "ABCD-EFGH")
		}, desk.Pairing{QR: "2@qr2", Code: "ABCD-EFGH"}},
		{"linked", func() error { return holder.SetQR(ctx, "") }, desk.Pairing{}},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		got, err := other.Get(ctx)
		if err != nil || got != s.want {
			t.Fatalf("%s: the other replica sees %+v, %v; want %+v", s.name, got, err, s.want)
		}
	}
}
