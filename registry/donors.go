package registry

import (
	"math/rand/v2"
	"slices"
	"time"
)

// DonorQuery asks a Store for citizens like the one being questioned, who
// lend their own data as the wrong options (see distractors.go).
type DonorQuery struct {
	CUIL  CUIL      // the person questioned: never a donor
	Sex   string    // donors' sex; "" for any
	Birth time.Time // donors are born as near this date as the registry allows
	N     int       // how many donors
	Seed  uint64    // which ones
}

// Span is a stretch of birth dates, both ends included.
type Span struct{ From, To time.Time }

// donorWindows are the half-widths, in days, of the birth-date windows
// searched for donors, narrowest first. At country scale about 750 people
// of each sex are born on any day, so the first window serves, and all
// born that day draw from the same people: each is drawn as a donor about
// as often as any other. A small registry widens the window, up to
// everyone; people in a sparse stretch then fall in more windows and are
// drawn a little more often (the attacker test measures what that tells).
// Windows centred on the person keep donors as near in age as the
// registry allows, which matters more: benefits start at an age, DNIs are
// renewed at ages and in campaigns.
var donorWindows = []int{0, 1, 3, 7, 15, 30, 60, 120, 240, 480, 960, 1920, 3840, 7680, 60000}

// FindDonors is the search every Store runs, so that all draw donors
// alike. For citizens of q.Sex (any when "") other than q.CUIL, nearest
// returns the birth dates of up to n born on or after q.Birth, earliest
// first, and of up to n born before it, latest first; candidates lists,
// sorted, the CUILs of those born in a span. The narrowest window around
// q.Birth holding q.N of them is taken and q.N drawn from it uniformly
// (all of them when the widest holds fewer). Drawing from the whole
// window, not its first rows, matters: a value that could never be a wrong
// option would give itself away as the truth.
func FindDonors(q DonorQuery, nearest func(n int) (before, after []time.Time, err error), candidates func(Span) ([]CUIL, error)) ([]CUIL, error) {
	before, after, err := nearest(q.N)
	if err != nil {
		return nil, err
	}
	w := donorWindows[len(donorWindows)-1]
	for _, x := range donorWindows {
		// Exact while neither list is cut short inside the window; once
		// one is, that side alone holds q.N.
		lo, hi := q.Birth.AddDate(0, 0, -x), q.Birth.AddDate(0, 0, x)
		n := countWhile(before, func(d time.Time) bool { return !d.Before(lo) }) +
			countWhile(after, func(d time.Time) bool { return !d.After(hi) })
		if n >= q.N {
			w = x
			break
		}
	}
	found, err := candidates(Span{q.Birth.AddDate(0, 0, -w), q.Birth.AddDate(0, 0, w)})
	if err != nil {
		return nil, err
	}
	return pickDonors(found, q.N, q.Seed), nil
}

// DonorWindows returns the half-widths, in days, of the birth-date windows
// FindDonors tries, narrowest first, for a Store that chooses the window
// in its own query as FindDonors would (sqlstore does: one round trip
// instead of two).
func DonorWindows() []int { return slices.Clone(donorWindows) }

// DrawDonors draws q's donors from the CUILs of the window FindDonors
// would take, as FindDonors does.
func DrawDonors(window []CUIL, q DonorQuery) []CUIL {
	s := slices.Clone(window)
	slices.Sort(s)
	return pickDonors(s, q.N, q.Seed)
}

func countWhile(ds []time.Time, in func(time.Time) bool) int {
	n := 0
	for n < len(ds) && in(ds[n]) {
		n++
	}
	return n
}

// pickDonors draws n of cuils uniformly (a partial Fisher-Yates shuffle),
// in the order drawn.
func pickDonors(cuils []CUIL, n int, seed uint64) []CUIL {
	s := slices.Clone(cuils)
	rng := rand.New(rand.NewPCG(seed, 0xd0))
	n = min(n, len(s))
	for i := range n {
		j := i + rng.IntN(len(s)-i)
		s[i], s[j] = s[j], s[i]
	}
	return s[:n]
}
