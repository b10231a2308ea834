package redisdesk

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/desk"
)

// pairingTTL outlives a QR code (WhatsApp rotates them every 20 s or so)
// but not a dead process: its codes vanish with it.
const pairingTTL = 2 * time.Minute

// Pairing shares the WhatsApp pairing codes between replicas.
type Pairing struct {
	rdb redis.UniversalClient
	key string
}

// NewPairing keeps the codes under prefix.
func NewPairing(rdb redis.UniversalClient, prefix string) *Pairing {
	return &Pairing{rdb: rdb, key: prefix + "whatsapp:pairing"}
}

// SetQR publishes the QR code to scan; "" means linked (both codes go).
func (p *Pairing) SetQR(ctx context.Context, qr string) error { return p.set(ctx, "qr", qr) }

// SetCode publishes the code to type on the phone.
func (p *Pairing) SetCode(ctx context.Context, code string) error { return p.set(ctx, "code", code) }

func (p *Pairing) set(ctx context.Context, field, value string) error {
	pipe := p.rdb.TxPipeline()
	if value == "" && field == "qr" {
		pipe.Del(ctx, p.key)
	} else {
		pipe.HSet(ctx, p.key, field, value)
		pipe.Expire(ctx, p.key, pairingTTL)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("pairing: set %s: %w", field, err)
	}
	return nil
}

// Get returns the codes to show now.
func (p *Pairing) Get(ctx context.Context) (desk.Pairing, error) {
	m, err := p.rdb.HGetAll(ctx, p.key).Result()
	if err != nil {
		return desk.Pairing{}, fmt.Errorf("pairing: get: %w", err)
	}
	return desk.Pairing{QR: m["qr"], Code: m["code"]}, nil
}
