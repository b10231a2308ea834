package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// dynamicPrefixes are the key prefixes the code completes at run time with
// an id, so a key under one of them is used when its remainder is an id
// found in the source (a string literal or a string constant).
var dynamicPrefixes = []string{
	"ask.",           // dialog/turn.go: "ask." + the Step being asked
	"question.",      // dialog/identity.go: "question." + registry question kind
	"question.none.", // dialog/identity.go: the "none" option of a question kind
	"question.hint.", // dialog/identity.go: where the answer to a question kind is found
	"key.rule.",      // dialog/keys.go: "key.rule." + the registry key rule broken
	"mismatch.",      // dialog/identity.go: "mismatch." + the registry mismatch cause
	"done.",          // dialog/keys.go: "done." + the Flow that stored a key
	"topic.",         // dialog/faq.go: "topic." + the Flow offered in offer.switch
	"faq.answer.",    // dialog/faq.go, dialog/trouble.go: "faq.answer." + intent id (dialog/faq/faq.go)
	"faq.topic.",     // dialog/faq.go: "faq.topic." + intent id, as an option label
	"trouble.",       // dialog/trouble.go: "trouble." + trouble topic id
	"telegram.cmd.",  // bot/telegram/commands.go: "telegram.cmd." + slash command
}

// shipped are the languages that must always load.
var shipped = []Lang{ES, EN}

func loadEmbedded(t *testing.T) *Catalog {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatalf("load embedded catalogs: %v", err)
	}
	return c
}

// keyFiles maps each embedded key to the files defining it, e.g.
// "es/faq.json", so a report says where to look.
func keyFiles(t *testing.T) map[Key][]string {
	t.Helper()
	files, err := fs.Glob(localesFS, "locales/*/*.json")
	if err != nil {
		t.Fatal(err)
	}
	out := map[Key][]string{}
	for _, f := range files {
		data, err := fs.ReadFile(localesFS, f)
		if err != nil {
			t.Fatal(err)
		}
		entries, err := decodeEntries(data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, e := range entries {
			out[Key(e[0])] = append(out[Key(e[0])], strings.TrimPrefix(f, "locales/"))
		}
	}
	return out
}

func allKeys(c *Catalog) []Key {
	var all []Key
	for _, l := range c.Langs() {
		all = append(all, c.Keys(l)...)
	}
	slices.Sort(all)
	return slices.Compact(all)
}

var placeholderRE = regexp.MustCompile(`\{[A-Za-z0-9_]+\}`)

// placeholders lists the distinct {names} of text, sorted.
func placeholders(text string) []string {
	ps := placeholderRE.FindAllString(text, -1)
	slices.Sort(ps)
	return slices.Compact(ps)
}

func TestEveryLocaleHasEveryKey(t *testing.T) {
	c := loadEmbedded(t)
	for _, l := range shipped {
		if !slices.Contains(c.Langs(), l) {
			t.Errorf("language %q does not ship: langs %v", l, c.Langs())
		}
	}
	all, where := allKeys(c), keyFiles(t)
	for _, l := range c.Langs() {
		t.Run(string(l)+"/keys", func(t *testing.T) {
			var missing []string
			for _, k := range all {
				if !c.Has(l, k) {
					missing = append(missing, string(k)+"  (defined in "+strings.Join(where[k], ", ")+")")
				}
			}
			if len(missing) > 0 {
				t.Errorf("%s lacks %d keys:\n  %s", l, len(missing), strings.Join(missing, "\n  "))
			}
		})
		if l == ES {
			continue
		}
		t.Run(string(l)+"/placeholders", func(t *testing.T) {
			for _, k := range c.Keys(l) {
				es, ok := c.msgs[ES][k]
				if !ok {
					continue // reported as missing above
				}
				if want, got := placeholders(es), placeholders(c.msgs[l][k]); !slices.Equal(want, got) {
					t.Errorf("%s: es has placeholders %v, %s has %v", k, want, l, got)
				}
			}
		})
	}
}

func TestNoUnusedEntries(t *testing.T) {
	c := loadEmbedded(t)
	ids := sourceStrings(t, moduleRoot(t))
	where := keyFiles(t)
	var unused []string
	for _, k := range allKeys(c) {
		if !keyUsed(string(k), ids) {
			unused = append(unused, string(k)+"  ("+strings.Join(where[k], ", ")+")")
		}
	}
	if len(unused) > 0 {
		t.Errorf("%d catalog keys are not used in the module's Go source:\n  %s", len(unused), strings.Join(unused, "\n  "))
	}
}

func TestKeyUsed(t *testing.T) {
	ids := map[string]bool{"menu.ask": true, "create": true, "key.what": true, "none.benefit": true}
	tests := []struct {
		key  string
		want bool
	}{
		{"menu.ask", true},
		{"done.create", true},
		{"faq.answer.key.what", true},
		{"question.none.benefit", true},
		{"menu.create", false},    // "menu." is not a dynamic prefix
		{"done.recover", false},   // no such id
		{"faq.answer.key", false}, // the remainder must be a whole id
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			if got := keyUsed(tt.key, ids); got != tt.want {
				t.Errorf("keyUsed(%q) = %v, want %v", tt.key, got, tt.want)
			}
		})
	}
}

