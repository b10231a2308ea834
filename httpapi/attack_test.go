package httpapi_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/httpapi"
	"github.com/clavebot/clavebot/internal/ctxsleep"
	"github.com/clavebot/clavebot/internal/testenv"
	"github.com/clavebot/clavebot/registry"
	"github.com/clavebot/clavebot/registry/sqlstore"
)

const (
	victim   = registry.CUIL("20314567898")
	rightKey = "Mate2025amargo"
)

// verifyServer serves key verification over a real PostgreSQL registry in
// which the victim has a key. Hashing is made cheaper than production's
// but still slow enough (about 10 ms) that guesses overlap.
func verifyServer(t *testing.T, opts ...httpapi.Option) (*httptest.Server, *sqlstore.DB) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, testenv.PostgresDatabase(t), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	line := `{"cuil":"20-31456789-8","dni":"31456789","first_names":"María Belén","last_names":"Gómez Ruiz","birth_date":"1985-03-14","dni_issue_date":"2017-08-22","birth_province":"Córdoba"}`
	if _, err := db.Import(ctx, strings.NewReader(line), nil); err != nil {
		t.Fatal(err)
	}
	params := registry.HashParams{Memory: 16 * 1024, Time: 1, Threads: 1}
	svc := registry.NewService(db, registry.NewHasher(params, 4), registry.DefaultPolicy(), 1)
	phc, err := svc.HashKey(ctx, rightKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.SetKey(ctx, victim, phc, registry.ActionKeyCreated, "test"); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	httpapi.New(svc, opts...).Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, db
}

// waitFull waits until the victim's wrong-key count is full: five wrong
// keys counted or being compared, or the lock.
func waitFull(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		l, err := db.Lockout(ctx, victim, registry.LockKey)
		if err != nil {
			t.Fatal(err)
		}
		if l.Failures >= registry.DefaultPolicy().WrongKeys.Max || !l.Until.IsZero() {
			return
		}
		if err := ctxsleep.Sleep(ctx, time.Millisecond); err != nil {
			t.Fatal("the guesses never filled the count")
		}
	}
}

func postVerify(t *testing.T, url, key string) (int, map[string]any) {
	return postVerifyFrom(t, url, key, "", "")
}

func postVerifyFrom(t *testing.T, url, key, token, source string) (int, map[string]any) {
	body, _ := json.Marshal(map[string]string{"cuil": string(victim), "key": key})
	req, _ := http.NewRequest("POST", url+"/v1/keys/verify", strings.NewReader(string(body)))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if source != "" {
		req.Header.Set(httpapi.SourceHeader, source)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0, nil
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// TestConcurrentGuessesCannotRaceTheLock is issue 8's attack on
// verification: dozens of wrong keys at once, then the right one. No more
// than the policy's five wrong keys are compared (one lock, one audit
// event), and the right key that follows is not compared: 423.
func TestConcurrentGuessesCannotRaceTheLock(t *testing.T) {
	srv, db := verifyServer(t)
	const guesses = 39
	var wg sync.WaitGroup
	codes := make(chan int, guesses)
	for range guesses {
		wg.Go(func() {
			code, _ := postVerify(t, srv.URL, "Wrong2025key")
			codes <- code
		})
	}
	// The right key is sent as soon as the guesses have used up the
	// attempts, while most of them are still in flight.
	waitFull(t, db)
	code, body := postVerify(t, srv.URL, rightKey)
	wg.Wait()
	close(codes)
	count := map[int]int{}
	for c := range codes {
		count[c]++
	}
	if code != http.StatusLocked {
		t.Errorf("the right key after %d wrong ones: %d %v, want 423", guesses, code, body)
	}
	if count[http.StatusUnauthorized]+count[http.StatusLocked] != guesses {
		t.Errorf("answers to the guesses: %v, want only 401 and 423", count)
	}
	var locks int
	err := db.DB().GetContext(context.Background(), &locks,
		db.DB().Rebind(`SELECT count(*) FROM audit WHERE cuil = ? AND action = ?`), string(victim), string(registry.ActionKeyLocked))
	if err != nil {
		t.Fatal(err)
	}
	if locks != 1 {
		t.Errorf("%d key.locked audit events: more than %d wrong keys were compared", locks, registry.DefaultPolicy().WrongKeys.Max)
	}
}

// TestStrangerCannotLockTheCitizenOut: through the portal (the token, and
// the person's source in a header), a stranger's wrong keys lock the CUIL
// for every source but the ones the citizen logged in from before; from
// there the citizen still logs in, and five wrong keys there lock it too.
func TestStrangerCannotLockTheCitizenOut(t *testing.T) {
	const token = "portal-token"
	srv, _ := verifyServer(t, httpapi.WithToken(token))
	if code, _ := postVerifyFrom(t, srv.URL, rightKey, token, "device:home"); code != 200 {
		t.Fatalf("the citizen's first login: %d", code)
	}
	for i := range 5 {
		postVerifyFrom(t, srv.URL, "Wrong2025key", token, "203.0.113."+strconv.Itoa(i))
	}
	for _, src := range []string{"203.0.113.0", "198.51.100.1", ""} {
		if code, _ := postVerifyFrom(t, srv.URL, rightKey, token, src); code != http.StatusLocked {
			t.Errorf("right key from %q after a stranger's five wrong keys: %d, want 423", src, code)
		}
	}
	if code, body := postVerifyFrom(t, srv.URL, rightKey, token, "device:home"); code != 200 {
		t.Fatalf("the citizen's own device after a stranger's wrong keys: %d %v, want 200", code, body)
	}
	for range 5 {
		postVerifyFrom(t, srv.URL, "Wrong2025key", token, "device:home")
	}
	if code, _ := postVerifyFrom(t, srv.URL, rightKey, token, "device:home"); code != http.StatusLocked {
		t.Errorf("right key after five wrong from the citizen's own device: %d, want 423", code)
	}
}
