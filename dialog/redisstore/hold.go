package redisstore

import (
	"context"
	"time"

	"github.com/clavebot/clavebot/dialog/statestore"
	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/internal/renewal"
)

var _ statestore.Holder = (*Store)(nil)

// renewLua: KEYS = lock; ARGV = token, lock ttl ms. Extends the lock only
// while it is still this token's: 1 when extended, 0 when not.
const renewLua = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`

// Hold renews l's lock every third of the lock TTL until stop, so a turn
// keeps its chat however long it runs, while the lock of a process that
// died ends within one TTL. The returned context ends (cause
// statestore.ErrLeaseLost) when the lock is another's, or when no renewal
// has been confirmed for two thirds of the TTL (internal/renewal).
// Renewals end anyway after WithMaxHold, so a turn stuck for good does not
// keep its chat for good.
func (s *Store) Hold(ctx context.Context, l statestore.Lease) (context.Context, func()) {
	o := renewal.Options{TTL: s.lockTTL, Lost: statestore.ErrLeaseLost, Holder: "turn", MaxHold: s.maxHold}
	return renewal.Hold(ctx, o, func(until time.Time) (bool, error) { return s.renew(l, until) })
}

// renew extends l's lock by a TTL, asking Redis to answer by until.
func (s *Store) renew(l statestore.Lease, until time.Time) (bool, error) {
	ctx, cancel := context.WithDeadline(context.Background(), until)
	defer cancel()
	n, err := s.renewer.Run(ctx, s.client, []string{s.keys(l.Chat, l.MsgID).lock}, l.Token, millis(s.lockTTL)).Int()
	if err != nil {
		return false, errs.E(errs.Unavailable, "redisstore renew", err)
	}
	return n == 1, nil
}