func keyUsed(key string, ids map[string]bool) bool {
	key = strings.TrimSuffix(key, SingularSuffix) // used where its plural is
	if ids[key] {
		return true
	}
	for _, p := range dynamicPrefixes {
		if rest, ok := strings.CutPrefix(key, p); ok && ids[rest] {
			return true
		}
	}
	return false
}

// moduleRoot walks up from the package directory to go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the package directory")
		}
		dir = parent
	}
}

// sourceScan gathers the strings of the module's non-test Go files: every
// string literal, and every string constant, whose value may be built
// (const a = prefix + "x").
type sourceScan struct {
	files  int
	strs   map[string]bool
	consts map[string]ast.Expr // "dir\x00name" → the constant's expression
}

func sourceStrings(t *testing.T, root string) map[string]bool {
	t.Helper()
	s := &sourceScan{strs: map[string]bool{}, consts: map[string]ast.Expr{}}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && skipDir(p, d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(p, ".js") || strings.HasSuffix(p, ".html") {
			return s.page(p)
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		s.files++
		s.file(filepath.Dir(p), f)
		return nil
	})
	if err != nil {
		t.Fatalf("scan Go source: %v", err)
	}
	if s.files == 0 {
		t.Fatalf("scan Go source: no Go files under %s", root)
	}
	s.resolve()
	return s.strs
}

// resolve adds the value of every string constant to the strings found.
func (s *sourceScan) resolve() {
	for name, e := range s.consts {
		dir, _, _ := strings.Cut(name, "\x00")
		if v, ok := s.eval(dir, e, map[string]bool{}); ok {
			s.strs[v] = true
		}
	}
}

// skipDir leaves out what the go command ignores and nested modules.
func skipDir(p, name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "vendor" {
		return true
	}
	_, err := os.Stat(filepath.Join(p, "go.mod"))
	return err == nil
}

// pageKey is a key as a page's script or template names it, in double
// quotes: t("deskpage.take"), {{t "deskpage.title"}}.
var pageKey = regexp.MustCompile(`"([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)"`)

// page gathers the keys an embedded page (the desk's) names: its texts
// are rendered by the server or sent to its scripts, never in Go literals.
func (s *sourceScan) page(p string) error {
	data, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	for _, m := range pageKey.FindAllSubmatch(data, -1) {
		s.strs[string(m[1])] = true
	}
	return nil
}

func (s *sourceScan) file(dir string, f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BasicLit:
			if v, err := strconv.Unquote(n.Value); n.Kind == token.STRING && err == nil {
				s.strs[v] = true
			}
		case *ast.GenDecl:
			if n.Tok == token.CONST {
				s.constDecl(dir, n)
			}
		}
		return true
	})
}

func (s *sourceScan) constDecl(dir string, d *ast.GenDecl) {
	for _, spec := range d.Specs {
		vs := spec.(*ast.ValueSpec)
		for i, name := range vs.Names {
			if i < len(vs.Values) {
				s.consts[dir+"\x00"+name.Name] = vs.Values[i]
			}
		}
	}
}

