// Package admit answers turns at once when too many are already in
// flight: the person is told that the system is busy and to try again in a
// few minutes, instead of waiting in a queue that only grows until every
// turn times out. A refused turn never reaches the engine, so the chat's
// state is untouched and its message is not marked handled: the same
// message sent again is taken as new.
//
// It wraps the engine every channel calls (bot.Engine), so one limit
// holds for REST, Telegram and WhatsApp alike.
package admit

import (
	"context"
	"net/netip"
	"sync"
	"time"
	"unicode"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/clientip"
)

// BusyKey is the message of a refused turn.
const BusyKey i18n.Key = "overload.busy"

// Engine admits at most a fixed number of turns at once into the engine
// it wraps.
type Engine struct {
	next     bot.Engine
	slots    chan struct{}
	onRefuse func(channel string)
	heavy    func(convo.Expect) bool
	hslots   chan struct{} // heavy turns in flight
	running  chan struct{} // other turns running in next; nil: all admitted
	slow     time.Duration // a turn running this long gives its place
	lineWait time.Duration // the longest an admitted turn waits in line
	steps    *steps
	shares   *shares // turns in flight per source; nil: no share
}

var _ bot.Engine = (*Engine)(nil)

// Option configures an Engine.
type Option func(*Engine)

// WithOnRefuse calls f (which must not block) with the channel of each
// refused turn, for metrics.
func WithOnRefuse(f func(channel string)) Option { return func(e *Engine) { e.onRefuse = f } }

// WithHeavy admits at most n turns at once that answer a step for which
// heavy reports true (a key step: it waits for argon2id, the machine's real
// ceiling), apart from New's n: they neither take nor wait for the other
// turns' slots. Beyond that they are refused at once, before they read the
// chat or the registry, while other turns go on.
func WithHeavy(heavy func(convo.Expect) bool, n int) Option {
	return func(e *Engine) { e.heavy, e.hslots = heavy, make(chan struct{}, max(n, 1)) }
}

// WithRunning lets at most n of the admitted turns (heavy ones apart: they
// have their own slots, and mostly wait for argon2id) run in the engine at
// once; the others wait for one to end, in the order they arrived. With
// every admitted turn running, a saturated machine serves them in no
// order at all (the scheduler's, PostgreSQL's and Redis' queues): a few
// wait many times the mean while the rest overtake them. Waiting in line
// before the engine keeps the mean (the machine does the same work) and
// cuts the tail; n must stay large enough for the turns running to keep
// the CPUs busy while they wait for Redis and PostgreSQL. A turn that has
// run for slow gives its place to the next while it goes on: it waits for
// something (a code's e-mail going out over SMTP, a database failing
// over) rather than using the machine, and the line must not wait for it
// (slow zero or less: it keeps its place to the end). n zero or less:
// every admitted turn runs.
func WithRunning(n int, slow time.Duration) Option {
	return func(e *Engine) {
		e.running, e.slow = nil, slow
		if n > 0 {
			e.running = make(chan struct{}, n)
		}
	}
}

// WithSourceShare lets one source (a REST client's address or the person
// the portal names, convo.Inbound.Source; an IPv6 address by its /64) have
// at most n turns in flight at once, heavy ones included; beyond, its
// turns are refused as any turn beyond the limit is. Without it every slot
// was anyone's: one client posting 200 messages at once to one chat took
// them all (its turns waiting for the chat, one at a time), and 89 % of
// other people's messages were answered that the system was busy (an
// attack probe). A chat without a source (Telegram, WhatsApp: the
// platform names the person) is not counted; nor is a loopback address,
// which speaks for everyone behind a local proxy. n zero or less: no
// share.
func WithSourceShare(n int) Option {
	return func(e *Engine) {
		e.shares = nil
		if n > 0 {
			e.shares = &shares{max: n, m: map[string]int{}}
		}
	}
}

// DefaultLineWait is the longest an admitted turn waits in line to run
// (WithRunning) before it is answered that the system is busy. In line
// means the machine is saturated: a few milliseconds to a few hundred are
// usual; seconds mean it cannot keep up, and the person is better told at
// once than kept waiting for an answer that may come too late.
const DefaultLineWait = 5 * time.Second

// WithLineWait sets how long an admitted turn may wait in line to run
// (DefaultLineWait when d is not positive); it waits at most half of what
// its request has left in any case.
func WithLineWait(d time.Duration) Option {
	return func(e *Engine) {
		if d > 0 {
			e.lineWait = d
		}
	}
}

// New admits at most n turns into next at once (at least one).
func New(next bot.Engine, n int, opts ...Option) *Engine {
	e := &Engine{next: next, slots: make(chan struct{}, max(n, 1)), onRefuse: func(string) {}, steps: newSteps(stepsKept), lineWait: DefaultLineWait}
	for _, o := range opts {
		o(e)
	}
	return e
}

// InFlight is how many turns are in the engine now, or waiting to run.
func (e *Engine) InFlight() int { return len(e.slots) + len(e.hslots) }

