package main

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
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

// TestEnvironmentOnlyInConfig: the environment is read in config.go alone
// (into config, when the flags are parsed); the rest of the command reads
// config. Every call that reads a variable is looked for in the package's
// other files.
func TestEnvironmentOnlyInConfig(t *testing.T) {
	readers := map[string]bool{
		"os.Getenv": true, "os.LookupEnv": true, "os.Environ": true, "syscall.Getenv": true,
		"env": true, "envInt": true, "envDuration": true, "envBool": true, "ageFlag": true,
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
				if x, ok := f.X.(*ast.Ident); ok {
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
