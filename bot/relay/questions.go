package relay

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/internal/errs"
)

// Questions is bot.Questions in Redis, beside each chat's outbox, so every
// replica reads the same current question. It needs no channel, so the
// channels that record what they ask (bot.Local) are built with it before
// the relay that sends through them.
type Questions struct {
	rdb    redis.UniversalClient
	prefix string
	ttl    time.Duration
}

var _ bot.Questions = (*Questions)(nil)

// NewQuestions returns the questions the relay under prefix keeps (WithTTL
// is the only option it reads).
func NewQuestions(rdb redis.UniversalClient, prefix string, opts ...Option) *Questions {
	o := defaults()
	for _, opt := range opts {
		opt(&o)
	}
	return &Questions{rdb: rdb, prefix: prefix, ttl: o.ttl}
}

var _ bot.QuestionTexts = (*Questions)(nil)

// Asked implements bot.Questions.
func (q *Questions) Asked(ctx context.Context, chat, question string) error {
	return q.AskedText(ctx, chat, question, "")
}

// AskedText implements bot.QuestionTexts: the text is kept in the same
// write, beside the question.
func (q *Questions) AskedText(ctx context.Context, chat, question, text string) error {
	if err := askScript.Run(ctx, q.rdb, chatKeys(q.prefix, chat), question, q.ttl.Milliseconds(), text, qtextTTL.Milliseconds()).Err(); err != nil {
		return errs.E(errs.Unavailable, "relay asked", err)
	}
	return nil
}

// qtextTTL is how long a question's text is kept: Meta reports a message
// it could not show within minutes, and an identity question's options
// (the right one among them) must not stay in Redis for the relay's TTL
// (found by a regression probe).
const qtextTTL = 15 * time.Minute

// Current implements bot.QuestionTexts.
func (q *Questions) Current(ctx context.Context, chat string) (string, string, error) {
	keys := chatKeys(q.prefix, chat)
	pipe := q.rdb.Pipeline()
	question := pipe.HGet(ctx, keys[1], "question")
	text := pipe.Get(ctx, keys[8])
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return "", "", errs.E(errs.Unavailable, "relay current question", err)
	}
	return question.Val(), text.Val(), nil
}

// Answer implements bot.Questions.
func (q *Questions) Answer(ctx context.Context, chat, question, tap string) (bool, error) {
	n, err := answerScript.Run(ctx, q.rdb, chatKeys(q.prefix, chat), question, tap).Int()
	if err != nil {
		return false, errs.E(errs.Unavailable, "relay answer", err)
	}
	return n == 1, nil
}

var _ bot.ReplyKeeper = (*Questions)(nil)

// KeepReplies implements bot.ReplyKeeper: one write for a turn's replies,
// kept bot.KeptReplies.
func (q *Questions) KeepReplies(ctx context.Context, chat string, envs []bot.Envelope) error {
	keys := chatKeys(q.prefix, chat)
	fields := make([]any, 0, 2*len(envs))
	for _, e := range envs {
		it, err := item(e)
		if err != nil {
			return err
		}
		fields = append(fields, e.Key, it)
	}
	// The turn is the chat's latest: a late failure of an older one's
	// reply is not sent again after this one's.
	fields = append(fields, latestTurn, envs[0].Key)
	pipe := q.rdb.TxPipeline()
	pipe.HSet(ctx, keys[9], fields...)
	pipe.PExpire(ctx, keys[9], bot.KeptReplies)
	if m, ok := lastQuestion(envs); ok {
		// As AskedText does (askScript), in the same round trip.
		pipe.HSet(ctx, keys[1], "question", m.Question)
		pipe.PExpire(ctx, keys[1], q.ttl)
		pipe.Set(ctx, keys[8], bot.NumberedText(m), qtextTTL)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return errs.E(errs.Unavailable, "relay keep replies", err)
	}
	return nil
}

// lastQuestion is the last of envs' messages that asks a question.
func lastQuestion(envs []bot.Envelope) (bot.Message, bool) {
	for i := len(envs) - 1; i >= 0; i-- {
		if envs[i].Msg.Question != "" {
			return envs[i].Msg, true
		}
	}
	return bot.Message{}, false
}

// latestTurn is the field of the kept replies that names the chat's
// latest turn (its first reply's key); no reply key has that form.
const latestTurn = "latest"

// TakeReplies implements bot.ReplyKeeper.
func (q *Questions) TakeReplies(ctx context.Context, chat, key string) ([]bot.Message, error) {
	raw, err := takeScript.Run(ctx, q.rdb, chatKeys(q.prefix, chat), key, latestTurn).StringSlice()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, errs.E(errs.Unavailable, "relay take replies", err)
	}
	var out []bot.Message
	for _, it := range raw {
		if e, err := parseItem(it); err == nil {
			out = append(out, e.Msg) // nobody can read the others: nothing to send
		}
	}
	return out, nil
}
