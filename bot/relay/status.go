package relay

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/internal/errs"
)

// Receipt implements bot.Receipts: a platform's later word on a message.
// A message waiting for the platform to confirm a doubtful send is settled
// by it; a late failure for the closed WhatsApp window puts the message
// back first in the queue, held, and the template goes out.
func (r *Relay) Receipt(ctx context.Context, rc bot.Receipt) error {
	if channelOf(rc.Chat) == "" || (rc.Key == "" && rc.ID == "") {
		return errs.E(errs.Invalid, "relay receipt", errors.New("a receipt names its chat and its message"))
	}
	at := rc.At
	if at.IsZero() {
		at = r.opt.now()
	}
	st := rstatus{State: rc.State, Reason: rc.Reason, Code: rc.Code, ID: rc.ID, At: ms(at), Again: rc.Again}
	// A status parked for a send not yet recorded is kept as long as a
	// drain may last: the send it waits for ends, recorded or not, by then.
	turn := "0"
	if rc.Turn && rc.Key != "" {
		turn = "1"
	}
	res, err := receiptScript.Run(ctx, r.rdb, r.keys(rc.Chat), rc.Key, rc.ID, encodeStatus(st), string(rc.State), rc.Code,
		rc.Chat, ms(r.opt.now()), statusJSON(bot.Held, heldReason, "131047", at), r.opt.drainFor.Milliseconds(), turn).Slice()
	if err != nil || len(res) < 2 {
		return errs.E(errs.Unavailable, "relay receipt", err)
	}
	key, _ := res[0].(string)
	if key == "" {
		return nil // not ours (a reply within a turn), or a failure parked for its send's record
	}
	if len(res) > 3 && res[3] == int64(1) {
		// A failure that overtook its send: the send's record acts on it
		// (sent), as on one that came after it.
		r.opt.meter.Receipt(channelOf(rc.Chat), string(rc.State))
		return nil
	}
	if rc.State == bot.Failed && rc.Code != reEngagement {
		if err := r.lateFailure(ctx, rc, key); err != nil {
			return err
		}
	}
	r.opt.meter.Receipt(channelOf(rc.Chat), string(rc.State))
	// The same state told again (Meta redelivers a status it thinks
	// failed to arrive) is no second failure of the template.
	again := len(res) > 2 && res[2] == int64(1)
	if rc.State == bot.Failed && bot.KindOf(key) == "template" && !again {
		// Taken, then not delivered: the held messages wait for a person
		// never asked to write, as after a template refused at its send.
		r.opt.meter.Template(channelOf(rc.Chat), "failed")
		r.opt.meter.TemplateFailed(channelOf(rc.Chat), rc.Code)
		r.log.Warn("template not delivered", "channel", channelOf(rc.Chat), "code", rc.Code, "reason", rc.Reason)
	}
	r.changed(ctx, rc.Chat)
	if kick, _ := res[1].(int64); kick == 1 {
		// The chat waited for this: its next message need not.
		r.kick(rc.Chat)
	}
	return nil
}

// undeliverable is WhatsApp Cloud's code for a message taken and then not
// delivered: among its causes, a phone that cannot show buttons or lists.
const undeliverable = "131026"

// reEngagement is WhatsApp's code for the closed 24-hour window: the
// receipt's script puts the message back, held for the person.
const reEngagement = "131047"

// lateFailure acts on a message the platform took and later said it
// could not deliver, from the message kept for a late failure: it goes
// again once where that may help (see resendable); otherwise it is a dead
// letter, as the same failure in the send's answer makes it: it was only
// marked failed in its chat's statuses, neither on the desk's undelivered
// view (where an agent sends it again or drops it) nor counted.
func (r *Relay) lateFailure(ctx context.Context, rc bot.Receipt, key string) error {
	raw, err := r.rdb.HGet(ctx, r.keys(rc.Chat)[2], "e:"+key).Result()
	if errors.Is(err, redis.Nil) {
		return nil
	}
	if err != nil {
		return errs.E(errs.Unavailable, "relay late failure", err)
	}
	if env, err := parseItem(raw); err == nil {
		if msg, ok := resendable(key, env, rc); ok {
			return r.Put(ctx, rc.Chat, []bot.Envelope{{Key: bot.ResendKey(key), Msg: msg, At: r.opt.now()}})
		}
	}
	return r.buryKept(ctx, rc, key)
}

