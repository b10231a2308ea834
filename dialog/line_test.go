package dialog

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// A transcript line written by appendLine reads back as encoding/json
// would have written it: the same message, arguments and text, and the
// time to the millisecond.
func TestLineEncoding(t *testing.T) {
	at := time.Date(2026, 11, 24, 15, 4, 5, 123456789, time.FixedZone("ART", -3*3600))
	tests := []struct {
		name string
		line Line
	}{
		{"person's text", Line{At: at, From: "person", Msg: i18n.Raw("mi cuil es 20-****6789-8, ¿sirve para la afip?")}},
		{"key", Line{At: at, From: "bot", Msg: i18n.M("ask.first_names")}},
		{"hidden key", Line{At: at, From: "person", Msg: i18n.M("transcript.hidden_key")}},
		{"arguments", Line{At: at, From: "bot", Msg: i18n.M("attempts.left", "n", 2, "cuil", "20-31456789-8")}},
		{"nested message", Line{At: at, From: "bot", Msg: i18n.M("offer.switch", "what", i18n.M("topic.handoff", "n", -1))}},
		{"date and named type", Line{At: at, From: "bot", Msg: i18n.M("lock.until", "until", at, "cuil", registry.CUIL("20314567898"))}},
		{"quotes, controls, HTML", Line{At: at, From: "person", Msg: i18n.Raw("\"hola\"\\ \n\t\x00\x1f <b>&amp;</b> \u2028")}},
		{"invalid UTF-8", Line{At: at, From: "person", Msg: i18n.Raw("a\xffb\xe2\x82c")}},
		{"emoji and accents", Line{At: at, From: "person", Msg: i18n.Raw("Ñandú 👍🏽 ü")}},
		{"empty", Line{At: time.UnixMilli(0), From: "", Msg: i18n.Message{}}},
		{"key and text", Line{At: at, From: "bot", Msg: i18n.Message{Key: "k", Text: "t", Args: map[string]any{"a": true, "f": 1.5}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkLine(t, tt.line)
		})
	}
}

// checkLine compares what appendLine and encoding/json write for l, as
// read back.
func checkLine(t *testing.T, l Line) {
	t.Helper()
	raw, err := appendLine(nil, l)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(raw) {
		t.Fatalf("not JSON: %s", raw)
	}
	got, err := decodeLine(raw)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := json.Marshal(storedLine{At: l.At.UnixMilli(), From: l.From, Msg: l.Msg})
	if err != nil {
		t.Fatal(err)
	}
	want, err := decodeLine(ref)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) || !got.At.Equal(l.At.Truncate(time.Millisecond)) {
		t.Errorf("appendLine wrote %s, read back as %+v; encoding/json's %s reads %+v", raw, got, ref, want)
	}
}

func FuzzLineEncoding(f *testing.F) {
	for _, s := range []string{"hola", "\"\\\n", "a\xffb", "Ñandú 👍", "\u2028<>&"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, text, arg string) {
		at := time.UnixMilli(1795532400123)
		checkLine(t, Line{At: at, From: "person", Msg: i18n.Raw(text)})
		checkLine(t, Line{At: at, From: "bot", Msg: i18n.M(i18n.Key(arg), arg, text, "n", len(text))})
	})
}

// A line read back from the store reads on the desk as it was said: a
// message within a message ("Anoté tu fecha de nacimiento y tu DNI") and a
// date ("hasta el 24/11/2026 a las 15:04") come back as such, not as the
// map or the RFC 3339 text encoding/json leaves of them.
func TestLineReadsAsSaid(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 24, 18, 4, 0, 0, time.UTC)
	tests := []struct {
		name string
		msg  i18n.Message
	}{
		{"data taken, two", i18n.M("data.taken", "what", i18n.M("list.and", "head", i18n.M("field.birth_date"), "last", i18n.M("field.dni")))},
		{"data taken, three", i18n.M("data.taken", "what", i18n.M("list.and", "head", i18n.M("list.comma", "head", i18n.M("field.first_names"), "last", i18n.M("field.last_names")), "last", i18n.M("field.dni")))},
		{"a date", i18n.M("validation.busy", "until", at)},
		{"a number", i18n.M("attempts.left", "n", 2)},
	}
	for _, lang := range []i18n.Lang{i18n.ES, i18n.EN} {
		p := cat.Printer(lang)
		for _, tt := range tests {
			t.Run(string(lang)+"/"+tt.name, func(t *testing.T) {
				raw, err := appendLine(nil, Line{At: at, From: "bot", Msg: tt.msg})
				if err != nil {
					t.Fatal(err)
				}
				got, err := decodeLine(raw)
				if err != nil {
					t.Fatal(err)
				}
				if want, have := p.Sprint(tt.msg), p.Sprint(got.Msg); have != want {
					t.Errorf("stored %s reads %q, was said %q", raw, have, want)
				}
			})
		}
	}
}