// Handle runs the turn if a slot is free, and refuses it at once if not.
// A turn at a heavy step takes one of the heavy slots only: it spends its
// time waiting for argon2id, not on the CPU the other slots share out,
// and holding one of those too let key steps take every slot when many
// people chose their key at once, so that the other turns were refused
// while the machine idled.
func (e *Engine) Handle(ctx context.Context, in convo.Inbound) (convo.Result, error) {
	if src := shareKey(in.Source); e.shares != nil && src != "" {
		if !e.shares.take(src) {
			e.onRefuse(in.Channel)
			return e.refuse(in), nil
		}
		defer e.shares.give(src)
	}
	if exp, ok := e.steps.get(in.Chat); ok && e.heavy != nil && e.heavy(exp) {
		if !e.take(e.hslots) {
			e.onRefuse(in.Channel)
			return e.refuse(in), nil
		}
		defer func() { <-e.hslots }()
		return e.run(ctx, in)
	}
	if !e.take(e.slots) {
		e.onRefuse(in.Channel)
		return e.refuse(in), nil
	}
	defer func() { <-e.slots }()
	if e.running != nil {
		// A channel's blocked senders are served in the order they
		// blocked: the line is first come, first served. A turn waits
		// in it at most half of what its request has left, so that one
		// that starts has the other half to finish: on a machine taken
		// by other work, turns that waited up to their deadline started
		// only to time out halfway ("problema técnico") where they
		// should have been told the system was busy.
		if !e.take(e.running) && !e.wait(ctx) {
			e.onRefuse(in.Channel)
			return e.refuse(in), nil
		}
		leave := sync.OnceFunc(func() { <-e.running })
		if e.slow > 0 {
			slow := time.AfterFunc(e.slow, leave)
			defer slow.Stop()
		}
		defer leave()
	}
	return e.run(ctx, in)
}

// run hands the turn to the engine and remembers the step it leaves the
// chat at.
func (e *Engine) run(ctx context.Context, in convo.Inbound) (convo.Result, error) {
	res, err := e.next.Handle(ctx, in)
	if err == nil && len(res.Replies) > 0 {
		e.steps.put(in.Chat, res.Replies[len(res.Replies)-1].Expect)
	}
	return res, err
}

// wait waits in line for a running slot, at most the line wait and half
// of what ctx has left, and reports whether it got one. take has already
// found none free: the timer is paid only by turns that wait.
func (e *Engine) wait(ctx context.Context) bool {
	wait := e.lineWait
	if d, ok := ctx.Deadline(); ok {
		wait = min(wait, time.Until(d)/2)
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case e.running <- struct{}{}:
		return true
	case <-timer.C:
		return false
	case <-ctx.Done():
		return false
	}
}

// take takes a slot of slots, if one is free.
func (e *Engine) take(slots chan struct{}) bool {
	select {
	case slots <- struct{}{}:
		return true
	default:
		return false
	}
}

// refuse answers a turn that was not taken. The bot still waits for what
// it waited for before, as far as this process saw; a message that may be
// a key is treated as one (deleted where the channel can), since a refused
// turn cannot know the step it answers.
func (e *Engine) refuse(in convo.Inbound) convo.Result {
	exp, known := e.steps.get(in.Chat)
	if !known {
		exp = convo.ExpectText
	}
	secret := in.Text != "" && (exp.Secret() || (!known && mayBeKey(in.Text)))
	return convo.Result{Replies: []convo.Reply{{Msg: i18n.M(BusyKey), Expect: exp}}, Secret: secret}
}

// mayBeKey reports whether s could be a key: one word with a letter and a
// digit. CUILs, DNIs and dates have no letters, names no digits.
func mayBeKey(s string) bool {
	var letter, digit bool
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			return false
		case unicode.IsLetter(r):
			letter = true
		case unicode.IsDigit(r):
			digit = true
		}
	}
	return letter && digit
}

// stepsKept bounds the chats whose last step is remembered: about 100
// bytes each.
const stepsKept = 50_000

// steps remembers what the bot last waited for in recent chats, so a
// refusal can say it still waits for it. Only the step's name is kept,
// never what the person wrote. When full it starts afresh: a forgotten
// chat only gets "text".
type steps struct {
	mu  sync.Mutex
	max int
	m   map[string]convo.Expect
}

func newSteps(n int) *steps { return &steps{max: n, m: make(map[string]convo.Expect)} }

func (s *steps) put(chat string, e convo.Expect) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[chat]; !ok && len(s.m) >= s.max {
		clear(s.m)
	}
	s.m[chat] = e
}

func (s *steps) get(chat string) (convo.Expect, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.m[chat]
	return e, ok
}

// shares counts the turns each source has in flight.
type shares struct {
	mu  sync.Mutex
	max int
	m   map[string]int
}

// take counts one more turn of src, unless it has its share in flight.
func (s *shares) take(src string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m[src] >= s.max {
		return false
	}
	s.m[src]++
	return true
}

// give counts one turn of src fewer.
func (s *shares) give(src string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m[src]--; s.m[src] <= 0 {
		delete(s.m, src)
	}
}

// shareKey is source as its share counts it, "" for none: an address as
// the engine's limits count it (clientip.Key: an IPv6 address by its
// /64), nothing for a loopback address, any other name as it is.
func shareKey(source string) string {
	if source == "" || source == "localhost" {
		return ""
	}
	a, err := netip.ParseAddr(source)
	switch {
	case err != nil:
		return source
	case a.Unmap().IsLoopback():
		return ""
	}
	return clientip.Key(a.Unmap())
}
