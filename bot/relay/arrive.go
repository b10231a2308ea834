package relay

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/internal/ctxsleep"
	"github.com/clavebot/clavebot/internal/errs"
)

// Arrived implements bot.Arrivals: the person wrote, so their WhatsApp
// window is open again, a stop ends, and what waited for them is sent now,
// before the bot answers: with it, what a stop (they had blocked the bot)
// held back and still holds (see Unstop). It returns how many messages
// waited: a drain already under way (another worker's, another
// replica's) may be the one that sends them, and they went out all the
// same.
//
// A message with its time (in.At) counts once: one no newer than the
// chat's latest, and not a new id of that same second, is a redelivery
// (or news too late to change anything) and changes nothing.
func (r *Relay) Arrived(ctx context.Context, in convo.Inbound) (int, error) {
	n, err := arriveScript.Run(ctx, r.rdb, r.keys(in.Chat), r.arrival(in)...).Int()
	if err != nil {
		return 0, errs.E(errs.Unavailable, "relay arrived", err)
	}
	return r.waited(ctx, in.Chat, n)
}

// arrival is arriveScript's ARGV for in.
func (r *Relay) arrival(in convo.Inbound) []any {
	chat, now := in.Chat, r.opt.now()
	track := "0"
	if r.local.Window(chat) > 0 {
		track = "1"
	}
	at, id := "", ""
	if !in.At.IsZero() {
		at, id = ms(in.At), in.ID
	}
	return []any{chat, ms(now), r.opt.ttl.Milliseconds(), track, statusJSON(bot.Queued, "", "", now), at, id, lapsing()}
}

// waited drains chat now when n messages waited for the person (see
// Arrived), and returns how many did.
func (r *Relay) waited(ctx context.Context, chat string, n int) (int, error) {
	if n <= 0 { // none waited, or a message told before
		return 0, nil
	}
	r.changed(ctx, chat)
	if _, err := r.drainNow(ctx, chat); err != nil {
		return 0, err
	}
	return n, nil
}

var _ bot.TapArrivals = (*Relay)(nil)

// ArrivedTap implements bot.TapArrivals: Questions.Answer and, for a tap
// that answers, Arrived, in one round trip.
func (r *Relay) ArrivedTap(ctx context.Context, in convo.Inbound, question string) (bool, string, int, error) {
	res, err := tapScript.Run(ctx, r.rdb, r.keys(in.Chat), append(r.arrival(in), question, in.ID)...).Slice()
	if err != nil || len(res) != 2 {
		return false, "", 0, errs.E(errs.Unavailable, "relay tap", err)
	}
	if taken, _ := res[0].(int64); taken == 0 {
		cur, _ := res[1].(string)
		return false, cur, 0, nil
	}
	n, _ := res[1].(int64)
	waited, err := r.waited(ctx, in.Chat, int(n))
	return true, "", waited, err
}

// Answers implements bot.TapArrivals: q keeps its questions where the
// relay does.
func (r *Relay) Answers(q bot.Questions) bool {
	rq, ok := q.(*Questions)
	return ok && rq.prefix == r.prefix && rq.rdb == r.rdb
}

// lapsing is bot.Lapsing as the scripts read it: " kind kind … ".
func lapsing() string { return " " + strings.Join(bot.Lapsing(), " ") + " " }

// drainNow drains the chat here and now, waiting a little for a drain
// already running elsewhere, so what waited goes out before the turn's
// replies. A drain refused the lock tries again until it gets it: the
// other one may have looked at the queue before this message reopened
// the window and ended without sending (it was given up as soon as the
// lock was seen free, and the turn's replies waited behind the held
// ones for a worker).
func (r *Relay) drainNow(ctx context.Context, chat string) (int, error) {
	// Wall time: the other drain's lock expires in Redis's time, not in
	// the relay's clock (which tests stop).
	deadline := time.Now().Add(3 * time.Second)
	for {
		sent, busy, err := r.drain(ctx, chat)
		if err != nil || !busy || time.Now().After(deadline) {
			return sent, err
		}
		if err := ctxsleep.Sleep(ctx, 50*time.Millisecond); err != nil {
			return 0, err
		}
	}
}

// Waiting implements bot.Backlog: whether chat's queue still holds
// messages (the bot asks after a drain its person's message started), so
// the turn's replies go behind them. A first message whose send got no
// answer and that waits for the platform's word (WhatsApp Cloud's
// statuses) does not hold them: waiting for that word would hold every
// reply of the chat up to a minute when it is slow.
func (r *Relay) Waiting(ctx context.Context, chat string) (bool, error) {
	keys := r.keys(chat)
	var first *redis.StringCmd
	var meta *redis.SliceCmd
	_, err := r.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		first = p.LIndex(ctx, keys[0], 0)
		meta = p.HMGet(ctx, keys[1], "unsure", "tries")
		return nil
	})
	if errors.Is(err, redis.Nil) {
		return false, nil // nothing waits
	}
	if err != nil {
		return false, errs.E(errs.Unavailable, "relay waiting", err)
	}
	vals := meta.Val()
	unsure, _ := vals[0].(string)
	tries, _ := vals[1].(string)
	if unsure != "" {
		return false, nil
	}
	env, err := parseItem(first.Val())
	if err == nil && tries == "" && env.ConfirmBy.After(r.opt.now()) {
		return false, nil
	}
	return true, nil
}
