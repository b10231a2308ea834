package relay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/internal/errs"
)

// Drain sends the chat's queued messages, in order, if this process runs
// the chat's channel and no other process is sending to the chat now. It
// stops at the first message that has to wait (a retry later, a closed
// window) and returns how many it sent.
func (r *Relay) Drain(ctx context.Context, chat string) (int, error) {
	sent, _, err := r.drain(ctx, chat)
	return sent, err
}

// drain is Drain; busy is true when another drain held the chat's lock,
// so this one did not look at the queue.
func (r *Relay) drain(ctx context.Context, chat string) (sent int, busy bool, err error) {
	if !r.local.Has(chat) {
		return 0, false, nil
	}
	keys := r.keys(chat)
	tok := token()
	ok, err := r.rdb.SetNX(ctx, keys[4], tok, r.opt.lockTTL).Result()
	if err != nil {
		return 0, false, errs.E(errs.Unavailable, "relay drain", err)
	}
	if !ok {
		return 0, true, nil
	}
	defer func() {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := unlockScript.Run(uctx, r.rdb, keys, tok).Err(); err != nil {
			r.log.Warn("relay unlock failed; the lock expires", "err", err)
		}
	}()
	ctx, release := r.holdLock(ctx, keys[4], tok)
	defer release()
	for {
		more, n, err := r.step(ctx, chat, keys, tok)
		sent += n
		if err != nil || !more {
			return sent, false, err
		}
	}
}

// head is the chat's first message as a step sees it.
type head struct {
	item   string
	env    bot.Envelope
	meta   map[string]string
	status bot.Status
}

// step tries the chat's first message once. more is false when the drain
// has to stop: nothing left, a wait, or the lock lost.
func (r *Relay) step(ctx context.Context, chat string, keys []string, tok string) (more bool, sent int, err error) {
	h, ok, err := r.peek(ctx, chat, keys, tok)
	if err != nil || !ok {
		return false, 0, err
	}
	now := r.opt.now()
	switch {
	case h.meta["stopped"] != "":
		_, err := r.stop(ctx, chat, h.meta["stopped"], "stopped")
		return false, 0, err
	case h.meta["window"] != "":
		return false, 0, r.waitHeld(ctx, chat, keys, h.meta)
	case (h.meta["unsure"] != "" || h.meta["tries"] != "" || !h.env.ConfirmBy.IsZero()) && confirmed(h.status.State):
		// The platform confirmed on its own the send that got no answer,
		// or one whose answer was never recorded (a replica killed, or
		// cut from Redis, between the send and its record): sent again,
		// the person got it twice.
		_, err := r.sent(ctx, chat, keys, h, h.status.ID, atoi(h.meta["tries"]), now)
		return true, 1, err
	case h.env.ConfirmBy.After(now) && h.meta["tries"] == "":
		// A turn's send that got no answer: the platform's word comes
		// first (a receipt makes the chat due at once).
		return false, 0, wrapUnavailable("relay wait", r.rdb.ZAdd(ctx, keys[3], redis.Z{Score: float64(h.env.ConfirmBy.UnixMilli()), Member: chat}).Err())
	case after(h.meta["next"], now):
		return false, 0, wrapUnavailable("relay wait", r.rdb.ZAdd(ctx, keys[3], redis.Z{Score: float64(fromMS(h.meta["next"]).UnixMilli()), Member: chat}).Err())
	case r.windowClosed(chat, h.meta, now):
		return false, 0, r.hold(ctx, chat, keys, h.meta)
	}
	return r.try(ctx, chat, keys, tok, h)
}

func (r *Relay) peek(ctx context.Context, chat string, keys []string, tok string) (head, bool, error) {
	res, err := peekScript.Run(ctx, r.rdb, keys, tok, r.opt.lockTTL.Milliseconds(), chat).Slice()
	if errors.Is(err, redis.Nil) {
		return head{}, false, nil // the lock was lost: another process sends now
	}
	if err != nil {
		return head{}, false, errs.E(errs.Unavailable, "relay peek", err)
	}
	h := head{item: res[0].(string), meta: pairs(res[1])}
	if h.item == "" {
		return head{}, false, nil
	}
	if h.env, err = parseItem(h.item); err != nil {
		// A message nobody can read can never be sent: bury it.
		r.log.Error("unreadable queued message buried", "err", err)
		return head{}, false, r.bury(ctx, chat, keys, head{item: h.item}, "unreadable message", "decode", 0)
	}
	h.status, _ = decodeStatus(h.env.Key, res[2].(string))
	return h, true, nil
}

