package deploy

import (
	"bufio"
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// repoRoot is the service's own module, one folder up.
const repoRoot = ".."

// planned are the names ../FLAGS.md (the lead's shared naming decisions)
// reserves for branches being written now: the deployment files use them
// already. serve ignores an environment variable it does not read, and a
// command it does not know exits 2, so until a branch lands its names
// are logged, not failed. Once a name is in the binary the test says so:
// delete it here then.
var planned = map[string]bool{}

// The clavebot binary, built once for the whole run from ../cmd/clavebot.
var binary struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binary.dir != "" {
		os.RemoveAll(binary.dir)
	}
	os.Exit(code)
}

func clavebotBinary(t *testing.T) string {
	t.Helper()
	binary.once.Do(func() {
		binary.dir, binary.err = os.MkdirTemp("", "clavebot-deploy-")
		if binary.err != nil {
			return
		}
		binary.path = filepath.Join(binary.dir, "clavebot")
		cmd := exec.Command("go", "build", "-o", binary.path, "./cmd/clavebot")
		cmd.Dir = repoRoot
		if out, err := cmd.CombinedOutput(); err != nil {
			binary.err = fmt.Errorf("go build ./cmd/clavebot: %v\n%s", err, out)
		}
	})
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	return binary.path
}

// command is what `clavebot WORDS... -h` shows: whether the binary knows
// the command, and its flags (true for a flag that takes a value).
type command struct {
	known bool
	flags map[string]bool
}

var helps sync.Map // strings.Join(words, " ") -> command

var flagLine = regexp.MustCompile(`^\s+-([a-z0-9][a-z0-9-]*)(\s+\S+)?$`)

// helpOf runs `clavebot WORDS... -h` with no CLAVEBOT_ variables, so this
// machine's environment cannot change the answer.
func helpOf(t *testing.T, words []string) command {
	t.Helper()
	key := strings.Join(words, " ")
	if c, ok := helps.Load(key); ok {
		return c.(command)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, clavebotBinary(t), append(append([]string{}, words...), "-h")...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CLAVEBOT_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, err := cmd.CombinedOutput()
	c := command{known: err == nil, flags: map[string]bool{}}
	if ctx.Err() != nil {
		t.Fatalf("clavebot %s -h did not finish", key)
	}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		if m := flagLine.FindStringSubmatch(sc.Text()); m != nil {
			c.flags[m[1]] = m[2] != ""
		}
	}
	if c.known && len(c.flags) == 0 {
		t.Fatalf("clavebot %s -h listed no flags:\n%s", key, out)
	}
	helps.Store(key, c)
	return c
}

// invocation is a container's or service's argument list as clavebot
// reads it: the command words, the flags, the positional arguments.
type invocation struct {
	command    string
	flags      []string
	positional []string
}

// invoke splits args the way the binary does: the shortest run of leading
// words it accepts as a command, then Go flags, then arguments. It reports
// a command the binary does not know (a planned one is logged) and a flag
// the command does not take.
func invoke(t *testing.T, where string, args []string) invocation {
	t.Helper()
	var inv invocation
	var cmd command
	n := 0
	for n < len(args) && !strings.HasPrefix(args[n], "-") {
		n++
		if cmd = helpOf(t, args[:n]); cmd.known {
			break
		}
	}
	inv.command = strings.Join(args[:n], " ")
	if !cmd.known {
		if planned[inv.command] {
			logPlanned(t, inv.command, "command %q is planned (FLAGS.md), not yet in the binary")
		} else {
			t.Errorf("%s: clavebot has no command %q", where, inv.command)
		}
		return inv
	}
	if planned[inv.command] {
		logPlanned(t, inv.command, "command %q is now in the binary: remove it from planned")
	}
	rest := args[n:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if a == "--" {
			inv.positional = append(inv.positional, rest[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			inv.positional = append(inv.positional, rest[i:]...)
			break
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		takesValue, ok := cmd.flags[name]
		if !ok {
			t.Errorf("%s: clavebot %s has no flag --%s", where, inv.command, name)
			continue
		}
		inv.flags = append(inv.flags, name)
		if takesValue && !hasValue {
			i++
		}
	}
	return inv
}

var envNames = sync.OnceValues(func() (map[string]bool, error) {
	return readEnvNames(filepath.Join(repoRoot, "cmd", "clavebot"))
})

var envName = regexp.MustCompile(`^CLAVEBOT_[A-Z0-9_]+$`)

// readEnvNames collects the CLAVEBOT_ variables the command reads: every
// string literal of that form in its non-test source. They are read at
// start-up, so they cannot be seen from outside the process.
func readEnvNames(dir string) (map[string]bool, error) {
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && envName.MatchString(s) {
					names[s] = true
				}
			}
			return true
		})
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no CLAVEBOT_ variable found in %s", dir)
	}
	return names, nil
}

// checkEnvName reports a CLAVEBOT_ variable the binary does not read.
func checkEnvName(t *testing.T, where, name string) {
	t.Helper()
	names, err := envNames()
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case names[name] && planned[name]:
		logPlanned(t, name, "%s is now in the binary: remove it from planned")
	case names[name]:
	case planned[name]:
		logPlanned(t, name, "%s is planned (FLAGS.md), not yet in the binary")
	default:
		t.Errorf("%s: clavebot reads no variable %s", where, name)
	}
}

var plannedLogged sync.Map

// logPlanned says once per run that a planned name is (or is no longer)
// missing from the binary.
func logPlanned(t *testing.T, name, format string) {
	t.Helper()
	if _, seen := plannedLogged.LoadOrStore(name, true); !seen {
		t.Logf(format, name)
	}
}

func TestBinaryChecksCanFail(t *testing.T) {
	if c := helpOf(t, []string{"serve"}); !c.known || !c.flags["http-addr"] || c.flags["whatsapp"] {
		t.Fatalf("serve -h: %+v, want known, --http-addr taking a value, --whatsapp a bool", c)
	}
	if c := helpOf(t, []string{"no-such-command"}); c.known {
		t.Fatal("an unknown command reads as known")
	}
	inv := invoke(t, "test", []string{"registry", "import", "--database-url", "x", "/import/citizens.jsonl"})
	if inv.command != "registry import" || len(inv.flags) != 1 || len(inv.positional) != 1 {
		t.Fatalf("invoke: %+v", inv)
	}
	names, err := envNames()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CLAVEBOT_DATABASE_URL", "CLAVEBOT_QUESTION_SECRET", "CLAVEBOT_TELEGRAM_WEBHOOK_SECRET"} {
		if !names[want] {
			t.Errorf("%s not found in cmd/clavebot", want)
		}
	}
	if names["CLAVEBOT_NO_SUCH_THING"] {
		t.Error("an unknown variable reads as known")
	}
}
