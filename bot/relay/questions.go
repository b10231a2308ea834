package relay

import (
	"context"
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
	if err := askScript.Run(ctx, q.rdb, chatKeys(q.prefix, chat), question, q.ttl.Milliseconds(), text).Err(); err != nil {
		return errs.E(errs.Unavailable, "relay asked", err)
	}
	return nil
}

// Current implements bot.QuestionTexts.
func (q *Questions) Current(ctx context.Context, chat string) (string, string, error) {
	v, err := q.rdb.HMGet(ctx, chatKeys(q.prefix, chat)[1], "question", "qtext").Result()
	if err != nil {
		return "", "", errs.E(errs.Unavailable, "relay current question", err)
	}
	question, _ := v[0].(string)
	text, _ := v[1].(string)
	return question, text, nil
}

// Answer implements bot.Questions.
func (q *Questions) Answer(ctx context.Context, chat, question, tap string) (bool, error) {
	n, err := answerScript.Run(ctx, q.rdb, chatKeys(q.prefix, chat), question, tap).Int()
	if err != nil {
		return false, errs.E(errs.Unavailable, "relay answer", err)
	}
	return n == 1, nil
}
