package telegram

import (
	"errors"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
)

// flood is Telegram's flood control as the channel last heard of it: a
// 429 whose retry_after is longer than a turn waits in place (maxInPlace;
// a chat's own pace asks for a second or two, flood control for 30 s and
// more) holds the bot, not the chat it came on. Every chat's replies and
// the outbox's tries went on meanwhile, each refused, which prolongs the
// wait Telegram asked for (a channels probe); until it ends, no message
// is sent: the turn leaves its replies to the outbox, the outbox waits.
type flood struct {
	mu    sync.Mutex
	until time.Time
	now   func() time.Time
	share func(d time.Duration) // tells the token's other processes, when set
}

// heard notes err, when it is a flood wait.
func (f *flood) heard(err error) {
	var tooMany *tgbot.TooManyRequestsError
	if !errors.As(err, &tooMany) {
		return
	}
	d := time.Duration(tooMany.RetryAfter) * time.Second
	if d <= maxInPlace {
		return
	}
	f.holdFor(d)
	if f.share != nil {
		f.share(d)
	}
}

// holdFor holds the bot d from now, unless it is held longer.
func (f *flood) holdFor(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if until := f.now().Add(d); until.After(f.until) {
		f.until = until
	}
}

// hold returns, while the flood wait lasts, the error Telegram would
// answer, with what is left of it; nil otherwise.
func (f *flood) hold() error {
	f.mu.Lock()
	left := f.until.Sub(f.now())
	f.mu.Unlock()
	if left <= 0 {
		return nil
	}
	secs := int((left + time.Second - 1) / time.Second)
	return &tgbot.TooManyRequestsError{Message: "flood control: waiting what Telegram asked", RetryAfter: secs}
}
