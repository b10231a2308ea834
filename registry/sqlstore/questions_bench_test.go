package sqlstore

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/clavebot/clavebot/internal/testenv"
	"github.com/clavebot/clavebot/registry"
	"github.com/clavebot/clavebot/registry/registrytest"
)

// questionsBenchCitizens is the registry the questions benchmarks draw
// from, imported once per benchmark with the importer.
const questionsBenchCitizens = 200_000

func BenchmarkQuestionsPostgres(b *testing.B) {
	benchmarkQuestions(b, testenv.PostgresDatabase(b))
}

func BenchmarkQuestionsSQLite(b *testing.B) {
	benchmarkQuestions(b, "sqlite:"+filepath.Join(b.TempDir(), "registry.db"))
}

// benchmarkQuestions measures, over a registry of 200,000 synthetic
// citizens: drawing a CUIL's questions the first time (read of the stored
// set, donors, drawing, save), showing them again (one read), and the
// donors' queries alone.
func benchmarkQuestions(b *testing.B, url string) {
	d := openStore(b, url)
	cs := registrytest.Generate(questionsBenchCitizens, 7, synthNow)
	importCitizens(b, d, cs)
	// The import vacuumed and analyzed the tables (analyzeCitizens).
	ctx := context.Background()
	svc := registry.NewService(d, nil, registry.DefaultPolicy(), 1, registry.WithClock(func() time.Time { return synthNow }))
	b.Run("first", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if _, err := svc.Questions(ctx, cs[i%len(cs)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	for _, c := range cs[:100] {
		_, err := svc.Questions(ctx, c)
		mustNotFail(b, err)
	}
	b.Run("again", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if _, err := svc.Questions(ctx, cs[i%100]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("donors", func(b *testing.B) {
		i := 0
		for b.Loop() {
			c := cs[len(cs)-1-i%len(cs)]
			donors, err := d.Donors(ctx, registry.DonorQuery{CUIL: c.CUIL, Sex: c.Sex, Birth: c.BirthDate, N: 60, Seed: uint64(i)})
			if err != nil || len(donors) != 60 {
				b.Fatalf("%d donors, %v", len(donors), err)
			}
			i++
		}
	})
}

// BenchmarkQuestionsFirstPostgres draws CUILs' questions the first time
// over 20,000 citizens, the registry the load test imports: serve's side
// of a draw alone (PostgreSQL's runs in its own processes), small enough to
// set up under valgrind, where instruction counts measure it steadily
// (scripts/benchinstr).
// Each iteration takes a CUIL not drawn before: run it at most 20,000x.
func BenchmarkQuestionsFirstPostgres(b *testing.B) {
	benchmarkQuestionsFirst(b, testenv.PostgresDatabase(b))
}

// BenchmarkQuestionsFirstSQLite is BenchmarkQuestionsFirstPostgres on the
// embedded default, where the draw runs in this process.
func BenchmarkQuestionsFirstSQLite(b *testing.B) {
	benchmarkQuestionsFirst(b, "sqlite:"+filepath.Join(b.TempDir(), "registry.db"))
}

// BenchmarkDonorsSQLite runs the draw's queries alone (the window, then
// the donors' rows) over the same 20,000 citizens.
func BenchmarkDonorsSQLite(b *testing.B) {
	d, cs := smallRegistry(b, "sqlite:"+filepath.Join(b.TempDir(), "registry.db"))
	ctx := context.Background()
	i := 0
	for b.Loop() {
		c := cs[i%len(cs)]
		donors, err := d.Donors(ctx, registry.DonorQuery{CUIL: c.CUIL, Sex: c.Sex, Birth: c.BirthDate, N: 60, Seed: uint64(i)})
		if err != nil || len(donors) != 60 {
			b.Fatalf("%d donors, %v", len(donors), err)
		}
		i++
	}
}

func benchmarkQuestionsFirst(b *testing.B, url string) {
	d, cs := smallRegistry(b, url)
	ctx := context.Background()
	svc := registry.NewService(d, nil, registry.DefaultPolicy(), 1, registry.WithClock(func() time.Time { return synthNow }))
	// One draw before the clock starts prepares the statements.
	_, err := svc.Questions(ctx, cs[len(cs)-1])
	mustNotFail(b, err)
	i := 0
	for b.Loop() {
		if i == len(cs)-1 {
			b.Fatal("every CUIL drawn: run fewer iterations")
		}
		if _, err := svc.Questions(ctx, cs[i]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// smallRegistry opens the database at url holding 20,000 synthetic
// citizens, the registry the load test imports.
func smallRegistry(b *testing.B, url string) (*DB, []*registry.Citizen) {
	d := openStore(b, url)
	cs := registrytest.Generate(20_000, 7, synthNow)
	importCitizens(b, d, cs)
	// The import vacuumed and analyzed the tables (analyzeCitizens).
	return d, cs
}
