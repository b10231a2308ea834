package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/clavebot/clavebot/registry"
)

// cmdVerify checks a key read from one line of standard input (CONTRACT
// §4): exit 0 ok, 1 wrong, 2 unknown, 3 locked.
func cmdVerify(ctx context.Context, args []string, stdin *os.File, stdout, stderr io.Writer) error {
	fs, cfg := newFlags("key verify", stderr)
	cuilArg := fs.String("cuil", "", "the CUIL whose key is checked")
	source := fs.String("source", "", "an identifier of the person's device or address, as the portal's X-Clavebot-Source header: wrong keys from a source that logged in before are counted apart from strangers'")
	if err := parseConfig(fs, cfg, args); err != nil {
		return err
	}
	cuil, err := registry.ParseCUIL(*cuilArg)
	if err != nil {
		fmt.Fprintln(stdout, "unknown")
		return &exitError{code: 2, msg: "clavebot: " + err.Error()}
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return fmt.Errorf("read key: %w", err)
	}
	key := strings.TrimRight(line, "\r\n")
	db, reg, err := openRegistry(ctx, cfg, cfg.logger(stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := reg.VerifyFrom(ctx, cuil, key, "cli", *source)
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
