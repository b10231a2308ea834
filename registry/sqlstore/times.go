package sqlstore

import (
	"fmt"
	"time"
)

// instantLayout is how SQLite stores instants: fixed width, in UTC, so that
// text order is time order.
const instantLayout = "2006-01-02T15:04:05.000000Z"

// instant converts t for the dialect, to the microsecond PostgreSQL keeps,
// so both dialects give back the same value.
func (d *DB) instant(t time.Time) any {
	t = t.UTC().Truncate(time.Microsecond)
	if d.dialect == SQLite {
		return t.Format(instantLayout)
	}
	return t
}

// day converts a calendar date for either dialect: PostgreSQL casts the
// text to DATE, SQLite keeps it.
func day(t time.Time) string { return t.Format(time.DateOnly) }

// dbTime scans an instant as either driver returns it: time.Time from
// lib/pq, text from SQLite. NULL scans as the zero time.
type dbTime struct{ time.Time }

func (t *dbTime) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		t.Time = time.Time{}
	case time.Time:
		t.Time = v.UTC()
	case string:
		return t.parse(v)
	case []byte:
		return t.parse(string(v))
	default:
		return fmt.Errorf("scan time: unexpected %T", v)
	}
	return nil
}

var timeLayouts = []string{instantLayout, time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", time.DateTime, time.DateOnly}

func (t *dbTime) parse(s string) error {
	for _, layout := range timeLayouts {
		if p, err := time.Parse(layout, s); err == nil {
			t.Time = p.UTC()
			return nil
		}
	}
	return fmt.Errorf("scan time: cannot parse %q", s)
}

// dbDate scans a calendar date as midnight UTC, whatever zone the driver
// attached to it.
type dbDate struct{ time.Time }

func (d *dbDate) Scan(v any) error {
	if t, ok := v.(time.Time); ok {
		y, m, dd := t.Date()
		d.Time = time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
		return nil
	}
	var t dbTime
	if err := t.Scan(v); err != nil {
		return err
	}
	return d.Scan(t.Time)
}

// dayOf is the SQL that reads the DATE column col for epochDay: on
// PostgreSQL its days since 1970-01-01, an integer, because lib/pq parses
// a DATE's text as a timestamp, in a time zone it looks up under a lock,
// and boxes the result; the donors' queries read hundreds a question set.
// SQLite keeps its text.
func dayOf(dialect, col string) string {
	if dialect == Postgres {
		return "(" + col + " - DATE '1970-01-01')"
	}
	return col
}

// epochDay scans a calendar date read through dayOf as midnight UTC, as
// dbDate does: days since 1970-01-01 from PostgreSQL, anything dbDate
// scans from SQLite. NULL scans as the zero time.
type epochDay struct{ time.Time }

func (e *epochDay) Scan(v any) error {
	if days, ok := v.(int64); ok {
		e.Time = time.Unix(days*secondsPerDay, 0).UTC()
		return nil
	}
	var d dbDate
	if err := d.Scan(v); err != nil {
		return err
	}
	e.Time = d.Time
	return nil
}

const secondsPerDay = 24 * 60 * 60