// try sends the first message and acts on the outcome.
func (r *Relay) try(ctx context.Context, chat string, keys []string, tok string, h head) (bool, int, error) {
	tries, err := tryScript.Run(ctx, r.rdb, keys, tok, h.item).Int()
	if err != nil || tries == 0 {
		return false, 0, wrapUnavailable("relay try", err)
	}
	sctx, cancel := context.WithTimeout(ctx, r.opt.send)
	id, err := r.local.SendOnce(sctx, chat, h.env)
	cancel()
	now := r.opt.now()
	if err == nil {
		r.opt.meter.Sent(channelOf(chat), bot.KindOf(h.env.Key))
		held, err := r.sent(ctx, chat, keys, h, id, tries, now)
		if held {
			// Meta's failure for the closed window overtook the answer:
			// the next step sends the template.
			r.opt.meter.Held(channelOf(chat))
			return true, 0, err
		}
		return true, 1, err
	}
	if errors.Is(err, bot.ErrNotHere) {
		// The channel stopped being ready here (a lost WhatsApp lease):
		// the message stays first for the process that has it now.
		return false, 0, nil
	}
	return r.failed(ctx, chat, keys, h, tries, bot.Classify(err), now)
}

// failed acts on a classified failure of the first message.
func (r *Relay) failed(ctx context.Context, chat string, keys []string, h head, tries int, se *bot.SendError, now time.Time) (bool, int, error) {
	channel := channelOf(chat)
	r.opt.meter.Failed(channel, se.Code, se.Account)
	level := slog.LevelWarn
	if se.Account {
		// Every chat of the channel fails alike until an operator acts.
		level = slog.LevelError
	}
	r.log.Log(ctx, level, "send failed", "account", se.Account, "channel", channel, "kind", bot.KindOf(h.env.Key), "failure", se.Failure, "code", se.Code, "try", tries, "err", se.Err)
	switch se.Failure {
	case bot.Blocked:
		_, err := r.stop(ctx, chat, se.Reason, se.Code)
		return false, 0, err
	case bot.Window:
		return false, 0, r.hold(ctx, chat, keys, h.meta)
	case bot.Refused:
		return true, 0, r.bury(ctx, chat, keys, h, se.Reason, se.Code, tries)
	}
	// Nothing was sent: a platform down for a while (5xx, unreachable, a
	// token being replaced) must not lose an agent's reply, so the message
	// is given up only after failing for the whole budget, and at least
	// maxTries tries (a process that was down made none meanwhile).
	failing := now.Sub(fromMS(h.meta["failing"]))
	if h.meta["failing"] == "" {
		failing = 0
	}
	if tries >= r.opt.maxTries && failing >= r.opt.giveUp {
		reason := fmt.Sprintf("gave up after %d tries in %s: %s", tries, failing.Round(time.Second), se.Reason)
		return true, 0, r.bury(ctx, chat, keys, h, reason, se.Code, tries)
	}
	r.opt.meter.Retried(channel, se.Failure.String())
	next, unsure := now.Add(r.opt.wait(tries, se.RetryAfter)), ""
	if se.Failure == bot.Unsure && se.ConfirmWithin > 0 {
		// The platform may still confirm it took the message (WhatsApp's
		// statuses echo the key): trying again before that could double it.
		// After that, the backoff as for any failure: an outage of hours
		// was tried every minute, every waiting chat in step (a
		// regression probe of the give-up budget).
		next, unsure = now.Add(max(se.ConfirmWithin, r.opt.wait(tries, 0))), ms(now)
	}
	st := encodeStatus(rstatus{State: bot.Retrying, Reason: se.Reason, Code: se.Code, Tries: tries, At: ms(now)})
	err := retryScript.Run(ctx, r.rdb, keys, h.item, h.env.Key, st, ms(next), unsure, chat, ms(now)).Err()
	r.changed(ctx, chat)
	return false, 0, wrapUnavailable("relay retry", err)
}

// sent records the first message as taken by the platform. held is true
// when the platform's failure for the closed window came before the send's
// answer: the message stays first, held.
func (r *Relay) sent(ctx context.Context, chat string, keys []string, h head, id string, tries int, now time.Time) (held bool, err error) {
	keep := "0"
	if r.local.Window(chat) > 0 {
		keep = "1" // a late "failed" for the window puts it back
	}
	if id == "" {
		id = h.status.ID
	}
	st := encodeStatus(rstatus{State: bot.Sent, ID: id, Tries: tries, At: ms(now)})
	res, err := sentScript.Run(ctx, r.rdb, keys, h.item, h.env.Key, st, id, keep, chat, ms(now), r.opt.ttl.Milliseconds(),
		statusJSON(bot.Held, heldReason, "131047", now)).Result()
	r.changed(ctx, chat)
	if err != nil {
		return false, wrapUnavailable("relay sent", err)
	}
	if raw, ok := res.(string); ok {
		// The platform's failure came before this record (Meta's webhook
		// overtaking the send's answer): acted on now, as Receipt does on
		// one that comes after it.
		var f rstatus
		if err := json.Unmarshal([]byte(raw), &f); err != nil {
			return false, fmt.Errorf("relay sent: a failure kept for the record: %w", err)
		}
		rc := bot.Receipt{Chat: chat, Key: h.env.Key, ID: id, State: bot.Failed, Code: f.Code, Reason: f.Reason, Again: f.Again}
		return false, r.lateFailure(ctx, rc, h.env.Key)
	}
	return res == int64(2), nil
}

