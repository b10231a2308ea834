package main

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/registry"
)

func TestPoliciesAreConfigurable(t *testing.T) {
	t.Setenv("CLAVEBOT_KEY_LOCK", "1h")
	fs, cfg := newFlags("test", io.Discard)
	if err := parseConfig(fs, cfg, []string{"--key-min-len", "10", "--validation-max-failures", "5", "--idle-timeout", "30m"}); err != nil {
		t.Fatal(err)
	}
	want := registry.DefaultPolicy()
	want.KeyMinLen, want.Validation.Max, want.IdleTimeout, want.WrongKeys.For = 10, 5, 30*time.Minute, time.Hour
	if cfg.policy() != want {
		t.Fatalf("policy %+v, want %+v", cfg.policy(), want)
	}
	if (&config{}).policy() != registry.DefaultPolicy() {
		t.Fatal("a config without flags does not get the contract's defaults")
	}
	tests := [][]string{
		{"--key-min-len", "3"},
		{"--key-min-len", "12", "--key-max-len", "10"},
		{"--questions", "0"},
		{"--key-max-wrong", "0"},
		{"--idle-timeout", "5s"},
	}
	for _, args := range tests {
		fs, cfg := newFlags("test", io.Discard)
		var ee *exitError
		if err := parseConfig(fs, cfg, args); !errors.As(err, &ee) || ee.code != 2 || ee.msg == "" {
			t.Errorf("%v: err %v, want exit 2 with a message", args, err)
		}
	}
}

// A value of the environment that does not parse is refused as the same
// value given as a flag is, exit status 2, in one line naming the
// variable; a flag on the command line replaces it. It fell back to the
// default without a word: CLAVEBOT_KEY_LOCK=3600 (no unit) locked keys
// for 30 minutes, CLAVEBOT_WHATSAPP=si left WhatsApp off.
func TestMalformedEnvironmentIsAnError(t *testing.T) {
	tests := []struct {
		cmd              []string
		env, value, good string
		flag             string
	}{
		{[]string{"serve"}, "CLAVEBOT_KEY_LOCK", "3600", "1h", "--key-lock"},
		{[]string{"serve"}, "CLAVEBOT_QUESTIONS", "abc", "3", "--questions"},
		{[]string{"chat"}, "CLAVEBOT_KEY_MAX_WRONG", "x", "5", "--key-max-wrong"},
		{[]string{"chat"}, "CLAVEBOT_KEY_MIN_LEN", "8.5", "8", "--key-min-len"},
		{[]string{"key", "verify", "--cuil", "20314567898"}, "CLAVEBOT_VALIDATION_LOCK", "4 horas", "4h", "--validation-lock"},
		{[]string{"registry", "migrate"}, "CLAVEBOT_IDLE_TIMEOUT", "15", "15m", "--idle-timeout"},
		{[]string{"registry", "migrate"}, "CLAVEBOT_CHAT_LOCK_TTL", "30", "30s", "--chat-lock-ttl"},
		{[]string{"faq", "export"}, "CLAVEBOT_DATABASE_MAX_CONNS", "16x", "16", "--database-max-conns"},
		{[]string{"serve"}, "CLAVEBOT_DATABASE_STATEMENT_TIMEOUT", "5", "5s", "--database-statement-timeout"},
		{[]string{"serve"}, "CLAVEBOT_MAX_TURNS_IN_FLIGHT", "many", "64", "--max-turns-in-flight"},
		{[]string{"serve"}, "CLAVEBOT_GC_PERCENT", "200%", "200", "--gc-percent"},
		{[]string{"serve"}, "CLAVEBOT_WHATSAPP", "si", "false", "--whatsapp"},
		{[]string{"serve"}, "CLAVEBOT_DESK_SECURE_COOKIE", "maybe", "true", "--desk-secure-cookie"},
		{[]string{"agent", "list"}, "CLAVEBOT_LOG_LEVEL", "verbose", "debug", "--log-level"},
		{[]string{"retention"}, "CLAVEBOT_RETENTION", "garbage", "90d", "--retention"},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) {
			t.Setenv(tt.env, tt.value)
			var stderr strings.Builder
			err := NewMain(nil, io.Discard, &stderr).ParseFlags(tt.cmd)
			var ee *exitError
			if !errors.As(err, &ee) || ee.code != 2 || !strings.Contains(ee.msg, tt.env) || !strings.Contains(ee.msg, tt.value) ||
				strings.Contains(ee.msg, "\n") || stderr.Len() > 0 {
				t.Fatalf("%s=%s: err %v, stderr %q; want exit 2, one line naming the variable and its value", tt.env, tt.value, err, stderr.String())
			}
			args := append(append([]string{}, tt.cmd...), tt.flag+"="+tt.good)
			if err := NewMain(nil, io.Discard, io.Discard).ParseFlags(args); err != nil {
				t.Fatalf("%v with %s=%s: %v; want the flag to replace the variable", args, tt.env, tt.value, err)
			}
			t.Setenv(tt.env, tt.good)
			if err := NewMain(nil, io.Discard, io.Discard).ParseFlags(tt.cmd); err != nil {
				t.Fatalf("%s=%s: %v", tt.env, tt.good, err)
			}
		})
	}
}

// A switch of the environment reads the words people write for it.
func TestEnvironmentSwitches(t *testing.T) {
	for value, want := range map[string]bool{"1": true, "true": true, "YES": true, "on": true, "0": false, "false": false, "no": false, "Off": false} {
		t.Setenv("CLAVEBOT_WHATSAPP", value)
		m := NewMain(nil, io.Discard, io.Discard)
		if err := m.ParseFlags([]string{"serve"}); err != nil || m.Config.WhatsApp != want {
			t.Errorf("CLAVEBOT_WHATSAPP=%s: WhatsApp %v, err %v; want %v", value, m.Config.WhatsApp, err, want)
		}
	}
}

