package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
)

//go:embed locales
var localesFS embed.FS

// Catalog holds the messages of every language. Each language is a folder
// under locales/ with one or more JSON files of flat key → text entries, so
// each area (dialog, faq, desk, channels) keeps its own file.
type Catalog struct {
	msgs map[Lang]map[Key]string
	loc  *time.Location // Argentina, where dates are shown
}

// Load reads the embedded catalogs.
func Load() (*Catalog, error) { return LoadFS(localesFS, "locales") }

// LoadFS reads catalogs from fsys under root; a key defined twice in one
// language is an error.
func LoadFS(fsys fs.FS, root string) (*Catalog, error) {
	c := &Catalog{msgs: map[Lang]map[Key]string{}, loc: argentina()}
	langs, err := fs.ReadDir(fsys, root)
	if err != nil {
		return nil, fmt.Errorf("read catalogs: %w", err)
	}
	for _, l := range langs {
		if !l.IsDir() {
			continue
		}
		lang := Lang(l.Name())
		c.msgs[lang] = map[Key]string{}
		files, err := fs.Glob(fsys, path.Join(root, l.Name(), "*.json"))
		if err != nil {
			return nil, fmt.Errorf("list catalog %s: %w", lang, err)
		}
		for _, f := range files {
			if err := c.loadFile(fsys, f, lang); err != nil {
				return nil, err
			}
		}
	}
	return c, nil
}

func (c *Catalog) loadFile(fsys fs.FS, name string, lang Lang) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("read catalog %s: %w", name, err)
	}
	entries, err := decodeEntries(data)
	if err != nil {
		return fmt.Errorf("parse catalog %s: %w", name, err)
	}
	for _, e := range entries {
		if _, dup := c.msgs[lang][Key(e[0])]; dup {
			return fmt.Errorf("catalog %s: key %q defined twice", name, e[0])
		}
		c.msgs[lang][Key(e[0])] = e[1]
	}
	return nil
}

// Langs lists the languages loaded.
func (c *Catalog) Langs() []Lang {
	var ls []Lang
	for l := range c.msgs {
		ls = append(ls, l)
	}
	sort.Slice(ls, func(i, j int) bool { return ls[i] < ls[j] })
	return ls
}

// Keys lists the keys of lang, sorted.
func (c *Catalog) Keys(lang Lang) []Key {
	var ks []Key
	for k := range c.msgs[lang] {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i] < ks[j] })
	return ks
}

// Has reports whether lang defines key.
func (c *Catalog) Has(lang Lang, key Key) bool {
	_, ok := c.msgs[lang][key]
	return ok
}

// Printer renders messages in one language, falling back to Spanish.
type Printer struct {
	lang Lang
	c    *Catalog
	loc  *time.Location
}

// Printer returns a printer for lang (Spanish when lang is not loaded).
func (c *Catalog) Printer(lang Lang) *Printer {
	if _, ok := c.msgs[lang]; !ok {
		lang = ES
	}
	return &Printer{lang: lang, c: c, loc: c.loc}
}

// argentina is the zone dates are shown in. Loading it reads the system's
// zone database, so it is done once per Catalog, not per Printer (the
// engine makes a Printer per language for every option it matches). Without
// a zone database, UTC-3 is right: Argentina has kept it all year since 2009.
func argentina() *time.Location {
	loc, err := time.LoadLocation("America/Argentina/Buenos_Aires")
	if err != nil {
		return time.FixedZone("ART", -3*60*60)
	}
	return loc
}

// Lang is the printer's language.
func (p *Printer) Lang() Lang { return p.lang }

// Sprint renders m. Placeholders are {name}; an argument that is itself a
// Message is rendered first, a time.Time is shown as a local date and hour.
// A missing key renders as the key itself, so a gap shows instead of a blank.
// A message counting one (an integer argument equal to 1) is rendered from
// the key's singular, KEY.one, where the language has it: "Te queda 1
// intento", not "Te quedan 1 intentos".
func (p *Printer) Sprint(m Message) string {
	if m.Key == "" {
		return m.Text
	}
	text, ok := p.lookup(m.Key + SingularSuffix)
	if !ok || !countsOne(m.Args) {
		text, ok = p.lookup(m.Key)
	}
	if !ok {
		return string(m.Key)
	}
	if len(m.Args) == 0 {
		return text
	}
	pairs := make([]string, 0, 2*len(m.Args))
	for name, v := range m.Args {
		pairs = append(pairs, "{"+name+"}", p.format(v))
	}
	return strings.NewReplacer(pairs...).Replace(text)
}

// SingularSuffix ends the key of a message's singular form.
const SingularSuffix = ".one"

func (p *Printer) lookup(k Key) (string, bool) {
	text, ok := p.c.msgs[p.lang][k]
	if !ok {
		text, ok = p.c.msgs[ES][k]
	}
	return text, ok
}

// countsOne reports whether an integer argument is 1.
func countsOne(args map[string]any) bool {
	for _, v := range args {
		switch v := v.(type) {
		case int:
			if v == 1 {
				return true
			}
		case int64:
			if v == 1 {
				return true
			}
		case float64: // read back from JSON
			if v == 1 {
				return true
			}
		}
	}
	return false
}

func (p *Printer) format(v any) string {
	switch v := v.(type) {
	case Message:
		return p.Sprint(v)
	case time.Time:
		v = v.In(p.loc)
		if p.lang == ES {
			return v.Format("02/01/2006 a las 15:04")
		}
		// The month in words: "05/12/2026" reads as May 12 to many
		// English readers (found by a probe).
		return v.Format("2 January 2006 at 15:04")
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}
