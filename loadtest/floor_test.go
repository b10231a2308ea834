package loadtest

import (
	"bytes"
	"database/sql"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/internal/testenv"
	"github.com/clavebot/clavebot/registry/sqlstore"
)

// floorFixture imports n generated citizens into a fresh PostgreSQL
// database and returns people for them and a way to open a pool on it.
func floorFixture(t *testing.T, n int) ([]Person, func() (*sql.DB, error)) {
	t.Helper()
	url := testenv.PostgresDatabase(t)
	db, err := sqlstore.Open(t.Context(), url, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	citizens := Generate(n, 7)
	if _, err := db.Import(t.Context(), bytes.NewReader(CitizensFile(citizens)), nil); err != nil {
		t.Fatal(err)
	}
	people, err := People(n, Mix{GoalQuestions: 1}, citizens, "ltfloor", 7)
	if err != nil {
		t.Fatal(err)
	}
	return people, func() (*sql.DB, error) { return sql.Open("postgres", url) }
}

// TestFloorServer: the floor answers as serve's REST chat does (its token,
// a JSON reply naming the citizen it read), writes the state and frees the
// lock; a chat whose lock is held is refused, as two turns of one chat
// are not run at once; and MeasureFloor leaves no key behind.
func TestFloorServer(t *testing.T) {
	rdb := testenv.Redis(t)
	people, open := floorFixture(t, 8)
	db, err := open()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stmt, err := db.Prepare(`SELECT first_names, last_names, birth_date FROM citizens WHERE cuil = $1`)
	if err != nil {
		t.Fatal(err)
	}
	f := &floorServer{rdb: rdb, citizen: stmt, token: []byte("Bearer T"), prefix: testenv.Prefix(t, rdb, "floor"),
		cuils:   map[string]string{people[0].Chat: string(people[0].Citizen.CUIL), people[1].Chat: string(people[1].Citizen.CUIL)},
		acquire: redis.NewScript(floorAcquireLua), commit: redis.NewScript(floorCommitLua)}
	post := func(token, chat string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/v1/chat", strings.NewReader(`{"chat":"`+chat+`","text":"hola","id":"1"}`))
		req.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		f.ServeHTTP(w, req)
		return w
	}
	ctx := t.Context()
	if w := post("wrong", people[0].Chat); w.Code != http.StatusForbidden {
		t.Errorf("a wrong token: %d, want 403", w.Code)
	}
	if w := post("T", "nobody"); w.Code != http.StatusNotFound {
		t.Errorf("an unknown chat: %d, want 404", w.Code)
	}
	w := post("T", people[0].Chat)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), people[0].Citizen.FirstNames) {
		t.Errorf("a turn: %d %s, want 200 naming %s", w.Code, w.Body, people[0].Citizen.FirstNames)
	}
	keys := f.keys(people[0].Chat)
	if n, _ := rdb.Exists(ctx, keys[0]).Result(); n != 0 {
		t.Error("the lock is still held after the turn")
	}
	if s, _ := rdb.Get(ctx, keys[1]).Result(); !strings.Contains(s, `"t":"hola"`) {
		t.Errorf("state %q, want the turn's", s)
	}
	rdb.Set(ctx, f.keys(people[1].Chat)[0], "another turn", time.Minute)
	if w := post("T", people[1].Chat); w.Code != http.StatusConflict {
		t.Errorf("a chat held by another turn: %d, want 409", w.Code)
	}

	// Measured twice, as before and after a run: the turns the end of the
	// first cut short leave no lock that refuses the second's.
	run := "lt" + strings.ToLower(t.Name())
	for range 2 {
		fl, err := MeasureFloor(ctx, FloorConfig{Redis: rdb, OpenPostgres: open, People: people, RunID: run, APIToken: "T", InFlight: 8, For: 200 * time.Millisecond})
		if err != nil || fl.TurnsPerSec <= 0 || fl.Latency.N == 0 || fl.InFlight != 8 {
			t.Fatalf("MeasureFloor = %+v, %v", fl, err)
		}
	}
	if left, _ := rdb.Keys(ctx, "clavebot:loadtest-floor:"+run+":*").Result(); len(left) > 0 {
		t.Errorf("the floor left %d keys: %v", len(left), left)
	}
	// A failed turn is an error, not a lower rate: a citizen not in the
	// database cannot be read.
	unknown := []Person{{Chat: run + "-x", Citizen: &Citizen{CUIL: "20000000001"}}}
	if _, err := MeasureFloor(ctx, FloorConfig{Redis: rdb, OpenPostgres: open, People: unknown, RunID: run, InFlight: 1, For: 5 * time.Second}); err == nil || !strings.Contains(err.Error(), "503") {
		t.Errorf("a floor whose turn fails: %v, want its 503", err)
	}
}

// TestKeyBound: a key costs its evaluations at the argon2id ceiling's rate
// plus its turns at the floor's; nothing without keys or ceilings.
func TestKeyBound(t *testing.T) {
	tests := []struct {
		name string
		rep  Report
		want float64
	}{
		// 1 evaluation at 46/s and 12.4 turns at 3,200/s: 1/(1/46 + 12.4/3200).
		{"create", Report{KeysCreated: 1500, Turns: 18600, KeysPerSec: 25, HashesPerSec: 25, Ceilings: Ceilings{Argon2: []float64{44, 48}, Floor: []Floor{{TurnsPerSec: 3100}, {TurnsPerSec: 3300}}}}, 1 / (1.0/46 + 12.4/3200)},
		// 2 evaluations a key halve what hashing allows.
		{"two evaluations", Report{KeysCreated: 10, Turns: 10, KeysPerSec: 10, HashesPerSec: 20, Ceilings: Ceilings{Argon2: []float64{40}, Floor: []Floor{{TurnsPerSec: 1000}}}}, 1 / (2.0/40 + 1.0/1000)},
		{"no keys", Report{Turns: 100, Ceilings: Ceilings{Argon2: []float64{40}, Floor: []Floor{{TurnsPerSec: 1000}}}}, 0},
		{"no floor", Report{KeysCreated: 10, Turns: 10, KeysPerSec: 10, HashesPerSec: 10, Ceilings: Ceilings{Argon2: []float64{40}}}, 0},
	}
	for _, tt := range tests {
		if got := tt.rep.KeyBound(); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%s: KeyBound = %v, want %v", tt.name, got, tt.want)
		}
	}
}
