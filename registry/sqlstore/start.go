package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/clavebot/clavebot/registry"
)

var _ registry.QuestionStarter = (*DB)(nil)

// StartQuestions begins a round of identity questions in one statement on
// PostgreSQL (registry.QuestionStarter): whether the CUIL has a key; when
// that is what the flow needs, the attempt reserved as reserveAtOnce
// reserves it; and, reserved, the stored set or the window's CUILs, as
// QuestionSetOrDonors reads them (the donors' rows follow, by primary
// key). Nothing is reserved, and neither the set nor the window read, for
// a key not as the flow needs, nor for a CUIL locked or at its count: that
// is reported not done (ok false), for the transaction of ReserveAttempt
// to decide. SQLite reports every round not done: its own path is the
// calls one by one.
func (d *DB) StartQuestions(ctx context.Context, q registry.StartQuery) (registry.Started, bool, error) {
	if d.dialect != Postgres || q.Rule.Max < 1 {
		return registry.Started{}, false, nil
	}
	expires := q.Now.Add(q.TTL).UTC().Truncate(time.Microsecond)
	query, args := d.window(q.Donors, windowStart, startHead(q, d.instant(q.Now), d.instant(expires)))
	var (
		s      registry.Started
		done   bool
		window []registry.CUIL
		err    error
	)
	var (
		hasKey   sql.NullBool
		failures sql.NullInt64
		until    dbTime
		version  sql.NullInt64
		text     sql.NullString
		cuil     sql.NullString
	)
	err = d.scanRows(ctx, query, args, func(rows *sql.Rows) error {
		if err := rows.Scan(&hasKey, &failures, &until, &version, &text, &cuil); err != nil {
			return err
		}
		switch {
		case hasKey.Valid: // the first row: what was done
			s.HasKey = hasKey.Bool
			done = s.HasKey != q.Keyed || failures.Valid
			if failures.Valid {
				l := registry.Lockout{Failures: int(failures.Int64), Until: until.Time}
				s.Attempt = registry.Attempt{ID: q.ID, Status: registry.AttemptReserved, Lockout: judged(l, 0), Expires: expires}
			}
		case version.Valid:
			var err error
			s.Set, err = parseQuestionSet(int(version.Int64), text.String)
			s.Found = true
			return err
		default:
			window = append(window, registry.CUIL(cuil.String))
		}
		return nil
	})
	if err != nil {
		return registry.Started{}, false, d.fail("start questions", err)
	}
	if !done || s.Attempt.ID == "" || s.Found || len(window) == 0 {
		return s, done, nil
	}
	s.Donors, err = d.donorRows(ctx, registry.DrawDonors(window, q.Donors))
	return s, true, err
}

// startHead is the CTEs of StartQuestions's statement before the window's:
// k, whether the CUIL has a key; l and a, the reservation, as in
// reserveAtOnceSQL, made only when k is what the flow needs; r, the
// failures judged before it (one row when it was made).
func startHead(q registry.StartQuery, now, expires any) func(p func(any) string) string {
	return func(p func(any) string) string {
		cuil := string(q.Donors.CUIL)
		head := `k AS (SELECT EXISTS (SELECT 1 FROM keys WHERE cuil = ` + p(cuil) + `) AS has_key),
	l AS (INSERT INTO lockouts (cuil, kind, failures) SELECT ` + p(cuil) + `, ` + p(string(registry.LockValidation)) +
			`, 1 FROM k WHERE k.has_key = ` + p(q.Keyed) + `
		`
		// reserveRestSQL's parameters, in its order.
		p(q.Rule.Max)
		p(now)
		p(q.ID)
		p(expires)
		return head + reserveRestSQL + `,
	r AS (SELECT l.failures - 1 - ` + heldBeforeSQL + ` AS failures, l.locked_until FROM l, a)`
	}
}