// eval computes a constant string expression: literals, concatenations,
// conversions such as Flow("create"), and other constants of the package.
func (s *sourceScan) eval(dir string, e ast.Expr, seen map[string]bool) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		v, err := strconv.Unquote(e.Value)
		return v, e.Kind == token.STRING && err == nil
	case *ast.ParenExpr:
		return s.eval(dir, e.X, seen)
	case *ast.BinaryExpr:
		a, okA := s.eval(dir, e.X, seen)
		b, okB := s.eval(dir, e.Y, seen)
		return a + b, e.Op == token.ADD && okA && okB
	case *ast.CallExpr:
		if len(e.Args) == 1 {
			return s.eval(dir, e.Args[0], seen)
		}
	case *ast.Ident:
		name := dir + "\x00" + e.Name
		x, ok := s.consts[name]
		if !ok || seen[name] {
			return "", false
		}
		seen[name] = true
		defer delete(seen, name)
		return s.eval(dir, x, seen)
	}
	return "", false
}

func TestSourceScanConstants(t *testing.T) {
	src := `package p
const prefix = "faq."
const (
	a      = prefix + "built"
	b Flow = Flow("conv")
	c      = (a + ".x")
	loop   = loop + "y"
)
var v = "plain"
`
	f, err := parser.ParseFile(token.NewFileSet(), "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	s := &sourceScan{strs: map[string]bool{}, consts: map[string]ast.Expr{}}
	s.file("p", f)
	s.resolve()
	for _, want := range []string{"faq.", "built", "faq.built", "conv", "faq.built.x", "plain"} {
		if !s.strs[want] {
			t.Errorf("scan misses %q; found %v", want, s.strs)
		}
	}
}

// printerFS is a small catalog for the printer's tests.
var printerFS = fstest.MapFS{
	"locales/es/a.json": {Data: []byte(`{
		"greet": "Hola, {name}.",
		"when": "Turno: {t}",
		"outer": "Dijo: {inner}",
		"count": "Quedan {n} de {total}",
		"only.es": "Solo en español"
	}`)},
	"locales/en/a.json": {Data: []byte(`{
		"greet": "Hi, {name}.",
		"when": "Appointment: {t}",
		"outer": "Said: {inner}",
		"count": "{n} of {total} left"
	}`)},
	"locales/en/README.md": {Data: []byte("not a catalog")},
}

func TestPrinter(t *testing.T) {
	c, err := LoadFS(printerFS, "locales")
	if err != nil {
		t.Fatalf("LoadFS: %v", err)
	}
	at := time.Date(2026, 11, 24, 19, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		lang Lang
		msg  Message
		want string
	}{
		{"placeholder es", ES, M("greet", "name", "Ana"), "Hola, Ana."},
		{"placeholder en", EN, M("greet", "name", "Ana"), "Hi, Ana."},
		{"numbers", EN, M("count", "n", 2, "total", 3), "2 of 3 left"},
		{"nested message es", ES, M("outer", "inner", M("greet", "name", "Ana")), "Dijo: Hola, Ana."},
		{"nested message en", EN, M("outer", "inner", M("greet", "name", "Ana")), "Said: Hi, Ana."},
		{"nested raw", EN, M("outer", "inner", Raw("Córdoba")), "Said: Córdoba"},
		{"argument not expanded again", ES, M("outer", "inner", "{inner}"), "Dijo: {inner}"},
		{"time es in Argentina", ES, M("when", "t", at), "Turno: 24/11/2026 a las 16:00"},
		{"time en in Argentina", EN, M("when", "t", at), "Appointment: 24 November 2026 at 16:00"},
		{"time crossing midnight", ES, M("when", "t", time.Date(2026, 1, 2, 1, 30, 0, 0, time.UTC)), "Turno: 01/01/2026 a las 22:30"},
		{"en falls back to es", EN, M("only.es"), "Solo en español"},
		{"absent everywhere", EN, M("no.such.key", "x", 1), "no.such.key"},
		{"raw as is", EN, Raw("Precio: {name} 100%"), "Precio: {name} 100%"},
		{"unknown language is es", Lang("fr"), M("greet", "name", "Ana"), "Hola, Ana."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Printer(tt.lang).Sprint(tt.msg); got != tt.want {
				t.Errorf("Sprint = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPrinterLang(t *testing.T) {
	c, err := LoadFS(printerFS, "locales")
	if err != nil {
		t.Fatalf("LoadFS: %v", err)
	}
	for lang, want := range map[Lang]Lang{ES: ES, EN: EN, "fr": ES} {
		if got := c.Printer(lang).Lang(); got != want {
			t.Errorf("Printer(%q).Lang() = %q, want %q", lang, got, want)
		}
	}
}

func TestLoadFS(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		wantErr string // "" when loading must succeed
	}{
		{"same key in two languages", map[string]string{"es/a.json": `{"k":"uno"}`, "en/a.json": `{"k":"one"}`}, ""},
		{"empty catalog", map[string]string{"es/a.json": `{}`}, ""},
		{"key twice in two files", map[string]string{"es/a.json": `{"k":"uno"}`, "es/b.json": `{"k":"dos"}`}, "defined twice"},
		{"key twice in one file", map[string]string{"es/a.json": `{"k":"uno","j":"x","k":"dos"}`}, "defined twice"},
		{"invalid JSON", map[string]string{"es/a.json": `{"k":"uno",`}, "parse catalog"},
		{"truncated", map[string]string{"es/a.json": `{"k":"uno"`}, "parse catalog"},
		{"not an object", map[string]string{"es/a.json": `["k","uno"]`}, "parse catalog"},
		{"nested value", map[string]string{"es/a.json": `{"k":{"j":"uno"}}`}, "parse catalog"},
		{"number value", map[string]string{"es/a.json": `{"k":1}`}, "parse catalog"},
		{"data after the object", map[string]string{"es/a.json": `{"k":"uno"} {}`}, "parse catalog"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, data := range tt.files {
				fsys[path.Join("locales", name)] = &fstest.MapFile{Data: []byte(data)}
			}
			_, err := LoadFS(fsys, "locales")
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("LoadFS: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("LoadFS error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestLoadFSMissingRoot(t *testing.T) {
	if _, err := LoadFS(fstest.MapFS{}, "locales"); err == nil {
		t.Fatal("LoadFS of a missing root: no error")
	}
}

func TestLoadFSKeepsEntries(t *testing.T) {
	fsys := fstest.MapFS{
		"locales/es/a.json": {Data: []byte(`{"a":"1","b":"2"}`)},
		"locales/es/b.json": {Data: []byte(`{"c":"3"}`)},
		"locales/en/a.json": {Data: []byte(`{"a":"one"}`)},
	}
	c, err := LoadFS(fsys, "locales")
	if err != nil {
		t.Fatalf("LoadFS: %v", err)
	}
	if got, want := c.Langs(), []Lang{EN, ES}; !slices.Equal(got, want) {
		t.Errorf("Langs = %v, want %v", got, want)
	}
	if got, want := c.Keys(ES), []Key{"a", "b", "c"}; !slices.Equal(got, want) {
		t.Errorf("Keys(es) = %v, want %v", got, want)
	}
	if !c.Has(EN, "a") || c.Has(EN, "b") {
		t.Errorf("Has(en): a=%v b=%v, want true false", c.Has(EN, "a"), c.Has(EN, "b"))
	}
}

// A message counting one reads in the singular where the language has it.
func TestSingular(t *testing.T) {
	c := loadEmbedded(t)
	tests := []struct {
		lang Lang
		m    Message
		want string
	}{
		{ES, M("attempts.left", "n", 1), "Te queda 1 intento antes"},
		{ES, M("attempts.left", "n", 2), "Te quedan 2 intentos antes"},
		{ES, M("attempts.left", "n", float64(1)), "Te queda 1 intento antes"}, // a transcript line read back
		{ES, M("idle.restart", "minutes", 1), "Pasó más de 1 minuto sin"},
		{ES, M("idle.restart", "minutes", 15), "Pasaron más de 15 minutos sin"},
		{ES, M("questions.intro", "n", 1), "te hago 1 pregunta para"},
		{ES, M("change.wrong_key", "n", 1), "Te queda 1 intento antes"},
		{EN, M("attempts.left", "n", 1), "You have 1 attempt left"},
		{EN, M("questions.intro", "n", 3), "ask you 3 questions"},
		{ES, M("question.employer", "n", 1, "total", 3), "Pregunta 1 de 3"}, // no singular: as written
	}
	for _, tt := range tests {
		if got := c.Printer(tt.lang).Sprint(tt.m); !strings.Contains(got, tt.want) {
			t.Errorf("%s %s %v = %q, want it to hold %q", tt.lang, tt.m.Key, tt.m.Args, got, tt.want)
		}
	}
}
