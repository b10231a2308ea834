package main

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/sqldesk"
	"github.com/clavebot/clavebot/registry"
	"github.com/clavebot/clavebot/registry/sqlstore"
)

// TestRetentionCommand: `clavebot retention` deletes desk records and
// audit events past the retention, keeps recent ones, and keeps the
// audit of key changes for its own, longer, retention.
func TestRetentionCommand(t *testing.T) {
	ctx := context.Background()
	url := testDB(t)
	db, err := sqlstore.Open(ctx, url, slog.New(slog.DiscardHandler), sqlstore.WithMigrations(sqldesk.SetName, sqldesk.Migrations()))
	if err != nil {
		t.Fatal(err)
	}
	store := sqldesk.New(db.DB())
	now := time.Now()
	days := func(n int) time.Time { return now.AddDate(0, 0, -n) }
	for _, c := range []struct {
		id string
		at time.Time
	}{{"old", days(200)}, {"recent", days(10)}} {
		conv := desk.Conversation{ID: c.id, Chat: "rest:" + c.id, Channel: "rest", Reason: "requested", Status: desk.Waiting, Enqueued: c.at}
		hist := []desk.Message{{At: c.at, From: desk.FromPerson, Text: "hola"}, {At: c.at, From: desk.FromBot, Text: "¿En qué te ayudo?"}}
		mustDo(t, store.Opened(ctx, conv, hist))
		mustDo(t, store.Closed(ctx, c.id, c.at.Add(time.Hour), desk.OutcomeResolved))
	}
	cuil := registry.CUIL("20123456786")
	audit := []struct {
		action registry.Action
		at     time.Time
		kept   bool
	}{
		{registry.ActionKeyCreated, days(2 * 365), true},   // a key change: ten years
		{registry.ActionKeyRecovered, days(200), true},     // likewise
		{registry.ActionKeyChanged, days(11 * 365), false}, // past ten years
		{registry.ActionKeyLocked, days(200), false},       // other events: 180 days
		{registry.ActionValidationLocked, days(10), true},  // recent
		{registry.ActionKeyRehashed, days(181), false},     // just past
		{registry.ActionContactVerified, days(200), true},  // who could receive a recovery's code: as key changes
	}
	for _, a := range audit {
		mustDo(t, db.AppendAudit(ctx, registry.AuditEvent{At: a.at, CUIL: cuil, Action: a.action, Channel: "rest"}))
	}
	db.Close()

	code, out, errb := runCLI(t, "", "retention", "--database-url", url)
	if code != 0 {
		t.Fatalf("retention: exit %d, %s", code, errb)
	}
	for _, want := range []string{"desk conversations deleted: 1 ", "desk messages deleted: 2\n",
		"audit events deleted: 2 ", "key-change audit events deleted: 1 "} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	db, err = sqlstore.Open(ctx, url, slog.New(slog.DiscardHandler), sqlstore.WithMigrations(sqldesk.SetName, sqldesk.Migrations()))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var convs []string
	mustDo(t, db.DB().Select(&convs, `SELECT id FROM desk_conversations ORDER BY id`))
	if strings.Join(convs, ",") != "recent" {
		t.Errorf("conversations left: %v, want only the recent one", convs)
	}
	var msgs int
	mustDo(t, db.DB().Get(&msgs, `SELECT count(*) FROM desk_messages`))
	if msgs != 2 {
		t.Errorf("%d messages left, want the recent conversation's 2", msgs)
	}
	var left []string
	mustDo(t, db.DB().Select(&left, `SELECT action FROM audit ORDER BY id`))
	var want []string
	for _, a := range audit {
		if a.kept {
			want = append(want, string(a.action))
		}
	}
	if strings.Join(left, ",") != strings.Join(want, ",") {
		t.Errorf("audit left %v, want %v", left, want)
	}

	// A second run finds nothing more to delete.
	if code, out, _ := runCLI(t, "", "retention", "--database-url", url); code != 0 || !strings.Contains(out, "desk conversations deleted: 0 ") {
		t.Errorf("second run: %d %s", code, out)
	}
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestRetentionSettings(t *testing.T) {
	url := "sqlite:" + t.TempDir() + "/r.db"
	tests := []struct {
		name string
		env  string // CLAVEBOT_RETENTION
		args []string
		code int
		out  string
	}{
		{"defaults", "", nil, 0, "key-change audit events deleted: 0 (before " + strconv.Itoa(time.Now().Year()-10)},
		{"days", "", []string{"--retention", "30d"}, 0, "desk conversations deleted: 0"},
		{"a Go duration", "", []string{"--retention", "720h", "--audit-retention", "5y"}, 0, "desk conversations deleted: 0"},
		{"from the environment", "90d", nil, 0, "desk conversations deleted: 0"},
		{"flag over environment", "garbage", []string{"--retention", "90d"}, 0, "desk conversations deleted: 0"},
		{"a malformed environment", "garbage", nil, 2, ""},
		{"not a period", "", []string{"--retention", "180"}, 2, ""},
		{"less than a day", "", []string{"--retention", "2h"}, 2, ""},
		{"key changes kept less than the rest", "", []string{"--retention", "2y", "--audit-retention", "1y"}, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CLAVEBOT_RETENTION", tt.env)
			code, out, errb := runCLI(t, "", append([]string{"retention", "--database-url", url}, tt.args...)...)
			if code != tt.code || !strings.Contains(out, tt.out) {
				t.Fatalf("exit %d, %q, %q; want %d and %q", code, out, errb, tt.code, tt.out)
			}
		})
	}
}
