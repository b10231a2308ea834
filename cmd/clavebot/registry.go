package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"golang.org/x/term"

	"github.com/clavebot/clavebot/registry/sqlstore"
)

// cmdImport loads the citizens file (CONTRACT §2): one transaction, the bad
// line's number and field in the error.
func cmdImport(ctx context.Context, args []string, stdin *os.File, stdout, stderr io.Writer) error {
	fs, cfg := newFlags("registry import", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return &exitError{code: 2, msg: "usage: clavebot registry import FILE (- for standard input)"}
	}
	in := stdin
	if name := fs.Arg(0); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("open citizens file: %w", err)
		}
		defer f.Close()
		in = f
	}
	db, err := sqlstore.Open(ctx, cfg.database(), cfg.logger(stderr))
	if err != nil {
		return fmt.Errorf("database: %w", err)
	}
	defer db.Close()
	n, err := db.Import(ctx, in, progress(stderr))
	if err != nil {
		return fmt.Errorf("import: %w (nothing was imported)", err)
	}
	fmt.Fprintf(stdout, "imported %d citizens\n", n)
	return nil
}

// progress shows a running count when stderr is a terminal.
func progress(stderr io.Writer) func(int) {
	f, ok := stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return func(n int) { fmt.Fprintf(stderr, "\rread %d citizens…", n) }
}

// cmdMigrate applies the database migrations.
func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfg := newFlags("registry migrate", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := sqlstore.Open(ctx, cfg.database(), cfg.logger(stderr))
	if err != nil {
		return fmt.Errorf("database: %w", err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	fmt.Fprintln(stdout, "database is up to date")
	return nil
}
