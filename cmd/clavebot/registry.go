package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"golang.org/x/term"

	"github.com/clavebot/clavebot/registry/sqlstore"
)

func (m *Main) parseImport(args []string) error {
	fs, cfg := newFlags("registry import", m.stderr)
	file, err := parse(fs, args, positionals{1, 1, "usage: clavebot registry import FILE (- for standard input)"})
	if err != nil {
		return err
	}
	m.Config, m.Args = *cfg, file
	return nil
}

// runImport loads the citizens file (CONTRACT §2): one transaction, the bad
// line's number and field in the error.
func (m *Main) runImport(ctx context.Context) error {
	in := m.stdin
	if name := m.Args[0]; name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("open citizens file: %w", err)
		}
		defer f.Close()
		in = f
	}
	db, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	p := newProgress(m.stderr)
	n, err := db.Import(ctx, in, p.report())
	p.end()
	if err != nil {
		// The store's error already opens with "import:".
		return fmt.Errorf("%w (nothing was imported)", err)
	}
	fmt.Fprintf(m.stdout, "imported %d citizens\n", n.Citizens)
	if note := repeatedNote(n.Repeated); note != "" {
		fmt.Fprintln(m.stderr, "clavebot: import: "+note)
	}
	return nil
}

// repeatedNote says how many lines had the CUIL of an earlier line, or ""
// when none did. It goes to standard error: standard output is CONTRACT
// §2's "imported N citizens" and nothing else, which scripts compare.
func repeatedNote(repeated int) string {
	switch {
	case repeated == 1:
		return "1 line repeated a CUIL; the last one kept"
	case repeated > 1:
		return fmt.Sprintf("%d lines repeated a CUIL; the last one of each kept", repeated)
	}
	return ""
}

// progressLine shows, on a terminal, a running count of the citizens
// read, on one line it rewrites. end closes that line, so that what
// follows (the result, or the bad line's error) starts on its own.
type progressLine struct {
	w     io.Writer
	shown bool
}

// newProgress returns the import's progress on stderr, or nil when stderr
// is not a terminal.
func newProgress(stderr io.Writer) *progressLine {
	f, ok := stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return &progressLine{w: stderr}
}

// report is the callback the import calls with its count; nil for none.
func (p *progressLine) report() func(int) {
	if p == nil {
		return nil
	}
	return func(n int) {
		fmt.Fprintf(p.w, "\rread %d citizens…", n)
		p.shown = true
	}
}

// end ends the count's line, if one was shown.
func (p *progressLine) end() {
	if p == nil || !p.shown {
		return
	}
	fmt.Fprintln(p.w)
	p.shown = false
}

func (m *Main) parseMigrate(args []string) error {
	fs, cfg := newFlags("registry migrate", m.stderr)
	if _, err := parse(fs, args, noArgs); err != nil {
		return err
	}
	m.Config = *cfg
	return nil
}

// runMigrate applies the database migrations.
func (m *Main) runMigrate(ctx context.Context) error {
	db, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	if err := db.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	fmt.Fprintln(m.stdout, "database is up to date")
	return nil
}

// openDB opens the database alone, for the registry's and the desk's
// tools, with opts; Close closes it.
func (m *Main) openDB(ctx context.Context, opts ...sqlstore.Option) (*sqlstore.DB, error) {
	if m.Log == nil {
		m.Log = m.Config.logger(m.stderr)
	}
	db, err := sqlstore.Open(ctx, m.Config.database(), m.Log, opts...)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	m.DB = db
	m.onClose("database", db.Close)
	return db, nil
}
