package bot

import (
	"context"
	"time"
)

// LateReporter is a channel whose platform may report, after it took a
// message, that it could not deliver it (WhatsApp Cloud's failed status):
// a turn's replies are then kept a while (see ReplyKeeper), for one that
// failed for a reason that may pass to go again (see Bot.Redeliver).
type LateReporter interface {
	ReportsLate()
}

// ReplyKeeper keeps, for a while (KeptReplies), the replies of a turn a
// platform took, so one it reports later it could not deliver can be sent
// again; bot/relay's Questions implements it, beside the chat's current
// question.
type ReplyKeeper interface {
	// KeepReplies keeps a turn's replies (envs[i] under EnvelopeKey(key,
	// i)); the turn becomes the chat's latest, and the question the last
	// of them asks (Msg.Question, tagged before), if any, the chat's
	// current one, with its numbered text, as QuestionTexts.AskedText
	// would after its send: in the same write.
	KeepReplies(ctx context.Context, chat string, envs []Envelope) error
	// TakeReplies returns the reply kept under key and the replies of its
	// turn after it, in order, and forgets them: they go again at most
	// once. None when a newer turn's replies were kept since (the
	// conversation went on past them), and none the outbox has itself
	// (the turn left them there).
	TakeReplies(ctx context.Context, chat, key string) ([]Message, error)
}

// KeptReplies is how long a turn's replies are kept for a late failure:
// Meta reports one within minutes, and the replies carry the person's
// data, not to stay in Redis longer than that.
const KeptReplies = 15 * time.Minute

// keep keeps a turn's replies, to be sent under key, key#2…, where the
// channel's platform reports late failures: before they are sent, since
// Meta's failure may come before the send's answer. One the turn leaves
// to the outbox is the outbox's (see ReplyKeeper's TakeReplies). The
// question they ask is kept in the same write, before it is shown: it
// cost a round trip of its own after the send (issue 14), and a failure
// Meta posted before that write found no question to send again. It
// reports whether it kept them, and so the question.
func (b *Bot) keep(ctx context.Context, ch Channel, chat, key string, msgs []Message) bool {
	rk, ok := b.questions.(ReplyKeeper)
	if _, late := ch.(LateReporter); !ok || !late || len(msgs) == 0 || b.outbox == nil || !b.outbox.durable {
		return false
	}
	envs := make([]Envelope, len(msgs))
	at := b.outbox.now()
	for i, m := range msgs {
		envs[i] = Envelope{Key: EnvelopeKey(key, i), Msg: m, At: at}
	}
	if err := rk.KeepReplies(ctx, chat, envs); err != nil {
		b.log.Warn("replies not kept for a late failure", "channel", ch.Name(), "err", err)
		return false
	}
	return true
}

// Redeliver is told that a turn's reply the platform took, kept under
// key, could not be delivered after all for a reason that may pass (Meta's
// rate limits, its own failure: 130429, 131056, 131000, code 2…), or for
// WhatsApp's closed window (131047: the outbox holds it for the person).
// It was only counted, and the person never got it (a channels probe). It goes
// again, once, through the outbox (its key is "resend:" and key's): in
// the order the failures come, retried, shown on the desk, a dead letter
// if it fails for good. The turn's replies after it go again with it:
// alone it came after them, the turn's question last no more. It reports
// whether it did: a reply no longer kept (long ago, already sent again)
// is not, nor one of a turn the conversation went on past (a reply of a
// newer turn was sent since, and the old one read as the bot's last
// word).
func (b *Bot) Redeliver(ctx context.Context, chat, key string) (bool, error) {
	rk, ok := b.questions.(ReplyKeeper)
	if !ok || b.outbox == nil || !b.outbox.durable || key == "" {
		return false, nil
	}
	msgs, err := rk.TakeReplies(ctx, chat, key)
	if err != nil || len(msgs) == 0 {
		return false, err
	}
	return true, b.outbox.DeliverMessages(ctx, chat, ResendKey(key), msgs)
}

// ResendKey is the key a message goes again under after a late failure:
// one that fails again is not sent a third time.
func ResendKey(key string) string { return "resend:" + key }
