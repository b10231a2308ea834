package relay

import (
	"context"

	"github.com/clavebot/clavebot/bot"
	"math/rand/v2"
	"time"
)

// Meter counts what the relay does; metrics.Delivery implements it.
type Meter interface {
	Sent(channel, kind string)
	Retried(channel, failure string)
	Dead(channel, kind, reason string)
	Held(channel string)
	Template(channel, result string)
	// TemplateFailed counts a template that failed for good (result
	// "failed") by the platform's code: whose the failure is, one
	// person's or the template's, is what an operator's alert reads.
	TemplateFailed(channel, code string)
	Stopped(channel string)
	Receipt(channel string, state string)
	// Failed counts every failed try by the platform's code, those that
	// say the channel's account cannot send apart.
	bot.Failures
}

type nopMeter struct{}

func (nopMeter) Sent(string, string)           {}
func (nopMeter) Retried(string, string)        {}
func (nopMeter) Dead(string, string, string)   {}
func (nopMeter) Held(string)                   {}
func (nopMeter) Template(string, string)       {}
func (nopMeter) TemplateFailed(string, string) {}
func (nopMeter) Stopped(string)                {}
func (nopMeter) Receipt(string, string)        {}
func (nopMeter) Failed(string, string, bool)   {}

type options struct {
	sweep    time.Duration // how often the due set is read
	ttl      time.Duration // how long a chat's queue and statuses live untouched
	lockTTL  time.Duration // a drain's lock, renewed while it runs (see holdLock)
	drainFor time.Duration // bounds one drain; longer than send
	send     time.Duration // bounds one send
	maxTries int
	giveUp   time.Duration // how long a message may fail before it is given up
	holdFor  time.Duration // how long messages held for a closed window wait for the person
	backoff  time.Duration // the first wait; it doubles up to maxWait
	maxWait  time.Duration
	workers  int
	now      func() time.Time
	meter    Meter
	onStop   func(ctx context.Context, chat, reason string)
	onChange func(ctx context.Context, chat string)
	windowed map[string]bool // channels whose sent messages are kept for a late failure
	channels []string        // channels whose dead letters the desk lists
	jitter   func(time.Duration) time.Duration
	// asked spreads the wait a platform asked for (a 429's retry_after):
	// every chat it refused at once resumed at the same instant and was
	// refused again (a channels probe).
	asked func(time.Duration) time.Duration
}

func defaults() options {
	return options{
		sweep: 2 * time.Second, ttl: 30 * 24 * time.Hour, lockTTL: 10 * time.Second, drainFor: 2 * time.Minute, send: 45 * time.Second,
		maxTries: 8, giveUp: 24 * time.Hour, holdFor: 28 * 24 * time.Hour, backoff: 2 * time.Second, maxWait: 5 * time.Minute, workers: 8,
		now: time.Now, meter: nopMeter{},
		onStop:   func(context.Context, string, string) {},
		onChange: func(context.Context, string) {},
		jitter: func(d time.Duration) time.Duration {
			return d + time.Duration(rand.Int64N(int64(d)/5+1)) // up to +20 %, so chats do not retry in step
		},
		asked: func(d time.Duration) time.Duration {
			return d + time.Duration(rand.Int64N(int64(min(d/5, time.Second))+1)) // up to +20 %, at most a second more than asked
		},
	}
}

// Option configures a Relay.
type Option func(*options)

// WithSweep sets how often due chats are looked for without a notice.
func WithSweep(d time.Duration) Option { return func(o *options) { o.sweep = d } }

// WithTTL sets how long a chat's queue and statuses are kept untouched.
func WithTTL(d time.Duration) Option { return func(o *options) { o.ttl = d } }

// WithRetries sets how many tries, at least, a message that could not be
// sent gets before it becomes a dead letter, and the first wait between
// tries (it doubles, up to max). See WithGiveUp.
func WithRetries(tries int, first, max time.Duration) Option {
	return func(o *options) { o.maxTries, o.backoff, o.maxWait = tries, first, max }
}

// WithGiveUp sets how long a message the platform did not take (a 5xx,
// no connection, a rate limit, a token refused) keeps being tried, from
// its first failed try, before it becomes a dead letter (default 24 hours,
// so an outage of the platform loses nothing). A message the platform
// refuses for good (a bad request, a blocked bot) is not retried at all.
func WithGiveUp(d time.Duration) Option { return func(o *options) { o.giveUp = d } }

// WithHoldFor sets how long messages held for WhatsApp's closed window
// wait for the person to write before they become dead letters (default
// 28 days); it is kept under the TTL, so Redis still has them then.
func WithHoldFor(d time.Duration) Option { return func(o *options) { o.holdFor = d } }

// WithLockTTL sets how long a chat's drain lock lasts unless renewed
// (default 10 s): the drain renews it every third of that while it runs,
// so it bounds how long a replica killed mid-drain keeps the chat.
func WithLockTTL(d time.Duration) Option { return func(o *options) { o.lockTTL = d } }

// WithClock replaces time.Now, for tests.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithMeter counts sends, retries, dead letters and receipts.
func WithMeter(m Meter) Option { return func(o *options) { o.meter = m } }

// WithOnStop is called when a chat is stopped because the person blocked
// the bot: the desk takes it out of its queue.
func WithOnStop(f func(ctx context.Context, chat, reason string)) Option {
	return func(o *options) { o.onStop = f }
}

// WithOnChange is called when a chat's messages change state, for the
// desk's pages to refresh.
func WithOnChange(f func(ctx context.Context, chat string)) Option {
	return func(o *options) { o.onChange = f }
}

// WithChannels names the channels whose dead letters are listed (default:
// those running in this process).
func WithChannels(names ...string) Option { return func(o *options) { o.channels = names } }

// WithWorkers sets how many chats are sent to at once (default 8); 0
// sends only when asked (Drain, Arrived), for tests that step by hand.
func WithWorkers(n int) Option { return func(o *options) { o.workers = n } }

// wait is the pause after a failed try: what the platform asked, a
// little more, else an exponential backoff; both with jitter.
func (o options) wait(tries int, asked time.Duration) time.Duration {
	if asked > 0 {
		return o.asked(asked)
	}
	d := o.backoff << min(tries-1, 20)
	if d <= 0 || d > o.maxWait {
		d = o.maxWait
	}
	return o.jitter(d)
}
