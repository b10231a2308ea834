package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"golang.org/x/term"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/sqldesk"
	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
	"github.com/clavebot/clavebot/registry/sqlstore"
)

const agentUsage = "usage: clavebot agent add NAME [--role agent|supervisor] | list | remove NAME  (add reads the password from standard input)"

func (m *Main) parseAgent(args []string) error {
	if len(args) == 0 {
		return &exitError{code: 2, msg: agentUsage}
	}
	sub := args[0]
	want := positionals{0, 0, agentUsage} // list
	if sub == "add" || sub == "remove" {
		want = positionals{1, 1, agentUsage} // the agent's name
	}
	fs, cfg := newFlags("agent "+sub, m.stderr)
	fs.StringVar(&cfg.Role, "role", "", "add: agent (reads the queue and their own chats) or supervisor (reads every chat)")
	pos, err := parse(fs, args[1:], want)
	if err != nil {
		return err
	}
	if (sub != "add" && sub != "list" && sub != "remove") || (sub != "add" && cfg.Role != "") {
		return &exitError{code: 2, msg: agentUsage}
	}
	name := ""
	if len(pos) == 1 {
		name = desk.FoldName(pos[0])
	}
	if _, err := desk.ParseRole(cfg.Role); err != nil {
		return &exitError{code: 2, msg: agentUsage}
	}
	m.Config, m.Args = *cfg, []string{sub, name}
	return nil
}

// runAgent manages help-desk agents (CONTRACT §8).
func (m *Main) runAgent(ctx context.Context) error {
	sub, name := m.Args[0], m.Args[1]
	role, _ := desk.ParseRole(m.Config.Role)
	db, err := m.openDB(ctx, sqlstore.WithMigrations(sqldesk.SetName, sqldesk.Migrations()))
	if err != nil {
		return err
	}
	acc, err := desk.NewAccounts(ctx, sqldesk.New(db.DB()), registry.NewHasher(hashParams, runtime.GOMAXPROCS(0)))
	if err != nil {
		return err
	}
	switch sub {
	case "add":
		return agentAdd(ctx, acc, name, role, m.stdin, m.stdout, m.stderr)
	case "remove":
		return m.agentRemove(ctx, acc, name)
	}
	agents, err := acc.List(ctx)
	for _, a := range agents {
		if a.Role == desk.RoleSupervisor {
			fmt.Fprintf(m.stdout, "%s (supervisor)\n", a.Name)
		} else {
			fmt.Fprintln(m.stdout, a.Name)
		}
	}
	return err
}

func agentAdd(ctx context.Context, acc *desk.Accounts, name string, role desk.Role, stdin *os.File, stdout, stderr io.Writer) error {
	pw, err := readPassword(stdin, stderr)
	if err != nil {
		return &exitError{code: 1, msg: "clavebot: agent add: " + err.Error()}
	}
	err = acc.Add(ctx, name, pw, role)
	switch {
	case errs.Is(errs.Invalid, err), errs.Is(errs.Conflict, err):
		return &exitError{code: 1, msg: "clavebot: agent add: " + errors.Unwrap(err).Error()}
	case err != nil:
		return err
	}
	fmt.Fprintf(stdout, "added agent %s\n", name)
	return nil
}

// readPassword reads the password: typed twice without echo at a
// terminal, else one line, optionally followed by an identical second one.
func readPassword(stdin *os.File, stderr io.Writer) (string, error) {
	if stdin != nil && term.IsTerminal(int(stdin.Fd())) {
		fmt.Fprint(stderr, "Password: ")
		a, err := term.ReadPassword(int(stdin.Fd()))
		fmt.Fprint(stderr, "\nAgain: ")
		b, err2 := term.ReadPassword(int(stdin.Fd()))
		fmt.Fprintln(stderr)
		if err = errors.Join(err, err2); err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the passwords differ")
		}
		return string(a), nil
	}
	var in io.Reader = strings.NewReader("")
	if stdin != nil {
		in = stdin
	}
	sc := bufio.NewScanner(in)
	if !sc.Scan() {
		return "", errors.New("no password on standard input")
	}
	pw := strings.TrimRight(sc.Text(), "\r")
	if sc.Scan() {
		if again := strings.TrimRight(sc.Text(), "\r"); again != "" && again != pw {
			return "", errors.New("the confirmation line differs from the password")
		}
	}
	return pw, nil
}
