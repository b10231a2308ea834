package loadtest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Mix is how many people of each goal, by weight.
type Mix map[Goal]int

// ParseMix reads "create=30,faq=20,..." or one goal's name.
func ParseMix(s string) (Mix, error) {
	m := Mix{}
	for _, part := range strings.Split(s, ",") {
		name, weight, found := strings.Cut(strings.TrimSpace(part), "=")
		w := 1
		if found {
			var err error
			if w, err = strconv.Atoi(weight); err != nil || w < 0 {
				return nil, fmt.Errorf("mix: %q: want GOAL=WEIGHT", part)
			}
		}
		g := Goal(name)
		if !isGoal(g) {
			return nil, fmt.Errorf("mix: unknown goal %q (have %v)", name, Goals)
		}
		m[g] += w
	}
	return m, nil
}

func isGoal(g Goal) bool {
	for _, known := range Goals {
		if g == known {
			return true
		}
	}
	return false
}

// Realistic is the default mix: most people create a key, some recover or
// change one, some only ask, some mistype and some walk away halfway.
const Realistic = "questions-cancel=10,create=30,recover=10,change=5,faq=15,mismatch=10,wander=20"

// String lists the mix as ParseMix reads it.
func (m Mix) String() string {
	var parts []string
	for _, g := range Goals {
		if m[g] > 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", g, m[g]))
		}
	}
	return strings.Join(parts, ",")
}

// Person is one simulated person of the run: chat n, its goal and citizen,
// and for recover and change the key the registry must already hold.
type Person struct {
	N       int
	Chat    string
	Goal    Goal
	Citizen *Citizen
	Key     string
}

// Source is the address the person writes from, where the channel passes
// one (REST with --source person).
func (p Person) Source() string { return sourceOf(p.Chat) }

// People assigns a goal and a distinct citizen to each of n chats.
func People(n int, mix Mix, citizens []*Citizen, runID string, seed uint64) ([]Person, error) {
	if n > len(citizens) {
		return nil, fmt.Errorf("loadtest: %d chats need %d citizens, have %d", n, n, len(citizens))
	}
	total := 0
	for _, w := range mix {
		total += w
	}
	if total == 0 {
		return nil, errors.New("loadtest: the mix has no weight")
	}
	rng := rand.New(rand.NewPCG(seed, 7))
	out := make([]Person, n)
	for i := range out {
		g := pickGoal(mix, total, rng)
		out[i] = Person{N: i, Chat: runID + "-" + strconv.Itoa(i), Goal: g, Citizen: citizens[i]}
		if g.NeedsKey() {
			out[i].Key = keyFor(i, 0)
		}
	}
	return out, nil
}

func pickGoal(mix Mix, total int, rng *rand.Rand) Goal {
	r := rng.IntN(total)
	for _, g := range Goals {
		if r < mix[g] {
			return g
		}
		r -= mix[g]
	}
	return GoalQuestions
}

// Load is how hard to drive: closed loop (InFlight turns at once, each
// sent when one is answered) or open loop (Rate turns a second whatever
// the answers take).
type Load struct {
	InFlight   int
	Rate       float64
	Timeout    time.Duration // one turn; beyond it the turn is an error
	RetryAfter time.Duration // a person told the system is busy writes again after this
	// MaxAwaiting bounds the open loop's requests awaiting an answer, as a
	// load balancer in front of serve bounds its connections (0:
	// DefaultMaxAwaiting).
	MaxAwaiting int
}

// runner plays the people through a channel.
type runner struct {
	ch      Channel
	texts   *Texts
	load    Load
	tally   *tally
	ready   chan *playing
	left    atomic.Int64 // people not yet finished
	starved atomic.Int64 // open loop: ticks with nobody ready
	onDone  func()
	seed    uint64
}

// playing is a person between turns.
type playing struct {
	p       *person
	chat    string
	goal    Goal
	replies []Reply
	pending *Action // a refused message to send again
	failed  bool
}

func newRunner(ch Channel, t *Texts, load Load, people []Person, seed uint64, onDone func()) *runner {
	r := &runner{ch: ch, texts: t, load: load, tally: newTally(), ready: make(chan *playing, len(people)), onDone: onDone, seed: seed}
	rng := rand.New(rand.NewPCG(seed, 11))
	for _, pp := range people {
		p := newPerson(pp.Goal, pp.Citizen, t, pp.N, rng)
		r.ready <- &playing{p: p, chat: pp.Chat, goal: pp.Goal}
	}
	r.left.Store(int64(len(people)))
	return r
}

// run plays until every person is done or ctx ends.
func (r *runner) run(ctx context.Context) {
	if r.load.Rate > 0 {
		r.openLoop(ctx)
		return
	}
	var wg sync.WaitGroup
	for range r.load.InFlight {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && r.left.Load() > 0 {
				select {
				case pl := <-r.ready:
					r.step(ctx, pl)
				case <-ctx.Done():
					return
				case <-time.After(10 * time.Millisecond):
				}
			}
		}()
	}
	wg.Wait()
}

