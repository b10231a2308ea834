package loadtest

import (
	"slices"
	"sync"
	"time"
)

// Latency summarizes turn times.
type Latency struct {
	N                  int
	P50, P95, P99, Max time.Duration
}

func summarize(ds []time.Duration) Latency {
	if len(ds) == 0 {
		return Latency{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	at := func(q float64) time.Duration { return s[min(len(s)-1, int(q*float64(len(s))))] }
	return Latency{N: len(s), P50: at(0.50), P95: at(0.95), P99: at(0.99), Max: s[len(s)-1]}
}

// Turn kinds, measured apart: a key step waits for argon2id.
const (
	kindOther     = "other"
	kindKey       = "key"
	kindQuestions = "questions" // a turn answered with an identity question
)

// tally gathers what the people saw, from many goroutines.
type tally struct {
	mu        sync.Mutex
	lat       map[string][]time.Duration // answered turns, by kind
	refused   map[string]int             // "busy", "unavailable"
	refusedAt []time.Duration            // how long a refusal took
	errors    map[string]int             // first words of the error → count
	samples   []string                   // a few errors in full
	goals     map[Goal]*GoalCount
	created   []time.Time // when each key was stored (create goal)
}

// GoalCount is how the people of one goal fared. Away are those whose
// records give fewer identity questions than the policy's and nothing to
// make up for them: told, once their data matched, that the identity
// cannot be confirmed by chat (registry.CoverFor). They answered right;
// the goals that end before a key count them as reached as well.
type GoalCount struct {
	People, Reached, Failed, Away int
}

// AllEnded reports whether every person of the goal reached their end:
// the goal's, or, for the goals that end with a key, being turned away
// where the policy turns them away (Away, counted apart, not as reached).
func (c GoalCount) AllEnded() bool { return c.Failed == 0 && c.Reached >= c.People-c.Away }

func newTally() *tally {
	return &tally{lat: map[string][]time.Duration{}, refused: map[string]int{}, errors: map[string]int{}, goals: map[Goal]*GoalCount{}}
}

func (t *tally) turn(kind string, d time.Duration) {
	t.mu.Lock()
	t.lat[kind] = append(t.lat[kind], d)
	t.mu.Unlock()
}

func (t *tally) refusal(why string, d time.Duration) {
	t.mu.Lock()
	t.refused[why]++
	t.refusedAt = append(t.refusedAt, d)
	t.mu.Unlock()
}

func (t *tally) fail(class string, err error) {
	t.mu.Lock()
	t.errors[class]++
	if len(t.samples) < 10 {
		t.samples = append(t.samples, err.Error())
	}
	t.mu.Unlock()
}

func (t *tally) person(g Goal, reached, failed, away bool, at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	gc := t.goals[g]
	if gc == nil {
		gc = &GoalCount{}
		t.goals[g] = gc
	}
	gc.People++
	if reached {
		gc.Reached++
		if g == GoalCreate {
			t.created = append(t.created, at)
		}
	}
	if failed {
		gc.Failed++
	}
	if away && !failed {
		gc.Away++
	}
}

// answered counts the turns answered (not refused).
func (t *tally) answered() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, l := range t.lat {
		n += len(l)
	}
	return n
}
