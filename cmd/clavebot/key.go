package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/clavebot/clavebot/registry"
)

func (m *Main) parseVerify(args []string) error {
	fs, cfg := newFlags("key verify", m.stderr)
	fs.StringVar(&cfg.CUIL, "cuil", "", "the CUIL whose key is checked")
	fs.StringVar(&cfg.Source, "source", "", "an identifier of the person's device or address, as the portal's X-Clavebot-Source header: wrong keys from a source that logged in before are counted apart from strangers'")
	if err := parseConfig(fs, cfg, args); err != nil {
		return err
	}
	if cfg.CUIL == "" {
		// No CUIL is no question asked: "unknown" would answer one.
		return &exitError{code: 2, msg: verifyUsage}
	}
	m.Config = *cfg
	return nil
}

const verifyUsage = "usage: clavebot key verify --cuil CUIL  (reads the key from one line of standard input; exit 0 ok, 1 wrong, 2 unknown, 3 locked)"

// runVerify checks a key read from one line of standard input (CONTRACT
// §4): exit 0 ok, 1 wrong, 2 unknown, 3 locked.
func (m *Main) runVerify(ctx context.Context) error {
	cfg, stdout := &m.Config, m.stdout
	cuil, err := registry.ParseCUIL(cfg.CUIL)
	if err != nil {
		fmt.Fprintln(stdout, "unknown")
		return &exitError{code: 2, msg: "clavebot: " + err.Error()}
	}
	line, err := bufio.NewReader(m.stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return fmt.Errorf("read key: %w", err)
	}
	// Without the newline, and without the byte-order mark that Windows
	// tools begin UTF-8 with (as chat --jsonl reads lines): no key holds
	// one, and compared it counted as a wrong key.
	key := strings.TrimPrefix(strings.TrimRight(line, "\r\n"), "\ufeff")
	if key == "" {
		// A script that forgot to pipe the key: nothing compared, nothing
		// counted (it took part in locking a citizen's CUIL), and nothing
		// on standard output, as for any error.
		return errors.New("key verify: no key on standard input (one line expected); nothing was compared")
	}
	m.Log = cfg.logger(m.stderr)
	db, reg, err := openRegistry(ctx, cfg, m.Log, nil)
	if err != nil {
		return err
	}
	m.DB, m.Registry = db, reg
	m.onClose("database", db.Close)
	res, err := reg.VerifyFrom(ctx, cuil, key, "cli", cfg.Source)
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	switch res.Status {
	case registry.VerifyOK:
		fmt.Fprintln(stdout, "ok")
		return nil
	case registry.VerifyWrong:
		fmt.Fprintln(stdout, "wrong")
		return &exitError{code: 1}
	case registry.VerifyLocked:
		fmt.Fprintf(stdout, "locked until %s\n", res.Until.Format(time.RFC3339))
		return &exitError{code: 3}
	}
	fmt.Fprintln(stdout, "unknown")
	return &exitError{code: 2}
}
