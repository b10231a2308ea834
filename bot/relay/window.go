package relay

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/bot"
)

// noTemplate is the code of a closed window's template status when no
// template is configured (bot.ErrNoTemplate).
const noTemplate = "no_template"

// maxTemplateTries bounds the tries of one closing's template.
const maxTemplateTries = 5

// reopen sends, once per closing of the chat's window, the template that
// asks the person to write again; a template that failed for a reason
// worth retrying is tried again later, at its time.
func (r *Relay) reopen(ctx context.Context, chat string, keys []string, meta map[string]string) error {
	tplKey := meta["tpl"]
	tries := atoi(meta["tpltries"])
	if tplKey != "" {
		st, err := r.status(ctx, chat, tplKey)
		if err != nil {
			return err
		}
		if st.State != bot.Retrying {
			return nil // sent, or given up: the messages wait for the person
		}
		if next := fromMS(meta["tplnext"]); next.After(r.opt.now()) {
			return wrapUnavailable("relay wait", r.rdb.ZAdd(ctx, keys[3], redis.Z{Score: float64(next.UnixMilli()), Member: chat}).Err())
		}
	} else {
		tplKey = bot.NewKey("template")
	}
	tries++
	sctx, cancel := context.WithTimeout(ctx, r.opt.send)
	id, name, err := r.local.Reopen(sctx, chat, tplKey)
	cancel()
	return r.templateTried(ctx, chat, keys, meta, tplKey, id, name, tries, err)
}

// templateTried records a try of the template and, when it may work
// later, when to try again. A template Meta refused for the business
// account (368, 131031, 131042: a block that lasts days), its rate or its
// own failure is tried for as long as a message would be (WithGiveUp):
// it was given up after five tries in half a minute, and the messages
// held for it waited, unseen, after the block lifted (a channels probe).
// Given up after that, the messages become dead letters, which the desk
// lists, and the chat's next message starts over.
func (r *Relay) templateTried(ctx context.Context, chat string, keys []string, meta map[string]string, key, id, name string, tries int, err error) error {
	now := r.opt.now()
	st, next, failing, result := rstatus{State: bot.Sent, ID: id, Tries: tries, At: ms(now)}, "", "", "sent"
	var givenUp *bot.SendError
	switch {
	case errors.Is(err, bot.ErrNotHere):
		return nil
	case errors.Is(err, bot.ErrNoTemplate):
		st, result = rstatus{State: bot.Failed, Reason: "no template is configured (--whatsapp-template)", Code: noTemplate, At: ms(now)}, "none"
	case err != nil:
		se := bot.Classify(err)
		r.opt.meter.Failed(channelOf(chat), se.Code, se.Account)
		st, result, failing = rstatus{State: bot.Failed, Reason: se.Reason, Code: se.Code, Tries: tries, At: ms(now)}, "failed", ms(now)
		switch r.templateRetry(se, tries, fromMS(meta["tplfailing"]), now) {
		case retryLater:
			st.State, result = bot.Retrying, "retry"
			next = ms(now.Add(r.opt.wait(tries, se.RetryAfter)))
		case giveUpHeld:
			givenUp = se
		}
		r.log.Warn("template not sent", "channel", channelOf(chat), "code", se.Code, "err", err)
	}
	r.opt.meter.Template(channelOf(chat), result)
	if result == "failed" {
		r.opt.meter.TemplateFailed(channelOf(chat), st.Code)
	}
	if err := templateScript.Run(ctx, r.rdb, keys, key, encodeStatus(st), id, name, next, chat, tries, failing).Err(); err != nil {
		return wrapUnavailable("relay template", err)
	}
	if givenUp != nil {
		reason := "WhatsApp's 24-hour window closed and the template that reopens it could not be sent: " + givenUp.Reason
		return r.abandon(ctx, chat, keys, reason, givenUp.Code, tries)
	}
	r.changed(ctx, chat)
	return nil
}

// What becomes of a template that failed.
const (
	failedForGood = iota // the messages stay held for the person
	retryLater
	giveUpHeld // the messages held for it become dead letters
)

// templateRetry decides on a template that failed with se at its tries-th
// try, failing since since (zero: not before).
func (r *Relay) templateRetry(se *bot.SendError, tries int, since, now time.Time) int {
	if since.IsZero() {
		since = now
	}
	switch {
	case (se.Failure == bot.Retry || se.Failure == bot.Unsure) && tries < maxTemplateTries,
		se.Failure == bot.Retry && now.Sub(since) < r.opt.giveUp:
		return retryLater
	case se.Failure == bot.Retry:
		return giveUpHeld
	}
	return failedForGood
}

// waitHeld keeps the chat's held messages waiting for the person, sends
// the template that asks them to write, and makes the chat due again
// when the messages have waited long enough (holdFor): with no template
// configured, or a template the person ignored, nothing else would ever
// look at the chat again, and its keys expired after 30 days untouched
// with the agents' messages, listed nowhere (a channels probe).
func (r *Relay) waitHeld(ctx context.Context, chat string, keys []string, meta map[string]string) error {
	now := r.opt.now()
	closed := fromMS(meta["window"])
	if closed.IsZero() {
		closed = now
	}
	if now.Sub(closed) >= r.opt.holdFor {
		return r.expireHeld(ctx, chat, keys, meta)
	}
	if err := r.reopen(ctx, chat, keys, meta); err != nil {
		return err
	}
	end := closed.Add(r.opt.holdFor)
	return wrapUnavailable("relay wait", r.rdb.ZAddLT(ctx, keys[3], redis.Z{Score: float64(end.UnixMilli()), Member: chat}).Err())
}

// expireHeld makes messages held for holdFor dead letters, while Redis
// still has them, so the desk lists them and an agent may send them again.
func (r *Relay) expireHeld(ctx context.Context, chat string, keys []string, meta map[string]string) error {
	days := int(r.opt.holdFor.Round(24*time.Hour) / (24 * time.Hour))
	reason := fmt.Sprintf("WhatsApp's 24-hour window closed and the person did not write again within %d days", days)
	if meta["tpl"] != "" {
		if st, err := r.status(ctx, chat, meta["tpl"]); err == nil && st.Code == noTemplate {
			reason = fmt.Sprintf("WhatsApp's 24-hour window closed, no template is configured to reopen it (--whatsapp-template), and the person did not write again within %d days", days)
		}
	}
	return r.abandon(ctx, chat, keys, reason, "131047", atoi(meta["tpltries"]))
}

// abandon makes the chat's held messages dead letters, which the desk
// lists and an agent may send again.
func (r *Relay) abandon(ctx context.Context, chat string, keys []string, reason, code string, tries int) error {
	buried, err := abandonScript.Run(ctx, r.rdb, keys, reason, code, strconv.Itoa(tries), chat, ms(r.opt.now())).StringSlice()
	if err != nil {
		return wrapUnavailable("relay abandon", err)
	}
	for _, k := range buried {
		r.opt.meter.Dead(channelOf(chat), bot.KindOf(k), code)
	}
	r.log.Error("held messages given up", "channel", channelOf(chat), "n", len(buried), "code", code, "reason", reason)
	r.changed(ctx, chat)
	return nil
}

// status reads one message's status.
func (r *Relay) status(ctx context.Context, chat, key string) (bot.Status, error) {
	raw, err := r.rdb.HGet(ctx, r.keys(chat)[2], key).Result()
	if err != nil {
		return bot.Status{}, wrapUnavailable("relay status", err)
	}
	st, _ := decodeStatus(key, raw)
	return st, nil
}