// bury makes the first message a dead letter.
func (r *Relay) bury(ctx context.Context, chat string, keys []string, h head, reason, code string, tries int) error {
	r.opt.meter.Dead(channelOf(chat), bot.KindOf(h.env.Key), code)
	r.log.Error("message given up", "channel", channelOf(chat), "kind", bot.KindOf(h.env.Key), "code", code, "reason", reason)
	err := buryScript.Run(ctx, r.rdb, keys, h.item, reason, code, fmt.Sprint(tries), chat, ms(r.opt.now())).Err()
	r.changed(ctx, chat)
	return wrapUnavailable("relay bury", err)
}

// Stop implements bot.Stopper: the platform said the person blocked
// the bot (Telegram's my_chat_member).
func (r *Relay) Stop(ctx context.Context, chat, reason, code string) error {
	_, err := r.stop(ctx, chat, reason, code)
	return err
}

// Unstop implements bot.Stopper: the person unblocked the bot, without
// writing; what is put from now on is sent, and what the stop held back
// (its dead letters, what was put meanwhile) goes out once, in order, but
// for what no longer holds (see bot.Lapsing), which stays on the desk as
// it was. A dead letter an agent already sent again by hand is no longer
// one: it goes out only once.
func (r *Relay) Unstop(ctx context.Context, chat string) error {
	now := r.opt.now()
	res, err := unstopScript.Run(ctx, r.rdb, r.keys(chat), chat, ms(now), statusJSON(bot.Queued, "", "", now), lapsing()).Int64Slice()
	if err != nil || len(res) != 2 {
		return errs.E(errs.Unavailable, "relay unstop", err)
	}
	if res[0] == 0 && res[1] == 0 {
		return nil
	}
	r.log.Info("chat resumed: the person unblocked the bot", "channel", channelOf(chat), "queued_again", res[1])
	r.changed(ctx, chat)
	if res[1] > 0 {
		if err := r.rdb.Publish(ctx, r.notifyKey(channelOf(chat)), chat).Err(); err != nil {
			r.log.Warn("relay notice not published; the sweep will find it", "err", err)
		}
		r.kick(chat)
	}
	return nil
}

// stop stops writing to chat: the person blocked the bot. Its queued
// messages become dead letters, and the desk is told.
func (r *Relay) stop(ctx context.Context, chat, reason, code string) (int, error) {
	if reason == "" {
		reason = "the person blocked the bot"
	}
	n, err := stopScript.Run(ctx, r.rdb, r.keys(chat), reason, code, chat, ms(r.opt.now()), r.opt.ttl.Milliseconds()).Int()
	if err != nil {
		return 0, errs.E(errs.Unavailable, "relay stop", err)
	}
	r.log.Warn("chat stopped: the person blocked the bot", "channel", channelOf(chat), "dropped", n)
	r.opt.meter.Stopped(channelOf(chat))
	for range n {
		r.opt.meter.Dead(channelOf(chat), "stopped", code)
	}
	r.opt.onStop(ctx, chat, reason)
	r.changed(ctx, chat)
	return n, nil
}

// windowClosed: the person's last message is known and older than the
// channel's window, so free text would only be refused.
func (r *Relay) windowClosed(chat string, meta map[string]string, now time.Time) bool {
	w := r.local.Window(chat)
	seen := fromMS(meta["seen"])
	return w > 0 && !seen.IsZero() && now.Sub(seen) >= w
}

// hold keeps the chat's messages until the person writes, and sends the
// template that asks them to.
func (r *Relay) hold(ctx context.Context, chat string, keys []string, meta map[string]string) error {
	now := r.opt.now()
	st := statusJSON(bot.Held, heldReason, "131047", now)
	if _, err := holdScript.Run(ctx, r.rdb, keys, chat, ms(now), st, r.opt.ttl.Milliseconds()).Text(); err != nil {
		return errs.E(errs.Unavailable, "relay hold", err)
	}
	r.opt.meter.Held(channelOf(chat))
	r.changed(ctx, chat)
	meta = copyMeta(meta)
	if meta["window"] == "" {
		meta["window"] = ms(now)
	}
	return r.waitHeld(ctx, chat, keys, meta)
}

func confirmed(s bot.State) bool { return s == bot.Sent || s == bot.Delivered || s == bot.Read }

func after(msField string, now time.Time) bool {
	t := fromMS(msField)
	return !t.IsZero() && t.After(now)
}

func pairs(v any) map[string]string {
	flat, _ := v.([]any)
	m := make(map[string]string, len(flat)/2)
	for i := 0; i+1 < len(flat); i += 2 {
		k, _ := flat[i].(string)
		val, _ := flat[i+1].(string)
		m[k] = val
	}
	return m
}

func copyMeta(m map[string]string) map[string]string {
	out := make(map[string]string, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func wrapUnavailable(op string, err error) error {
	if err == nil || errors.Is(err, redis.Nil) {
		return nil
	}
	return errs.E(errs.Unavailable, op, err)
}
