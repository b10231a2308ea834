package sqldesk_test

import (
	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/internal/testenv"

	"context"
	"io/fs"
	"log/slog"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/sqldesk"
	"github.com/clavebot/clavebot/registry/sqlstore"
)

// freshPostgres creates an empty database for one test.
func freshPostgres(t *testing.T) string { return testenv.PostgresDatabase(t) }

func open(t *testing.T, dbURL string) *sqldesk.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), dbURL, slog.New(slog.DiscardHandler),
		sqlstore.WithMigrations(sqldesk.SetName, sqldesk.Migrations()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return sqldesk.New(db.DB())
}

func TestPostgres(t *testing.T) {
	testStore(t, func(t *testing.T) *sqldesk.DB { return open(t, freshPostgres(t)) })
}

func TestSQLite(t *testing.T) {
	testStore(t, func(t *testing.T) *sqldesk.DB { return open(t, "sqlite:"+filepath.Join(t.TempDir(), "d.db")) })
}

// testStore is the conformance suite both dialects pass.
func testStore(t *testing.T, newDB func(*testing.T) *sqldesk.DB) {
	t.Run("agents", func(t *testing.T) { testAgents(t, newDB(t)) })
	t.Run("records", func(t *testing.T) { testRecords(t, newDB(t)) })
	t.Run("funnel", func(t *testing.T) { testFunnel(t, newDB(t)) })
	t.Run("taken again", func(t *testing.T) { testTakenAgain(t, newDB(t)) })
}

