package httpapi_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/clavebot/clavebot/httpapi"
	"github.com/clavebot/clavebot/internal/testenv"
	"github.com/clavebot/clavebot/registry"
	"github.com/clavebot/clavebot/registry/sqlstore"
)

// TestGuessesOverTwoReplicasCannotRaceTheLock is
// TestConcurrentGuessesCannotRaceTheLock at scale and across replicas: 200
// wrong keys at once, half to each of two servers with their own pools
// and services over one PostgreSQL, then the right key to both. Only the
// policy's five are compared (five 401s, one lock audited) and the right
// key is refused on both.
func TestGuessesOverTwoReplicasCannotRaceTheLock(t *testing.T) {
	ctx := context.Background()
	url := testenv.PostgresDatabase(t)
	params := registry.HashParams{Memory: 16 * 1024, Time: 1, Threads: 1}
	var urls []string
	var db *sqlstore.DB
	for i := range 2 {
		// Each replica: its own pool and service on the same database.
		d, err := sqlstore.Open(ctx, url, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		svc := registry.NewService(d, registry.NewHasher(params, 4), registry.DefaultPolicy(), 1)
		if i == 0 {
			db = d
			line := `{"cuil":"20-31456789-8","dni":"31456789","first_names":"María Belén","last_names":"Gómez Ruiz","birth_date":"1985-03-14","dni_issue_date":"2017-08-22","birth_province":"Córdoba"}`
			if _, err := d.Import(ctx, strings.NewReader(line), nil); err != nil {
				t.Fatal(err)
			}
			phc, err := svc.HashKey(ctx, rightKey)
			if err != nil {
				t.Fatal(err)
			}
			if err := svc.SetKey(ctx, victim, phc, registry.ActionKeyCreated, "test"); err != nil {
				t.Fatal(err)
			}
		}
		mux := http.NewServeMux()
		httpapi.New(svc).Register(mux)
		srv := httptest.NewServer(mux)
		t.Cleanup(srv.Close)
		urls = append(urls, srv.URL)
	}
	const guesses = 200
	var wg sync.WaitGroup
	codes := make(chan int, guesses)
	for i := range guesses {
		wg.Go(func() {
			code, _ := postVerify(t, urls[i%2], "Wrong2025key")
			codes <- code
		})
	}
	wg.Wait()
	close(codes)
	count := map[int]int{}
	for c := range codes {
		count[c]++
	}
	if count[http.StatusUnauthorized] > registry.DefaultPolicy().WrongKeys.Max || count[http.StatusUnauthorized]+count[http.StatusLocked] != guesses {
		t.Errorf("answers to %d guesses over two replicas: %v; want at most %d 401, the rest 423", guesses, count, registry.DefaultPolicy().WrongKeys.Max)
	}
	for _, u := range urls {
		if code, body := postVerify(t, u, rightKey); code != http.StatusLocked {
			t.Errorf("the right key after the guesses at %s: %d %v, want 423", u, code, body)
		}
	}
	var locks int
	err := db.DB().GetContext(ctx, &locks,
		db.DB().Rebind(`SELECT count(*) FROM audit WHERE cuil = ? AND action = ?`), string(victim), string(registry.ActionKeyLocked))
	if err != nil {
		t.Fatal(err)
	}
	if locks != 1 {
		t.Errorf("%d key.locked audit events, want 1", locks)
	}
	t.Logf("answers: %v", count)
}
