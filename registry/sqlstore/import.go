package sqlstore

import (
	"bufio"
	"bytes"
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

const (
	// importBatch is how many citizens are held in memory and written at
	// once: memory stays constant whatever the file's size.
	importBatch = 5000
	// maxLine is the longest line accepted; a citizen with a long work
	// history takes a few kilobytes.
	maxLine = 1 << 20
)

// batchWriter writes batches of citizens inside the import's transaction.
type batchWriter interface {
	write(ctx context.Context, batch []*registry.Citizen) error
	close() error
}

// Imported is what an import wrote.
type Imported struct {
	Citizens int // distinct CUILs
	Repeated int // lines whose CUIL an earlier line had; the last line of each CUIL is kept
}

// Import reads the citizens file (CONTRACT §2, JSON lines; blank lines are
// skipped) and upserts every citizen by CUIL, replacing their employers and
// benefits, all in one transaction: a bad line imports nothing and the
// error, Invalid, names the line and the field. No date may be later than
// the DB's clock. progress, when not nil, is called after each batch with
// the number of lines read so far. It returns the citizens imported.
func (d *DB) Import(ctx context.Context, r io.Reader, progress func(n int)) (Imported, error) {
	var n Imported
	err := d.inTx(ctx, "import", func(ctx context.Context, tx *sqlx.Tx) error {
		if err := noStatementTimeout(ctx, tx); err != nil {
			return err
		}
		w, err := d.newBatchWriter(ctx, tx)
		if err != nil {
			return err
		}
		n, err = d.writeAll(ctx, w, r, progress)
		return errors.Join(err, w.close())
	})
	if err != nil {
		return Imported{}, err
	}
	d.log.Info("citizens imported", "count", n.Citizens, "repeated", n.Repeated)
	if err := d.analyzeCitizens(ctx); err != nil {
		return n, err
	}
	return n, nil
}

// analyzeCitizens refreshes the planner's statistics of the citizens'
// tables after an import. Without them (a first import, or one that
// doubled the registry) PostgreSQL plans the donors' and records' reads
// for tables it believes empty: bitmap scans expecting 70 employers a
// CUIL, which made the identity questions' donor read five times slower
// until autovacuum came round (measured with pg_stat_statements under the
// load tool: 2.8 ms a person). ANALYZE samples a fixed number of rows, so
// it costs the same at country scale.
//
// On PostgreSQL it also vacuums them, which marks the pages just written
// all-visible: only then are the donors' searches (Donors) the index-only
// scans they were designed as. Before, each read the table row of every
// CUIL in its window: the window's CUILs took 1.01 ms instead of 0.23,
// the nearest birth dates 0.24 instead of 0.12 (EXPLAIN ANALYZE, 20,000
// citizens); autovacuum would mend it after a while, where it runs (it
// was off on the machine that measured this). A vacuum reads each table
// once, so it runs, as the import does, without the statement timeout,
// on one connection (VACUUM cannot run in a transaction, where SET LOCAL
// would lift it).
func (d *DB) analyzeCitizens(ctx context.Context) error {
	if d.dialect == SQLite {
		if _, err := d.db.ExecContext(ctx, `ANALYZE citizens; ANALYZE employers; ANALYZE benefits`); err != nil {
			return d.fail("import: statistics", err)
		}
		return nil
	}
	conn, err := d.db.Connx(ctx)
	if err != nil {
		return d.fail("import: statistics", err)
	}
	defer conn.Close()
	for _, q := range []string{`SET statement_timeout = 0`, `VACUUM (ANALYZE) citizens, employers, benefits`, `RESET statement_timeout`} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			// The connection may keep the lifted timeout: it must not go
			// back to the pool.
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
			return d.fail("import: statistics", err)
		}
	}
	return nil
}

// writeAll decodes r in a goroutine while it writes the previous batch:
// decoding takes a fifth of the time of a PostgreSQL import, and the
// database works meanwhile. At most three batches are in memory.
func (d *DB) writeAll(ctx context.Context, w batchWriter, r io.Reader, progress func(n int)) (Imported, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan *batch, 1)
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		readErr <- readBatches(r, d.batchSize, d.now(), func(b *batch) error {
			select {
			case batches <- b:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	lines, repeated := 0, 0
	for b := range batches {
		if err := w.write(ctx, b.citizens); err != nil {
			cancel()
			for range batches { // let the reader see the cancel and end
			}
			return Imported{}, err
		}
		lines, repeated = lines+b.lines, repeated+b.repeated
		if progress != nil {
			progress(lines)
		}
	}
	return Imported{Citizens: lines - repeated, Repeated: repeated}, <-readErr
}

func (d *DB) newBatchWriter(ctx context.Context, tx *sqlx.Tx) (batchWriter, error) {
	at := d.now()
	now := d.instant(at)
	var w batchWriter
	var err error
	if d.dialect == Postgres {
		w, err = newCopyWriter(ctx, tx, now)
	} else {
		w, err = newRowWriter(ctx, tx, now)
	}
	if err != nil {
		return nil, err
	}
	return d.withContacts(tx, at, w), nil
}

// batch is up to DB.batchSize citizens, one per CUIL: a CUIL repeated in a
// batch keeps its last line, as an upsert of the lines in order would.
type batch struct {
	citizens []*registry.Citizen
	index    map[registry.CUIL]int
	lines    int
	repeated int // lines whose CUIL an earlier line of the file had
}

func (b *batch) add(c *registry.Citizen) {
	b.lines++
	if i, dup := b.index[c.CUIL]; dup {
		b.citizens[i] = c
		return
	}
	b.index[c.CUIL] = len(b.citizens)
	b.citizens = append(b.citizens, c)
}

func newBatch(size int) *batch {
	return &batch{citizens: make([]*registry.Citizen, 0, size), index: make(map[registry.CUIL]int, size)}
}

// readBatches decodes r line by line, no date later than now, and hands
// flush full batches, then the last one; flush keeps them.
func readBatches(r io.Reader, size int, now time.Time, flush func(*batch) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	b := newBatch(size)
	seen := cuilSet{}
	line := 0
	for sc.Scan() {
		line++
		text := sc.Bytes()
		if line == 1 {
			// The byte-order mark Excel and Notepad write before UTF-8
			// ("not a JSON object: invalid character '\ufeff'").
			text = bytes.TrimPrefix(text, []byte("\xef\xbb\xbf"))
		}
		if len(bytes.TrimSpace(text)) == 0 {
			continue
		}
		c, err := registry.DecodeCitizenAt(text, now)
		if err != nil {
			return lineError(line, err)
		}
		if !seen.add(c.CUIL) {
			b.repeated++
		}
		if b.add(c); len(b.citizens) == size {
			if err := flush(b); err != nil {
				return err
			}
			b = newBatch(size) // the full one is now flush's
		}
	}
	if err := sc.Err(); err != nil {
		return lineError(line+1, err)
	}
	if b.lines == 0 {
		return nil
	}
	return flush(b)
}

// lineError names the line and, through the *registry.FieldError, the
// field: "line 3: field dni: a DNI has 7 or 8 digits".
func lineError(line int, err error) error {
	op := fmt.Sprintf("line %d", line)
	var fe *registry.FieldError
	switch {
	case errors.As(err, &fe):
		return errs.E(errs.Invalid, op, fe)
	case errors.Is(err, bufio.ErrTooLong):
		return errs.E(errs.Invalid, op, fmt.Errorf("longer than %d bytes", maxLine))
	}
	return errs.E(errs.Other, "read citizens file", err)
}
