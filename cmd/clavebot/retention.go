package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/clavebot/clavebot/desk/sqldesk"
	"github.com/clavebot/clavebot/registry"
	"github.com/clavebot/clavebot/registry/sqlstore"
)

// Retention defaults (README, Security): the desk's records and the audit
// trail are kept 180 days; the audit of key changes ten years.
const (
	defaultRetention      = "180d"
	defaultAuditRetention = "10y"
)

// keyChanges are the audit events kept for --audit-retention: the evidence
// of who obtained or changed a key to a person's social security records,
// and of who changed the contacts a recovery's second factor goes to.
var keyChanges = append([]registry.Action{registry.ActionKeyCreated, registry.ActionKeyRecovered, registry.ActionKeyChanged},
	registry.ContactActions()...)

func (m *Main) parseRetention(args []string) error {
	fs, cfg := newFlags("retention", m.stderr)
	cfg.registerRetention(fs)
	if _, err := parse(fs, args, noArgs); err != nil {
		return err
	}
	m.Config = *cfg
	return nil
}

// runRetention deletes what is past its retention, once, and prints what
// it deleted. Several runs at once (two CronJobs, a manual run) share the
// work without harm.
func (m *Main) runRetention(ctx context.Context) error {
	keep, keepKeys := &m.Config.Retention, &m.Config.AuditRetention
	now := time.Now()
	before, keysBefore := keep.age.before(now), keepKeys.age.before(now)
	switch {
	case before.After(now.Add(-24 * time.Hour)):
		return &exitError{code: 2, msg: "clavebot: --retention must be at least 1d"}
	case keysBefore.After(before):
		return &exitError{code: 2, msg: "clavebot: --audit-retention must not be shorter than --retention"}
	}
	db, err := m.openDB(ctx, sqlstore.WithMigrations(sqldesk.SetName, sqldesk.Migrations()))
	if err != nil {
		return err
	}
	return purge(ctx, db, before, keysBefore, m.stdout)
}

func purge(ctx context.Context, db *sqlstore.DB, before, keysBefore time.Time, stdout io.Writer) error {
	convs, msgs, err := sqldesk.New(db.DB()).PurgeConversations(ctx, before, sqldesk.DefaultBatch)
	fmt.Fprintf(stdout, "desk conversations deleted: %d (ended before %s)\n", convs, stamp(before))
	fmt.Fprintf(stdout, "desk messages deleted: %d\n", msgs)
	if err != nil {
		return err
	}
	n, err := db.DeleteAudit(ctx, sqlstore.AuditSelection{Before: before, Except: keyChanges})
	fmt.Fprintf(stdout, "audit events deleted: %d (before %s)\n", n, stamp(before))
	if err != nil {
		return err
	}
	n, err = db.DeleteAudit(ctx, sqlstore.AuditSelection{Before: keysBefore, Only: keyChanges})
	fmt.Fprintf(stdout, "key-change audit events deleted: %d (before %s)\n", n, stamp(keysBefore))
	if err != nil {
		return err
	}
	// One-time codes hold the address they went to until they are used;
	// once expired they serve nothing.
	now := time.Now()
	n, err = db.DeleteExpiredCodes(ctx, now)
	fmt.Fprintf(stdout, "expired one-time codes deleted: %d (before %s)\n", n, stamp(now))
	return err
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// age is a retention period: calendar years ("10y") or days ("180d"), or
// a Go duration ("4320h").
type age struct {
	years, days int
	d           time.Duration
	text        string
}

func parseAge(s string) (age, error) {
	s = strings.TrimSpace(s)
	bad := errors.New("want days (180d), years (10y) or a duration (4320h)")
	if n, ok := strings.CutSuffix(s, "y"); ok {
		y, err := strconv.Atoi(n)
		if err != nil || y < 0 {
			return age{}, bad
		}
		return age{years: y, text: s}, nil
	}
	if n, ok := strings.CutSuffix(s, "d"); ok {
		d, err := strconv.Atoi(n)
		if err != nil || d < 0 {
			return age{}, bad
		}
		return age{days: d, text: s}, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return age{}, bad
	}
	return age{d: d, text: s}, nil
}

// before is the instant older than which records go.
func (a age) before(now time.Time) time.Time { return now.AddDate(-a.years, 0, -a.days).Add(-a.d) }

// ageValue is an age flag.
type ageValue struct{ age age }

func (v *ageValue) String() string { return v.age.text }

func (v *ageValue) Set(s string) error {
	a, err := parseAge(s)
	if err == nil {
		v.age = a
	}
	return err
}
