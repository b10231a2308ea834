package sqlstore

import (
	"bytes"
	"context"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
	"github.com/clavebot/clavebot/registry/registrytest"
)

var synthNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// importSynth imports n synthetic citizens and returns them.
func importSynth(t testing.TB, d *DB, n int, seed uint64) []*registry.Citizen {
	t.Helper()
	cs := registrytest.Generate(n, seed, synthNow)
	importCitizens(t, d, cs)
	return cs
}

func importCitizens(t testing.TB, d *DB, cs []*registry.Citizen) {
	t.Helper()
	var buf bytes.Buffer
	mustNotFail(t, registrytest.WriteFile(&buf, cs))
	if _, err := d.Import(context.Background(), &buf, nil); err != nil {
		t.Fatal(err)
	}
}

// testDonors checks that the database draws the donors registry.FindDonors
// draws over the same people, with their data.
func testDonors(t *testing.T, url string) {
	d := openStore(t, url)
	ctx := context.Background()
	if got, err := d.Donors(ctx, registry.DonorQuery{CUIL: "20111111112", Birth: synthNow, N: 5}); err != nil || len(got) != 0 {
		t.Fatalf("donors of an empty registry: %v, %v", got, err)
	}
	cs := importSynth(t, d, 400, 1)
	checkDonors(t, d, cs)
	drawPrepared(t, d)

	// Rows imported before the lent_ columns existed read their lists
	// from the tables.
	_, err := d.db.ExecContext(ctx, d.db.Rebind(`UPDATE citizens SET lent_employers = NULL, lent_benefits = NULL WHERE cuil < ?`), string(cs[200].CUIL))
	mustNotFail(t, err)
	checkDonors(t, d, cs)

	// A new import of a person changes what they lend, whichever way
	// their row was written.
	for i, c := range cs {
		switch i % 3 {
		case 0:
			c.Employers = append(c.Employers, registry.Employer{Name: "Nueva Empleadora " + string(c.CUIL), From: "2025-01"})
		case 1:
			c.Employers, c.Benefits = nil, nil
		}
	}
	importCitizens(t, d, cs)
	checkDonors(t, d, cs)
}

// checkDonors checks that d draws the donors registry.FindDonors draws
// over cs, with their data.
func checkDonors(t *testing.T, d *DB, cs []*registry.Citizen) {
	t.Helper()
	byCUIL := map[registry.CUIL]*registry.Citizen{}
	for _, c := range cs {
		byCUIL[c.CUIL] = c
	}
	for i, c := range cs[:20] {
		q := registry.DonorQuery{CUIL: c.CUIL, Sex: c.Sex, Birth: c.BirthDate, N: 25, Seed: uint64(i)}
		if i%4 == 0 {
			q.Sex = "" // any sex
		}
		got, err := d.Donors(context.Background(), q)
		mustNotFail(t, err)
		want, _ := registry.FindDonors(q, refNearest(cs, q), func(s registry.Span) ([]registry.CUIL, error) {
			var out []registry.CUIL
			for _, o := range cs {
				if other(o, q) && !o.BirthDate.Before(s.From) && !o.BirthDate.After(s.To) {
					out = append(out, o.CUIL)
				}
			}
			slices.Sort(out)
			return out, nil
		})
		if len(got) != len(want) || len(got) != q.N {
			t.Fatalf("query %d: %d donors, want %d", i, len(got), len(want))
		}
		for j, g := range got {
			if g.CUIL != want[j] {
				t.Fatalf("query %d: donor %d is %s, want %s", i, j, g.CUIL, want[j])
			}
			checkDonor(t, g, byCUIL[g.CUIL])
		}
	}
}

// drawPrepared checks that the draw's statements (the window's, with one
// sex and with any, and the donors' rows) were prepared once and kept, on
// SQLite too: they were compiled at every draw there, unlike its other
// hot statements. The draws after it, on the statements kept, see the
// rows written since (testDonors' later imports).
func drawPrepared(t *testing.T, d *DB) {
	t.Helper()
	d.cache.mu.Lock()
	defer d.cache.mu.Unlock()
	var windows, rows int
	for q := range d.cache.m {
		switch {
		case strings.Contains(q, "ws(x) AS (VALUES"):
			windows++
		case strings.HasPrefix(q, "SELECT c.cuil, COALESCE(c.sex"):
			rows++
		}
	}
	if windows != 2 || rows != 1 {
		t.Errorf("%s: %d window statements and %d of the donors' rows prepared; want 2 and 1", d.dialect, windows, rows)
	}
}

func other(o *registry.Citizen, q registry.DonorQuery) bool {
	return o.CUIL != q.CUIL && (q.Sex == "" || o.Sex == q.Sex)
}

