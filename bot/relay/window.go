package relay

import (
	"context"
	"errors"

	"github.com/clavebot/clavebot/bot"
)

// maxTemplateTries bounds the tries of one closing's template.
const maxTemplateTries = 5

// reopen sends, once per closing of the chat's window, the template that
// asks the person to write again; a template that failed for a reason
// worth retrying is tried again later.
func (r *Relay) reopen(ctx context.Context, chat string, keys []string, meta map[string]string) error {
	tplKey := meta["tpl"]
	tries := atoi(meta["tpltries"])
	if tplKey != "" {
		st, err := r.status(ctx, chat, tplKey)
		if err != nil {
			return err
		}
		if st.State != bot.Retrying || tries >= maxTemplateTries {
			return nil // sent, or given up: the messages wait for the person
		}
	} else {
		tplKey = bot.NewKey("template")
	}
	tries++
	sctx, cancel := context.WithTimeout(ctx, r.opt.send)
	id, name, err := r.local.Reopen(sctx, chat, tplKey)
	cancel()
	return r.templateTried(ctx, chat, keys, tplKey, id, name, tries, err)
}

// templateTried records a try of the template and, when it may work
// later, when to try again.
func (r *Relay) templateTried(ctx context.Context, chat string, keys []string, key, id, name string, tries int, err error) error {
	now := r.opt.now()
	st, next, result := rstatus{State: bot.Sent, ID: id, Tries: tries, At: ms(now)}, "", "sent"
	switch {
	case errors.Is(err, bot.ErrNotHere):
		return nil
	case errors.Is(err, bot.ErrNoTemplate):
		st, result = rstatus{State: bot.Failed, Reason: "no template is configured (--whatsapp-template)", Code: "no_template", At: ms(now)}, "none"
	case err != nil:
		se := bot.Classify(err)
		st, result = rstatus{State: bot.Failed, Reason: se.Reason, Code: se.Code, Tries: tries, At: ms(now)}, "failed"
		if (se.Failure == bot.Retry || se.Failure == bot.Unsure) && tries < maxTemplateTries {
			st.State, result = bot.Retrying, "retry"
			next = ms(now.Add(r.opt.wait(tries, se.RetryAfter)))
		}
		r.log.Warn("template not sent", "channel", channelOf(chat), "code", se.Code, "err", err)
	}
	r.opt.meter.Template(channelOf(chat), result)
	if err := templateScript.Run(ctx, r.rdb, keys, key, encodeStatus(st), id, name, next, chat, tries).Err(); err != nil {
		return wrapUnavailable("relay template", err)
	}
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
