package sqldesk

import (
	"context"
	"time"

	"github.com/clavebot/clavebot/desk"
)

var (
	_ desk.StatsSource = (*DB)(nil)
	_ desk.FunnelStore = (*DB)(nil)
)

// Handovers implements desk.StatsSource.
func (d *DB) Handovers(ctx context.Context, since time.Time) (int, error) {
	var n int
	err := d.db.GetContext(ctx, &n, d.db.Rebind(`SELECT count(*) FROM desk_conversations WHERE enqueued_at >= ?`), since.UnixMilli())
	if err != nil {
		return 0, fail("count hand-overs", err)
	}
	return n, nil
}

// Waits implements desk.StatsSource: only conversations taken during the
// desk's hours count, since a message left at night is not a wait.
func (d *DB) Waits(ctx context.Context, since time.Time) ([]time.Duration, error) {
	var ms []int64
	err := d.db.SelectContext(ctx, &ms, d.db.Rebind(`SELECT taken_at - enqueued_at FROM desk_conversations
		WHERE enqueued_at >= ? AND taken_at IS NOT NULL AND in_hours = ?`), since.UnixMilli(), true)
	if err != nil {
		return nil, fail("waits", err)
	}
	out := make([]time.Duration, len(ms))
	for i, m := range ms {
		out[i] = time.Duration(m) * time.Millisecond
	}
	return out, nil
}

// Ratings implements desk.StatsSource.
func (d *DB) Ratings(ctx context.Context, since time.Time) (useful, notUseful int, err error) {
	var rows []struct {
		Rating int `db:"rating"`
		N      int `db:"n"`
	}
	err = d.db.SelectContext(ctx, &rows, d.db.Rebind(`SELECT rating, count(*) AS n FROM desk_conversations
		WHERE enqueued_at >= ? AND rating IS NOT NULL GROUP BY rating`), since.UnixMilli())
	if err != nil {
		return 0, 0, fail("ratings", err)
	}
	for _, r := range rows {
		if r.Rating == 1 {
			useful = r.N
		} else {
			notUseful += r.N
		}
	}
	return useful, notUseful, nil
}

// AddFunnel implements desk.FunnelStore.
func (d *DB) AddFunnel(ctx context.Context, counts []desk.FunnelCount) error {
	tx, err := d.db.BeginTxx(ctx, nil)
	if err != nil {
		return fail("funnel", err)
	}
	defer tx.Rollback() // after Commit, a no-op
	q := tx.Rebind(`INSERT INTO desk_funnel (day, flow, stage, n) VALUES (?, ?, ?, ?)
		ON CONFLICT (day, flow, stage) DO UPDATE SET n = desk_funnel.n + excluded.n`)
	for _, c := range counts {
		if _, err := tx.ExecContext(ctx, q, c.Day, c.Flow, c.Stage, c.N); err != nil {
			return fail("funnel", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fail("funnel", err)
	}
	return nil
}

// Funnel implements desk.StatsSource.
func (d *DB) Funnel(ctx context.Context, sinceDay string) ([]desk.FunnelCount, error) {
	var out []desk.FunnelCount
	err := d.db.SelectContext(ctx, &out, d.db.Rebind(`SELECT '' AS day, flow, stage, sum(n) AS n FROM desk_funnel
		WHERE day >= ? GROUP BY flow, stage ORDER BY flow, stage`), sinceDay)
	if err != nil {
		return nil, fail("funnel", err)
	}
	return out, nil
}