// refNearest is FindDonors' nearest over cs, by brute force.
func refNearest(cs []*registry.Citizen, q registry.DonorQuery) func(n int) (before, after []time.Time, err error) {
	return func(n int) (before, after []time.Time, err error) {
		for _, o := range cs {
			switch {
			case !other(o, q):
			case o.BirthDate.Before(q.Birth):
				before = append(before, o.BirthDate)
			default:
				after = append(after, o.BirthDate)
			}
		}
		slices.SortFunc(before, func(a, b time.Time) int { return b.Compare(a) })
		slices.SortFunc(after, func(a, b time.Time) int { return a.Compare(b) })
		return before[:min(n, len(before))], after[:min(n, len(after))], nil
	}
}

// testDonorsSameDay: when more people are born on the day than donors are
// wanted (every day, at country scale), donors come from all of them, not
// the first rows the index gives.
func testDonorsSameDay(t *testing.T, url string) {
	d := openStore(t, url)
	cs := registrytest.Generate(150, 5, synthNow)
	for _, c := range cs {
		c.Sex, c.BirthDate = "F", time.Date(1980, 5, 17, 0, 0, 0, 0, time.UTC)
	}
	importCitizens(t, d, cs)
	drawn := map[registry.CUIL]bool{}
	for seed := range uint64(40) {
		q := registry.DonorQuery{CUIL: cs[0].CUIL, Sex: "F", Birth: cs[0].BirthDate, N: 20, Seed: seed}
		got, err := d.Donors(context.Background(), q)
		mustNotFail(t, err)
		if len(got) != 20 {
			t.Fatalf("%d donors, want 20", len(got))
		}
		for _, g := range got {
			drawn[g.CUIL] = true
		}
	}
	if drawn[cs[0].CUIL] || len(drawn) < 140 {
		t.Errorf("40 draws of 20 reached %d of the 149 others (or the person)", len(drawn))
	}
}

// checkDonor compares what a donor lends with the citizen imported.
func checkDonor(t *testing.T, got, c *registry.Citizen) {
	t.Helper()
	names := func(c *registry.Citizen) (emp, ben []string) {
		for _, e := range c.Employers {
			emp = append(emp, e.Name)
		}
		for _, b := range c.Benefits {
			ben = append(ben, b.Name)
		}
		return emp, ben
	}
	ge, gb := names(got)
	we, wb := names(c)
	if got.Sex != c.Sex || !got.BirthDate.Equal(c.BirthDate) || !got.DNIIssueDate.Equal(c.DNIIssueDate) ||
		got.BirthProvince != c.BirthProvince || !slices.Equal(ge, we) || !slices.Equal(gb, wb) {
		t.Errorf("donor %s:\n got %+v\nwant %+v", c.CUIL.Masked(), got, c)
	}
	if got.FirstNames != "" || got.DNI != "" {
		t.Errorf("donor %s carries names or DNI, which questions never need", c.CUIL.Masked())
	}
}

func testQuestionSets(t *testing.T, url string) {
	d := openStore(t, url)
	ctx := context.Background()
	cs := importSynth(t, d, 3, 2)
	cuil := cs[0].CUIL
	if _, err := d.QuestionSet(ctx, cuil); !errs.Is(errs.NotFound, err) {
		t.Fatalf("QuestionSet before any: %v, want NotFound", err)
	}
	set := registry.QuestionSet{
		Questions: []registry.Question{{Kind: registry.QuestionProvince, Options: []registry.Option{{Text: "Córdoba"}, {Text: "Salta"}, {Text: "Jujuy"}, {Text: "Chaco"}, {None: true}}, Answer: 4}},
		Declined:  map[registry.QuestionKind]string{registry.QuestionBenefit: "0a1b"},
		Retired:   map[registry.QuestionKind][]string{registry.QuestionEmployer: {"acme sa"}},
	}
	steps := []struct {
		prev  int
		saved bool
	}{{0, true}, {0, false}, {1, true}, {1, false}, {3, false}, {2, true}}
	for i, s := range steps {
		set.Questions[0].Answer = i % 5
		saved, err := d.SaveQuestionSet(ctx, cuil, set, s.prev)
		mustNotFail(t, err)
		if saved != s.saved {
			t.Fatalf("step %d: save over version %d = %v, want %v", i, s.prev, saved, s.saved)
		}
		if !saved {
			continue
		}
		got, err := d.QuestionSet(ctx, cuil)
		mustNotFail(t, err)
		want := set
		want.Version = s.prev + 1
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("step %d: read back\n%+v\nwant\n%+v", i, got, want)
		}
	}
	if _, err := d.SaveQuestionSet(ctx, cuilOf(99999999), set, 0); !errs.Is(errs.NotFound, err) {
		t.Errorf("questions of a CUIL not in the registry: %v, want NotFound", err)
	}
	testQuestionSetRace(t, d, cs[1].CUIL, set)
}