// resendable is what goes again, once, of a message the platform took
// and could not deliver: a message with options it could not show
// (131026: an agent's rating question), as numbered text (the person
// never saw it: found by a regression probe; a turn's questions are
// resent by the bot); with rc.Again, a message that failed for a reason
// that may pass (Meta's rate limits, its own failure), as it was (a
// channels probe). A second failure of what went again is a dead letter;
// a sealed message (a one-time code), bound to its key, does not go again
// under another: the person asks for a new one.
func resendable(key string, env bot.Envelope, rc bot.Receipt) (bot.Message, bool) {
	if strings.HasPrefix(key, "resend:") || env.Sealed {
		return bot.Message{}, false
	}
	switch {
	case rc.Again:
		return env.Msg, true
	case rc.Code == undeliverable && len(env.Msg.Options) > 0:
		return bot.Message{Text: bot.NumberedText(env.Msg), Expect: env.Msg.Expect}, true
	}
	return bot.Message{}, false
}

// buryKept makes the message kept for a late failure a dead letter.
func (r *Relay) buryKept(ctx context.Context, rc bot.Receipt, key string) error {
	reason := rc.Reason
	if reason == "" {
		reason = "the platform could not deliver it"
	}
	n, err := buryKeptScript.Run(ctx, r.rdb, r.keys(rc.Chat), key, rc.Chat, reason, rc.Code, ms(r.opt.now())).Int()
	if err != nil {
		return errs.E(errs.Unavailable, "relay late failure", err)
	}
	if n == 1 {
		r.opt.meter.Dead(channelOf(rc.Chat), bot.KindOf(key), rc.Code)
		r.log.Error("message given up: the platform could not deliver it", "channel", channelOf(rc.Chat), "kind", bot.KindOf(key), "code", rc.Code, "reason", reason)
	}
	return nil
}

// Delivery is what the desk shows of a chat's out-of-turn messages.
func (r *Relay) Delivery(ctx context.Context, chat string) (bot.ChatDelivery, error) {
	out := bot.ChatDelivery{Chat: chat, Statuses: map[string]bot.Status{}}
	if channelOf(chat) == "" {
		return out, errs.E(errs.Invalid, "relay delivery", errors.New("chat has no channel prefix"))
	}
	keys := r.keys(chat)
	pipe := r.rdb.Pipeline()
	st := pipe.HGetAll(ctx, keys[2])
	meta := pipe.HGetAll(ctx, keys[1])
	n := pipe.LLen(ctx, keys[0])
	if _, err := pipe.Exec(ctx); err != nil {
		return out, errs.E(errs.Unavailable, "relay delivery", err)
	}
	for k, v := range st.Val() {
		if strings.HasPrefix(k, "p:") || strings.HasPrefix(k, "e:") {
			continue
		}
		if s, ok := decodeStatus(k, v); ok {
			out.Statuses[k] = s
		}
	}
	m := meta.Val()
	out.Waiting = int(n.Val())
	out.Stopped, out.StoppedAt = m["stopped"], fromMS(m["stopped_at"])
	if m["window"] != "" {
		w := &bot.WindowState{ClosedAt: fromMS(m["window"]), Template: m["tplname"]}
		if s, ok := out.Statuses[m["tpl"]]; ok {
			w.TemplateStatus = &s
			delete(out.Statuses, m["tpl"])
		}
		out.Window = w
	}
	return out, nil
}

// deadRecord is a dead letter as Lua writes it.
type deadRecord struct {
	Chat   string `json:"chat"`
	Item   string `json:"item"`
	Reason string `json:"reason"`
	Code   string `json:"code"`
	Tries  string `json:"tries"`
	At     string `json:"at"`
}

// DeadLetters lists the newest dead letters of every channel, at most
// limit of each, and with them the messages held behind a closed window
// whose template failed for good (see stuckLetters), at most limit of
// each channel too.
func (r *Relay) DeadLetters(ctx context.Context, limit int) ([]bot.DeadLetter, error) {
	var out []bot.DeadLetter
	for _, ch := range r.deadChannels() {
		base := r.prefix + "outbox:{" + ch + "}:"
		members, err := r.rdb.ZRevRange(ctx, base+"dead", 0, int64(limit-1)).Result()
		if err != nil {
			return nil, errs.E(errs.Unavailable, "relay dead letters", err)
		}
		if len(members) > 0 {
			recs, err := r.rdb.HMGet(ctx, base+"deadmsg", members...).Result()
			if err != nil {
				return nil, errs.E(errs.Unavailable, "relay dead letters", err)
			}
			for _, raw := range recs {
				if d, ok := deadLetter(raw); ok {
					out = append(out, d)
				}
			}
		}
		held, err := r.stuckLetters(ctx, base+"stuck", limit)
		if err != nil {
			return nil, err
		}
		out = append(out, held...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].At.After(out[j].At) })
	return out, nil
}