// TestEnvironmentOnlyInConfig: the environment is read in config.go alone
// (into config, when the flags are parsed); the rest of the command reads
// config. Every call that reads a variable is looked for in the package's
// other files.
func TestEnvironmentOnlyInConfig(t *testing.T) {
	readers := map[string]bool{
		"os.Getenv": true, "os.LookupEnv": true, "os.Environ": true, "syscall.Getenv": true,
		"env": true, "envVar": true, "ageFlag": true, ".envDefault": true, // a method

	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if name == "config.go" || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn := ""
			switch f := call.Fun.(type) {
			case *ast.Ident:
				fn = f.Name
			case *ast.SelectorExpr:
				fn = "." + f.Sel.Name
				if x, ok := f.X.(*ast.Ident); ok && !readers[fn] {
					fn = x.Name + "." + f.Sel.Name
				}
			}
			if readers[fn] {
				t.Errorf("%s: %s reads the environment outside config.go", fset.Position(call.Pos()), fn)
			}
			return true
		})
	}
	if checked < 10 {
		t.Fatalf("checked %d files: the test looks in the wrong directory", checked)
	}
}

// --lang (CLAVEBOT_LANG) names one of the languages that ship, however it
// is cased; any other is refused with exit status 2, not run in Spanish
// while the operator believes it set another language.
func TestLanguageIsOneThatShips(t *testing.T) {
	tests := []struct {
		env, flag string
		want      string // "" when refused
	}{
		{"", "", "es"},
		{"", "en", "en"},
		{"", "EN", "en"},
		{" En ", "", "en"},
		{"en", "es", "es"},
		{"", "fr", ""},
		{"es-AR", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.env+"/"+tt.flag, func(t *testing.T) {
			t.Setenv("CLAVEBOT_LANG", tt.env)
			if tt.env == "" {
				t.Setenv("CLAVEBOT_LANG", "es")
			}
			var args []string
			if tt.flag != "" {
				args = []string{"--lang", tt.flag}
			}
			fs, cfg := newFlags("test", io.Discard)
			err := parseConfig(fs, cfg, args)
			if tt.want == "" {
				var ee *exitError
				if !errors.As(err, &ee) || ee.code != 2 || !strings.Contains(ee.msg, "--lang") {
					t.Fatalf("err %v, want exit 2 naming --lang", err)
				}
				return
			}
			if err != nil || cfg.Lang != tt.want {
				t.Fatalf("lang %q, err %v; want %q", cfg.Lang, err, tt.want)
			}
		})
	}
}

// The least value each setting takes, refused below it, is in the README's
// configuration table, in the row of the flag: --idle-timeout 30s was
// refused ("at least 1m") while the table did not say so.
func TestREADMESaysTheMinimums(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		flag, below, least string
		said               string // in the flag's row of the table
	}{
		{"idle-timeout", "59s", "1m", "at least `1m`"},
		{"chat-lock-ttl", "999ms", "1s", "at least `1s`"},
		{"key-min-len", "5", "6", "`--key-min-len` at least 6"},
		{"key-max-len", "7", "8", "`--key-max-len` not below it"},
		{"questions", "0", "1", "1 to 4"},
		{"questions", "5", "4", "1 to 4"},
		{"validation-max-failures", "0", "1", "`--validation-max-failures` at least 1"},
		{"validation-lock", "0s", "1s", "`--validation-lock` more than 0"},
		{"validation-lock-max", "-1s", "0s", "not negative"},
		{"key-lock-max", "-1s", "0s", "not negative"},
		{"key-max-wrong", "0", "1", "`--key-max-wrong` at least 1"},
		{"key-lock", "0s", "1s", "`--key-lock` more than 0"},
		{"database-max-conns", "0", "1", "at least 1"},
		{"database-conn-lifetime", "-1s", "0s", "not negative"},
		{"database-statement-timeout", "-1s", "0s", "not negative"},
		{"max-turns-in-flight", "0", "1", "at least 1"},
		{"max-turns-running", "-1", "0", "0: all run"},
	}
	for _, tt := range tests {
		t.Run(tt.flag+"="+tt.below, func(t *testing.T) {
			var ee *exitError
			if err := NewMain(nil, io.Discard, io.Discard).ParseFlags([]string{"serve", "--" + tt.flag + "=" + tt.below}); !errors.As(err, &ee) || ee.code != 2 {
				t.Errorf("--%s=%s: %v, want it refused (exit 2)", tt.flag, tt.below, err)
			}
			if err := NewMain(nil, io.Discard, io.Discard).ParseFlags([]string{"serve", "--" + tt.flag + "=" + tt.least}); err != nil {
				t.Errorf("--%s=%s: %v, want it taken", tt.flag, tt.least, err)
			}
			if row := configRow(string(readme), tt.flag); !strings.Contains(row, tt.said) {
				t.Errorf("README's row of --%s does not say %q:\n%s", tt.flag, tt.said, row)
			}
		})
	}
	for flag, said := range map[string]string{
		"retention":       "at least `1d`",
		"audit-retention": "not shorter than `--retention`",
		"gc-percent":      "at least -1",
	} {
		if row := configRow(string(readme), flag); !strings.Contains(row, said) {
			t.Errorf("README's row of --%s does not say %q:\n%s", flag, said, row)
		}
	}
}

// configRow is the row of the README's configuration table whose first
// cell names --flag.
func configRow(readme, flag string) string {
	for _, l := range strings.Split(readme, "\n") {
		cells := strings.Split(l, "|")
		if len(cells) > 2 && strings.Contains(cells[1], "--"+flag+"`") {
			return l
		}
	}
	return ""
}