// testQuestionSetRace saves from many goroutines at once: one wins.
func testQuestionSetRace(t *testing.T, d *DB, cuil registry.CUIL, set registry.QuestionSet) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for range 8 {
		wg.Go(func() {
			saved, err := d.SaveQuestionSet(context.Background(), cuil, set, 0)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if saved {
				wins++
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Errorf("%d concurrent first saves won, want 1", wins)
	}
}

// testServiceQuestions runs the registry's Service over the database: the
// questions stay the same across a restart, a service with another
// secret (the stored ones win), and a registry that grew.
func testServiceQuestions(t *testing.T, url string) {
	d := openStore(t, url)
	ctx := context.Background()
	all := registrytest.Generate(400, 3, synthNow)
	cs := all[:300]
	importCitizens(t, d, cs)
	now := func() time.Time { return synthNow }
	hasher := registry.NewHasher(registry.HashParams{Memory: 64, Time: 1, Threads: 1}, 1)
	svc := registry.NewService(d, hasher, registry.DefaultPolicy(), 1, registry.WithClock(now))
	first := map[registry.CUIL][]registry.Question{}
	for _, c := range cs[:30] {
		qs, err := svc.Questions(ctx, c)
		mustNotFail(t, err)
		if len(qs) == 0 {
			t.Fatalf("no questions for %s", c.CUIL.Masked())
		}
		first[c.CUIL] = qs
	}

	// A store that reads the stored set and a first draw's donors apart
	// (registry.FirstDrawer hidden) draws the same questions.
	_, err := d.db.ExecContext(ctx, "DELETE FROM question_sets")
	mustNotFail(t, err)
	apart := registry.NewService(storeOnly{d}, hasher, registry.DefaultPolicy(), 1, registry.WithClock(now))
	for _, c := range cs[:30] {
		qs, err := apart.Questions(ctx, c)
		mustNotFail(t, err)
		if !reflect.DeepEqual(qs, first[c.CUIL]) {
			t.Fatalf("questions of %s drawn with the set read apart differ:\n%v\n%v", c.CUIL.Masked(), first[c.CUIL], qs)
		}
	}

	importCitizens(t, d, all[300:])
	other := registry.NewService(openStore(t, url), hasher, registry.DefaultPolicy(), 2, registry.WithClock(now))
	for _, c := range cs[:30] {
		qs, err := other.Questions(ctx, c)
		mustNotFail(t, err)
		if !reflect.DeepEqual(qs, first[c.CUIL]) {
			t.Fatalf("questions of %s changed:\n%v\n%v", c.CUIL.Masked(), first[c.CUIL], qs)
		}
	}
}

// testQuestionSetOrDonors: the store reads a CUIL's stored questions, or
// when none are stored the donors Donors draws, in one call.
func testQuestionSetOrDonors(t *testing.T, url string) {
	d := openStore(t, url)
	ctx := context.Background()
	// Nobody else in the registry: no donors, not an error.
	if _, donors, found, err := d.QuestionSetOrDonors(ctx, registry.DonorQuery{CUIL: "20111111112", Birth: synthNow, N: 5}); err != nil || found || len(donors) != 0 {
		t.Fatalf("empty registry: found %v, %d donors, %v", found, len(donors), err)
	}
	cs := importSynth(t, d, 300, 4)
	for i, c := range cs[:12] {
		q := registry.DonorQuery{CUIL: c.CUIL, Sex: c.Sex, Birth: c.BirthDate, N: 25, Seed: uint64(i)}
		if i%3 == 0 {
			q.Sex = ""
		}
		set, donors, found, err := d.QuestionSetOrDonors(ctx, q)
		mustNotFail(t, err)
		want, err := d.Donors(ctx, q)
		mustNotFail(t, err)
		if found || set.Version != 0 || !reflect.DeepEqual(donors, want) || len(donors) != q.N {
			t.Fatalf("query %d without a stored set: found %v, version %d, %d donors, want Donors' %d", i, found, set.Version, len(donors), len(want))
		}

		stored := registry.QuestionSet{Questions: []registry.Question{{Kind: registry.QuestionProvince,
			Options: []registry.Option{{Text: "Salta"}, {Text: "Jujuy"}, {Text: "Chaco"}, {Text: "Misiones"}, {None: true}}, Answer: i % 5}}}
		saved, err := d.SaveQuestionSet(ctx, c.CUIL, stored, 0)
		mustNotFail(t, err)
		if !saved {
			t.Fatalf("query %d: set not saved", i)
		}
		set, donors, found, err = d.QuestionSetOrDonors(ctx, q)
		mustNotFail(t, err)
		stored.Version = 1
		if !found || donors != nil || !reflect.DeepEqual(set.Questions, stored.Questions) || set.Version != 1 {
			t.Fatalf("query %d with a stored set: found %v, %d donors, set %+v", i, found, len(donors), set)
		}
	}
}

// storeOnly is a store with only registry.Store's methods.
type storeOnly struct{ registry.Store }