// DefaultMaxAwaiting is Load.MaxAwaiting's default.
const DefaultMaxAwaiting = 4096

func (l Load) maxAwaiting() int {
	if l.MaxAwaiting > 0 {
		return l.MaxAwaiting
	}
	return DefaultMaxAwaiting
}

// openLoop sends Rate turns a second, each to the person who has waited
// longest, however long the answers take (up to Load.MaxAwaiting awaiting).
//
// Messages are sent by workers started as needed, up to one for each
// message awaiting, and kept: a goroutine a message grew its stack anew
// each time through the HTTP client, and every request's context hung
// from the run's, whose children map was written twice a message. The
// tool shares the machine with serve, and at four times serve's rate
// spends about as much of it; this cut its CPU a message 124 -> 117 µs.
func (r *runner) openLoop(ctx context.Context) {
	var wg sync.WaitGroup
	jobs := make(chan *playing)
	defer func() { close(jobs); wg.Wait() }()
	outstanding := make(chan struct{}, r.load.maxAwaiting())
	// Each worker's messages hang from a context of its own under the
	// run's, so cancelling the run still reaches every request.
	worker := func() {
		defer wg.Done()
		wctx, cancel := context.WithCancel(ctx)
		defer cancel()
		for pl := range jobs {
			r.step(wctx, pl)
			<-outstanding
		}
	}
	interval := time.Duration(float64(time.Second) / r.load.Rate)
	start := time.Now()
	for i := 0; ctx.Err() == nil && r.left.Load() > 0; i++ {
		if d := time.Until(start.Add(time.Duration(i) * interval)); d > 0 {
			time.Sleep(d)
		}
		select {
		case outstanding <- struct{}{}:
		default:
			r.starved.Add(1)
			continue
		}
		select {
		case pl := <-r.ready:
			select {
			case jobs <- pl:
			default:
				// Every worker is awaiting an answer: one more, since a
				// slot of outstanding was free.
				wg.Add(1)
				go worker()
				jobs <- pl
			}
		default:
			<-outstanding
			r.starved.Add(1)
		}
	}
}

// step sends one message of pl's person and puts the person back in line,
// unless they are done.
func (r *runner) step(ctx context.Context, pl *playing) {
	a := pl.pending
	if a == nil {
		next, done, err := pl.p.next(pl.replies)
		if err != nil {
			r.tally.fail("unexpected step", fmt.Errorf("chat %s: %w", pl.chat, err))
			pl.failed = true
		}
		if done {
			r.finish(pl)
			return
		}
		a = &next
	}
	tctx, cancel := context.WithTimeout(ctx, r.load.Timeout)
	start := time.Now()
	replies, err := r.ch.Send(tctx, pl.chat, *a)
	took := time.Since(start)
	cancel()
	switch why := r.texts.refused(replies); {
	case err != nil:
		if ctx.Err() != nil {
			return // the run was stopped: not the server's error
		}
		r.tally.fail(errorClass(err), fmt.Errorf("chat %s: %w", pl.chat, err))
		pl.failed = true
		r.finish(pl)
		return
	case why != "":
		// Nothing was kept: the same message goes again, later (people
		// are told "in a few minutes"; a run cannot wait that long).
		r.tally.refusal(why, took)
		pl.pending = a
		time.AfterFunc(r.load.RetryAfter, func() { r.ready <- pl })
		return
	default:
		r.tally.turn(r.texts.turnKind(*a, replies), took)
		pl.pending, pl.replies = nil, replies
	}
	r.ready <- pl
}

func (t *Texts) turnKind(a Action, replies []Reply) string {
	switch {
	case a.Secret:
		return kindKey
	case len(replies) > 0 && slices.ContainsFunc(replies[len(replies)-1].Options, func(o string) bool { return t.None[o] }):
		return kindQuestions // the options of an identity question end with "none of these"
	}
	return kindOther
}

func (r *runner) finish(pl *playing) {
	r.tally.person(pl.goal, pl.p.reached && !pl.failed, pl.failed, pl.p.away, time.Now())
	r.left.Add(-1)
	if r.onDone != nil {
		r.onDone()
	}
}

// errorClass groups errors for the report: the status or the kind of
// failure, without the chat.
func errorClass(err error) string {
	s := err.Error()
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case strings.Contains(s, "connection refused"), strings.Contains(s, "connection reset"):
		return "connection"
	case strings.Contains(s, "POST "):
		if i := strings.Index(s, ": "); i > 0 {
			f := strings.Fields(s[i+2:])
			if len(f) > 0 {
				return "status " + f[0]
			}
		}
	}
	return "other"
}

// goalCounts lists the goals' counts in report order.
func (t *tally) goalCounts() []string {
	var out []string
	for _, g := range Goals {
		if c := t.goals[g]; c != nil {
			out = append(out, fmt.Sprintf("%s %d/%d", g, c.Reached, c.People))
		}
	}
	sort.Strings(out)
	return out
}
