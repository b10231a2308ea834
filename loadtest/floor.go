package loadtest

import (
	"cmp"
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// The floor is the least a turn can cost on this machine with the round
// trips issue 14 allows a turn (Redis 2, PostgreSQL 1), measured in the
// same run as the service: the tool answers POST /v1/chat itself, through
// the same HTTP client and server code, and each answer takes a chat's
// lock and reads its state in one Redis script, reads a citizen by CUIL in
// one prepared PostgreSQL query, and writes the state and frees the lock in
// a second script. Nothing of the dialog runs: no parsing of what the
// person wrote, no step, no transcript, no metrics, no log. So no build of
// serve, however good, answers more turns a second than the floor on the
// same machine, and turns/s ÷ floor says how much of what is possible
// serve does. It is optimistic: client and server share one process here,
// where serve and the tool are two.

// FloorConfig is what the floor needs: the run's Redis, a pool on its
// PostgreSQL database sized as serve's (opened for each measurement and
// closed after it, so its connections are not counted as serve's), the
// people whose chats and CUILs it uses, the REST channel's token, and how
// many turns in flight.
type FloorConfig struct {
	Redis        redis.UniversalClient
	OpenPostgres func() (*sql.DB, error)
	People       []Person
	RunID        string
	APIToken     string
	InFlight     int
	For          time.Duration
}

// floorServer answers POST /v1/chat as described above.
type floorServer struct {
	rdb     redis.UniversalClient
	citizen *sql.Stmt
	token   []byte
	prefix  string
	cuils   map[string]string // chat -> CUIL
	acquire *redis.Script
	commit  *redis.Script
}

// The two scripts are a turn's two Redis round trips at their simplest:
// take the lock (free) and read the state; write the state and free the
// lock if still held.
const (
	floorAcquireLua = `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', 30000) then
  return redis.call('GET', KEYS[2]) or ''
end
return false`
	floorCommitLua = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', 60000)
redis.call('DEL', KEYS[1])
return 1`
)

type floorAnswer struct {
	Replies []floorReply `json:"replies"`
}

type floorReply struct {
	Text   string `json:"text"`
	Expect string `json:"expect"`
}

func (f *floorServer) keys(chat string) []string {
	tag := "{" + chat + "}"
	return []string{f.prefix + "lock:" + tag, f.prefix + "state:" + tag}
}

func (f *floorServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if len(f.token) > 0 && subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), f.token) != 1 {
		http.Error(w, "forbidden", http.StatusForbidden) // as serve answers
		return
	}
	var req restRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&req); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	cuil, ok := f.cuils[req.Chat]
	if !ok {
		http.Error(w, "unknown chat", http.StatusNotFound)
		return
	}
	ctx, keys := r.Context(), f.keys(req.Chat)
	state, err := f.acquire.Run(ctx, f.rdb, keys, req.ID).Text()
	if errors.Is(err, redis.Nil) {
		http.Error(w, "chat busy", http.StatusConflict)
		return
	} else if err != nil {
		http.Error(w, "redis: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	var first, last string
	var born time.Time
	if err := f.citizen.QueryRowContext(ctx, cuil).Scan(&first, &last, &born); err != nil {
		http.Error(w, "postgres: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	// A small state, as serve's between steps (60 bytes in the flow).
	next := fmt.Sprintf(`{"s":%d,"t":%q,"b":%q}`, len(state), req.Text, born.Format(time.DateOnly))
	if err := f.commit.Run(ctx, f.rdb, keys, req.ID, next).Err(); err != nil {
		http.Error(w, "redis: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(floorAnswer{Replies: []floorReply{{Text: "Hola, " + first + " " + last + ".", Expect: "text"}}})
}

// Floor is one measurement of the floor.
type Floor struct {
	TurnsPerSec float64
	Latency     Latency
	InFlight    int
}

// MeasureFloor measures the floor for cfg.For with cfg.InFlight turns in
// flight, each worker writing to chats of its own one after the other. The
// keys it wrote are deleted.
func MeasureFloor(ctx context.Context, cfg FloorConfig) (Floor, error) {
	if len(cfg.People) == 0 || cfg.InFlight < 1 || cfg.For <= 0 {
		return Floor{}, errors.New("floor: no people, workers or time")
	}
	db, err := cfg.OpenPostgres()
	if err != nil {
		return Floor{}, fmt.Errorf("floor: %w", err)
	}
	defer db.Close()
	stmt, err := db.PrepareContext(ctx, `SELECT first_names, last_names, birth_date FROM citizens WHERE cuil = $1`)
	if err != nil {
		return Floor{}, fmt.Errorf("floor: %w", err)
	}
	defer stmt.Close()
	f := &floorServer{
		// Keys of their own for each measurement: nothing one left can
		// hold up the next.
		rdb: cfg.Redis, citizen: stmt, prefix: "clavebot:loadtest-floor:" + cfg.RunID + ":" + strconv.FormatInt(time.Now().UnixNano(), 36) + ":",
		cuils:   make(map[string]string, len(cfg.People)),
		acquire: redis.NewScript(floorAcquireLua), commit: redis.NewScript(floorCommitLua),
	}
	if cfg.APIToken != "" {
		f.token = []byte("Bearer " + cfg.APIToken)
	}
	for _, p := range cfg.People {
		f.cuils[p.Chat] = string(p.Citizen.CUIL)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return Floor{}, fmt.Errorf("floor: %w", err)
	}
	srv := &http.Server{Handler: f, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	ch, err := newREST(ChannelOptions{APIToken: cfg.APIToken, Conns: cfg.InFlight})
	if err != nil {
		return Floor{}, err
	}
	defer ch.Close()
	ch.Start(ctx, []string{"http://" + ln.Addr().String()})

	fl, used, err := f.drive(ctx, ch, cfg)
	// The turns the end of the measurement cut short finish first, so none
	// takes a lock after the keys are deleted.
	stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(stop); err != nil {
		srv.Close()
	}
	f.forget(stop, used)
	return fl, err
}

// drive sends turns for cfg.For and returns what it measured and the
// chats used. Worker w writes to chats w, w+InFlight, ... in turn, so no two
// turns of one chat are ever in flight together (none is refused busy).
func (f *floorServer) drive(ctx context.Context, ch Channel, cfg FloorConfig) (Floor, []string, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.For)
	defer cancel()
	workers := min(cfg.InFlight, len(cfg.People))
	var mu sync.Mutex
	var firstErr error
	var all []time.Duration
	used := make([]bool, len(cfg.People))
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			defer func() { mu.Lock(); all = append(all, mine...); mu.Unlock() }()
			for i, turn := w, 0; ctx.Err() == nil; i, turn = i+workers, turn+1 {
				if i >= len(cfg.People) {
					i = w
				}
				used[i] = true
				p := cfg.People[i]
				sent := time.Now()
				_, err := ch.Send(ctx, p.Chat, Action{ID: "floor" + strconv.Itoa(turn), Text: "hola"})
				if err != nil {
					if ctx.Err() == nil {
						mu.Lock()
						firstErr = cmp.Or(firstErr, err)
						mu.Unlock()
						cancel()
					}
					return
				}
				mine = append(mine, time.Since(sent))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var chats []string
	for i, u := range used {
		if u {
			chats = append(chats, cfg.People[i].Chat)
		}
	}
	if firstErr != nil {
		return Floor{}, chats, fmt.Errorf("floor: %w", firstErr)
	}
	return Floor{TurnsPerSec: float64(len(all)) / elapsed.Seconds(), Latency: summarize(all), InFlight: workers}, chats, nil
}

// forget deletes the floor's keys (they would expire within a minute).
func (f *floorServer) forget(ctx context.Context, chats []string) {
	for len(chats) > 0 {
		batch := chats[:min(len(chats), 500)]
		chats = chats[len(batch):]
		pipe := f.rdb.Pipeline()
		for _, c := range batch {
			pipe.Unlink(ctx, f.keys(c)...)
		}
		pipe.Exec(ctx)
	}
}