// stuckLetters lists the messages held in the chats of stuckKey, newest
// first, at most limit: WhatsApp's window closed and the template that
// asks the person to write failed for good (Meta refused it, or took it
// and could not deliver it) or none is configured, so they wait for a
// person nobody asked,
// up to holdFor. Listed, an agent knows and may write by other means, or
// discard them; they still go out, once, if the person writes, and are
// then no longer listed.
func (r *Relay) stuckLetters(ctx context.Context, stuckKey string, limit int) ([]bot.DeadLetter, error) {
	chats, err := r.rdb.ZRevRange(ctx, stuckKey, 0, int64(limit-1)).Result()
	if err != nil {
		return nil, errs.E(errs.Unavailable, "relay held letters", err)
	}
	var out []bot.DeadLetter
	for _, chat := range chats {
		res, err := stuckScript.Run(ctx, r.rdb, r.keys(chat), chat).StringSlice()
		if err != nil {
			return nil, errs.E(errs.Unavailable, "relay held letters", err)
		}
		if len(res) < 2 {
			continue
		}
		tpl, _ := decodeStatus("", res[1])
		reason := stuckReason(tpl)
		for _, item := range res[2:] {
			if len(out) == limit {
				return out, nil
			}
			e, err := parseItem(item)
			if err != nil {
				continue
			}
			d := bot.DeadLetter{Chat: chat, Key: e.Key, Kind: bot.KindOf(e.Key), Text: e.Msg.Text, Reason: reason, Code: tpl.Code, At: fromMS(res[0]), Held: true}
			if e.Sealed {
				d.Text = ""
			}
			out = append(out, d)
		}
	}
	return out, nil
}

// stuckReason is what the desk reads on a message held in a stuck chat:
// what failed, so an operator knows whether a template must be set up,
// and that the message still goes out if the person writes.
func stuckReason(tpl bot.Status) string {
	if tpl.Code == noTemplate {
		return "WhatsApp's 24-hour window is closed and no template is configured to ask the person to write " +
			"(an operator sets one with --whatsapp-template, CLAVEBOT_WHATSAPP_TEMPLATE): it goes out if the person writes again"
	}
	reason := "WhatsApp's 24-hour window is closed and the template that asks the person to write failed"
	if tpl.Reason != "" {
		reason += " (" + tpl.Reason + ")"
	}
	return reason + ": it goes out if the person writes again"
}

func deadLetter(raw any) (bot.DeadLetter, bool) {
	s, _ := raw.(string)
	var rec deadRecord
	if s == "" || json.Unmarshal([]byte(s), &rec) != nil {
		return bot.DeadLetter{}, false
	}
	d := bot.DeadLetter{Chat: rec.Chat, Reason: rec.Reason, Code: rec.Code, Tries: atoi(rec.Tries), At: fromMS(rec.At)}
	if e, err := parseItem(rec.Item); err == nil {
		d.Key, d.Kind, d.Text = e.Key, bot.KindOf(e.Key), e.Msg.Text
		if e.Sealed {
			d.Text = "" // a secret (a one-time code): its kind says what it was
		}
	}
	return d, true
}

func (r *Relay) deadChannels() []string {
	if len(r.opt.channels) > 0 {
		return r.opt.channels
	}
	return r.local.Channels()
}

// Resend puts a dead letter back in its chat's queue (an agent asked to
// try again); it also lifts a stop.
func (r *Relay) Resend(ctx context.Context, chat, key string) error {
	now := r.opt.now()
	n, err := resendScript.Run(ctx, r.rdb, r.keys(chat), chat, key, ms(now), statusJSON(bot.Queued, "", "", now)).Int()
	if err != nil {
		return errs.E(errs.Unavailable, "relay resend", err)
	}
	if n < 0 {
		return errs.E(errs.Conflict, "relay resend", errors.New("the message is held: it goes out when the person writes, and cannot be sent before"))
	}
	if n == 0 {
		return errs.E(errs.NotFound, "relay resend", errors.New("no such undelivered message"))
	}
	r.changed(ctx, chat)
	if err := r.rdb.Publish(ctx, r.notifyKey(channelOf(chat)), chat).Err(); err != nil {
		r.log.Warn("relay notice not published; the sweep will find it", "err", err)
	}
	r.kick(chat)
	return nil
}

// discardedReason is what the desk reads on a held message an agent
// discarded.
const discardedReason = "discarded at the desk: it will not go out when the person writes"

// Discard forgets a dead letter, or a message held behind a failed
// template (see stuckLetters), which then does not go out.
func (r *Relay) Discard(ctx context.Context, chat, key string) error {
	failed := statusJSON(bot.Failed, discardedReason, "discarded", r.opt.now())
	n, err := discardScript.Run(ctx, r.rdb, r.keys(chat), chat, key, failed).Int()
	if err != nil {
		return errs.E(errs.Unavailable, "relay discard", err)
	}
	if n == 0 {
		return errs.E(errs.NotFound, "relay discard", errors.New("no such undelivered message"))
	}
	r.changed(ctx, chat)
	return nil
}