// testTakenAgain: a conversation an agent gave back to the line (they
// left) and another took is recorded with the second agent, and waited
// until its first take: the person talked with someone from then on, and
// the week's median wait must not count the first agent's conversation.
func testTakenAgain(t *testing.T, db *sqldesk.DB) {
	ctx := context.Background()
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC) // a Tuesday
	c := desk.Conversation{ID: "r1", Chat: "rest:r1", Channel: "rest", Reason: "requested", Status: desk.Waiting, Enqueued: at}
	mustOK(t, db.Opened(ctx, c, nil))
	mustOK(t, db.Taken(ctx, "r1", "ana", at.Add(2*time.Minute)))
	mustOK(t, db.Taken(ctx, "r1", "beto", at.Add(50*time.Minute))) // ana left; beto took it from the line
	mustOK(t, db.Closed(ctx, "r1", at.Add(time.Hour), desk.OutcomeResolved))
	r, err := db.Conversation(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if r.Taken == nil || *r.Taken != at.Add(2*time.Minute).UnixMilli() || r.Agent == nil || *r.Agent != "beto" {
		t.Fatalf("record taken at %v by %v, want the first take's time (%d) and beto", deref(r.Taken), deref(r.Agent), at.Add(2*time.Minute).UnixMilli())
	}
	s, err := desk.ComputeStats(ctx, db, nil, at.Add(2*time.Hour), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if s.Taken != 1 || s.MedianWait != 120 {
		t.Fatalf("stats = %+v, want one taken after 120 s", s)
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func testAgents(t *testing.T, db *sqldesk.DB) {
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	ana := desk.Agent{Name: "ana", Role: desk.RoleSupervisor, Epoch: "e1"}
	if err := db.AddAgent(ctx, ana, "$argon2id$x", now); err != nil {
		t.Fatal(err)
	}
	if err := db.AddAgent(ctx, desk.Agent{Name: "ana", Role: desk.RoleAgent, Epoch: "e2"}, "$argon2id$y", now); !errs.Is(errs.Conflict, err) {
		t.Fatalf("second ana: %v, want Conflict", err)
	}
	if err := db.AddAgent(ctx, desk.Agent{Name: "beto", Role: desk.RoleAgent, Epoch: "e3"}, "$argon2id$z", now); err != nil {
		t.Fatal(err)
	}
	a, phc, err := db.AgentCredentials(ctx, "ana")
	if err != nil || phc != "$argon2id$x" || a != ana {
		t.Fatalf("AgentCredentials(ana) = %+v %q, %v", a, phc, err)
	}
	if _, err := db.Agent(ctx, "nadie"); !errs.Is(errs.NotFound, err) {
		t.Fatalf("Agent(nadie): %v, want NotFound", err)
	}
	if err := db.RemoveAgent(ctx, "ana"); err != nil {
		t.Fatal(err)
	}
	if err := db.RemoveAgent(ctx, "ana"); !errs.Is(errs.NotFound, err) {
		t.Fatalf("removing ana twice: %v", err)
	}
	as, err := db.ListAgents(ctx)
	if err != nil || len(as) != 1 || as[0] != (desk.Agent{Name: "beto", Role: desk.RoleAgent, Epoch: "e3"}) {
		t.Fatalf("ListAgents = %+v, %v", as, err)
	}
}

func testRecords(t *testing.T, db *sqldesk.DB) {
	ctx := context.Background()
	loc := time.FixedZone("ART", -3*3600)
	mon := time.Date(2026, 11, 23, 10, 0, 0, 0, loc) // a Monday
	tue := mon.AddDate(0, 0, 1)
	convs := []struct {
		id      string
		at      time.Time
		wait    time.Duration
		useful  *bool
		pending bool
	}{
		{"c1", mon, 2 * time.Minute, ptr(true), false},
		{"c2", tue, 4 * time.Minute, ptr(false), false},
		{"c3", tue.Add(time.Hour), 10 * time.Minute, nil, false},
		{"c4", tue.Add(2 * time.Hour), 14 * time.Hour, nil, true}, // left at night: not a wait
		{"c0", mon.AddDate(0, 0, -3), time.Minute, nil, false},    // last week
	}
	for _, c := range convs {
		st := desk.Waiting
		if c.pending {
			st = desk.Pending
		}
		conv := desk.Conversation{ID: c.id, Chat: "rest:" + c.id, Channel: "rest", Reason: "requested", Status: st, Enqueued: c.at}
		hist := []desk.Message{{At: c.at, From: desk.FromPerson, Text: "hola"}, {At: c.at, From: desk.FromPerson, Text: "[clave oculta]"}}
		mustOK(t, db.Opened(ctx, conv, hist))
		mustOK(t, db.Taken(ctx, c.id, "ana", c.at.Add(c.wait)))
		mustOK(t, db.Said(ctx, c.id, desk.Message{At: c.at.Add(c.wait), From: desk.FromAgent, Agent: "ana", Text: "¿En qué te ayudo?"}))
		mustOK(t, db.Closed(ctx, c.id, c.at.Add(c.wait+time.Minute), desk.OutcomeResolved))
		if c.useful != nil {
			mustOK(t, db.Rated(ctx, "rest:"+c.id, *c.useful))
		}
	}
	r, err := db.Conversation(ctx, "c2")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Messages) != 3 || r.Messages[2].Agent != "ana" || *r.Outcome != desk.OutcomeResolved || *r.Rating != 0 || *r.Agent != "ana" {
		t.Fatalf("record c2 = %+v", r)
	}
	if err := db.Rated(ctx, "rest:nobody", true); !errs.Is(errs.NotFound, err) {
		t.Fatalf("rating an unknown chat: %v", err)
	}
	now := tue.Add(5 * time.Hour)
	s, err := desk.ComputeStats(ctx, db, nil, now, loc)
	if err != nil {
		t.Fatal(err)
	}
	if s.Today != 3 || s.Week != 4 || s.Taken != 3 || s.MedianWait != 240 || s.Useful != 1 || s.NotUseful != 1 {
		t.Fatalf("stats = %+v", s)
	}
}

func testFunnel(t *testing.T, db *sqldesk.DB) {
	ctx := context.Background()
	add := []desk.FunnelCount{
		{Day: "2026-11-24", Flow: "create", Stage: "start", N: 10},
		{Day: "2026-11-24", Flow: "create", Stage: "cuil", N: 8},
		{Day: "2026-11-24", Flow: "create", Stage: "cancel:cuil", N: 1},
		{Day: "2026-11-24", Flow: "create", Stage: "done", N: 5},
		{Day: "2026-11-01", Flow: "create", Stage: "start", N: 100}, // too old
	}
	mustOK(t, db.AddFunnel(ctx, add))
	mustOK(t, db.AddFunnel(ctx, add[:1]))
	s, err := desk.ComputeStats(ctx, db, nil, time.Date(2026, 11, 24, 18, 0, 0, 0, time.UTC), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	create := s.Funnels[0]
	want := []desk.Stage{{Name: "start", Reached: 20, Left: 12}, {Name: "cuil", Reached: 8, Left: 3, Cancelled: 1}, {Name: "done", Reached: 5}}
	if create.Flow != "create" || len(create.Stages) != len(want) {
		t.Fatalf("create funnel = %+v", create)
	}
	for i, w := range want {
		if create.Stages[i] != w {
			t.Errorf("stage %d = %+v, want %+v", i, create.Stages[i], w)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestAgentsFromBeforeRoles: agents created before roles existed become
// plain agents with an empty epoch, and keep signing in.
func TestAgentsFromBeforeRoles(t *testing.T) {
	ctx := context.Background()
	url := "sqlite:" + filepath.Join(t.TempDir(), "d.db")
	first, err := fs.Sub(sqldesk.Migrations(), ".")
	if err != nil {
		t.Fatal(err)
	}
	only0001 := fstest.MapFS{}
	for _, d := range []string{"postgres", "sqlite"} {
		b, err := fs.ReadFile(first, d+"/0001_desk.sql")
		if err != nil {
			t.Fatal(err)
		}
		only0001[d+"/0001_desk.sql"] = &fstest.MapFile{Data: b}
	}
	old, err := sqlstore.Open(ctx, url, slog.New(slog.DiscardHandler), sqlstore.WithMigrations(sqldesk.SetName, only0001))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.DB().Exec(`INSERT INTO desk_agents (name, password_hash, created_at) VALUES ('ana', '$argon2id$x', 1)`); err != nil {
		t.Fatal(err)
	}
	old.Close()
	db := open(t, url)
	a, phc, err := db.AgentCredentials(ctx, "ana")
	if err != nil || phc != "$argon2id$x" || a != (desk.Agent{Name: "ana", Role: desk.RoleAgent}) {
		t.Fatalf("ana after the upgrade: %+v %q %v", a, phc, err)
	}
}
