package deploy

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// modulePath is the service's module; its packages' folders follow it.
const modulePath = "github.com/clavebot/clavebot"

// httpRoutes are the paths the service mounts, read from its source: the
// pattern of every X.Handle(pattern, ...) and X.HandleFunc(pattern, ...)
// call, a string literal or a constant of one of the module's packages,
// without its method ("GET /healthz" is "/healthz").
type httpRoutes struct {
	paths    []string
	telegram string // bot/telegram.WebhookPath
	whatsapp string // the WhatsApp Cloud webhook cmd/clavebot mounts
}

var routes = sync.OnceValues(func() (*httpRoutes, error) { return readRoutes(repoRoot) })

func readRoutes(root string) (*httpRoutes, error) {
	fset := token.NewFileSet()
	files := map[string][]*ast.File{} // folder, relative to root -> files
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "deploy") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(p))
		files[filepath.ToSlash(rel)] = append(files[filepath.ToSlash(rel)], f)
		return nil
	})
	if err != nil {
		return nil, err
	}
	consts := map[string]string{} // "folder.Name" -> value
	for dir, list := range files {
		for _, f := range list {
			for _, decl := range f.Decls {
				gd, ok := decl.(*ast.GenDecl)
				if !ok || gd.Tok != token.CONST {
					continue
				}
				for _, spec := range gd.Specs {
					vs := spec.(*ast.ValueSpec)
					for i, name := range vs.Names {
						if i < len(vs.Values) {
							if s, ok := stringLit(vs.Values[i]); ok {
								consts[dir+"."+name.Name] = s
							}
						}
					}
				}
			}
		}
	}
	r := &httpRoutes{telegram: consts["bot/telegram.WebhookPath"]}
	if r.telegram == "" {
		return nil, fmt.Errorf("no WebhookPath constant in bot/telegram")
	}
	for dir, list := range files {
		for _, f := range list {
			imports := importDirs(f)
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) < 2 {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok || (sel.Sel.Name != "Handle" && sel.Sel.Name != "HandleFunc") {
					return true
				}
				pattern, ok := stringLit(call.Args[0])
				if !ok {
					pattern, ok = constRef(call.Args[0], dir, imports, consts)
				}
				if !ok {
					return true
				}
				if _, p, found := strings.Cut(pattern, " "); found {
					pattern = p
				}
				r.paths = append(r.paths, pattern)
				if dir == "cmd/clavebot" && strings.HasPrefix(pattern, "/whatsapp/") {
					r.whatsapp = pattern
				}
				return true
			})
		}
	}
	if r.whatsapp == "" {
		return nil, fmt.Errorf("cmd/clavebot mounts no /whatsapp/ webhook")
	}
	return r, nil
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// importDirs maps a file's import names to the module's folders.
func importDirs(f *ast.File) map[string]string {
	m := map[string]string{}
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		dir, ok := strings.CutPrefix(p, modulePath+"/")
		if !ok {
			continue
		}
		name := path.Base(p)
		if imp.Name != nil {
			name = imp.Name.Name
		}
		m[name] = dir
	}
	return m
}

func constRef(e ast.Expr, dir string, imports, consts map[string]string) (string, bool) {
	switch e := e.(type) {
	case *ast.Ident:
		s, ok := consts[dir+"."+e.Name]
		return s, ok
	case *ast.SelectorExpr:
		pkg, ok := e.X.(*ast.Ident)
		if !ok || imports[pkg.Name] == "" {
			return "", false
		}
		s, ok := consts[imports[pkg.Name]+"."+e.Sel.Name]
		return s, ok
	}
	return "", false
}

// routed says whether a request path p (exact) or every path under p
// (prefix) reaches a mounted route.
func (r *httpRoutes) routed(p string, prefix bool) bool {
	for _, route := range r.paths {
		route = strings.TrimSuffix(route, "{$}")
		if prefix && (route == p || strings.HasPrefix(route, strings.TrimSuffix(p, "/")+"/")) {
			return true
		}
		if !prefix && matchPath(route, p) {
			return true
		}
	}
	return false
}

// matchPath matches a ServeMux pattern's path ({name} is one segment) to p.
func matchPath(pattern, p string) bool {
	ps, qs := strings.Split(pattern, "/"), strings.Split(p, "/")
	if len(ps) != len(qs) {
		return false
	}
	for i := range ps {
		if ps[i] != qs[i] && !(strings.HasPrefix(ps[i], "{") && strings.HasSuffix(ps[i], "}")) {
			return false
		}
	}
	return true
}

func TestRoutesAreReadFromTheSource(t *testing.T) {
	r, err := routes()
	if err != nil {
		t.Fatal(err)
	}
	if r.telegram != "/telegram/webhook" || r.whatsapp != "/whatsapp/webhook" {
		t.Errorf("webhooks %q and %q, want /telegram/webhook and /whatsapp/webhook", r.telegram, r.whatsapp)
	}
	tests := []struct {
		path   string
		prefix bool
		want   bool
	}{
		{"/healthz", false, true},
		{"/readyz", false, true},
		{"/telegram/webhook", false, true},
		{"/desk", true, true},
		{"/desk/", true, true},
		{"/v1/chat/abc/messages", false, true},
		{"/healthz/x", false, false},
		{"/nowhere", true, false},
		{"/telegram", false, false},
	}
	for _, tt := range tests {
		if got := r.routed(tt.path, tt.prefix); got != tt.want {
			t.Errorf("routed(%q, prefix %v) = %v, want %v", tt.path, tt.prefix, got, tt.want)
		}
	}
}
