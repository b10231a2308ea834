package web

import (
	"html/template"
	"strings"

	"github.com/clavebot/clavebot/i18n"
)

// pagePrefix begins the keys of the page's own words, in the catalogue's
// deskpage.json: its templates print them, its scripts get them all.
const pagePrefix = "deskpage."

// texts renders the page's words in the desk's language.
type texts struct {
	p      *i18n.Printer
	script map[string]string // every key under pagePrefix, placeholders kept
}

func newTexts(c *i18n.Catalog, lang i18n.Lang) texts {
	p := c.Printer(lang)
	script := map[string]string{}
	for _, k := range c.Keys(i18n.ES) { // Spanish has every key
		if strings.HasPrefix(string(k), pagePrefix) {
			script[string(k)] = p.Sprint(i18n.M(k))
		}
	}
	return texts{p: p, script: script}
}

// say renders a key of the page with its arguments (name, value, ...).
func (t texts) say(key i18n.Key, kv ...any) string { return t.p.Sprint(i18n.M(key, kv...)) }

// funcs are the templates' functions: t prints a key, with its arguments.
func (t texts) funcs() template.FuncMap {
	return template.FuncMap{"t": func(key string, kv ...any) string { return t.say(i18n.Key(key), kv...) }}
}

// lang is the page's html lang.
func (t texts) lang() string { return string(t.p.Lang()) }
