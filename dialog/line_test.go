package dialog

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
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

// A line read back from the store, as a line or a turn entry, reads on
// the desk as it was said: a
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
				l := Line{At: at, From: "bot", Msg: tt.msg}
				for _, write := range []func([]byte) ([]byte, error){
					func(buf []byte) ([]byte, error) { return appendLine(buf, l) },
					func(buf []byte) ([]byte, error) { return appendEntry(buf, []Line{l}) },
				} {
					raw, err := write(nil)
					if err != nil {
						t.Fatal(err)
					}
					got, err := decodeEntry(raw)
					if err != nil || len(got) != 1 {
						t.Fatalf("%s read as %+v, %v", raw, got, err)
					}
					if want, have := p.Sprint(tt.msg), p.Sprint(got[0].Msg); have != want {
						t.Errorf("stored %s reads %q, was said %q", raw, have, want)
					}
				}
			})
		}
	}
}

// A turn written by appendEntry reads back as its lines would, each
// written as a line entry by encoding/json: the same senders, messages,
// arguments and texts in the same order, at the turn's time to the
// second. Each message is tried as the person's and as the bot's.
func TestEntryEncoding(t *testing.T) {
	at := time.Date(2026, 11, 24, 15, 4, 5, 123456789, time.UTC)
	msgs := entryTestMessages(at)
	tests := []struct {
		name  string
		lines []Line
	}{
		{"a turn", []Line{{At: at, From: "person", Msg: i18n.Raw("hola")}, {At: at, From: "bot", Msg: i18n.M("welcome")},
			{At: at, From: "bot", Msg: i18n.M("menu.ask")}}},
		{"the person alone", []Line{{At: at, From: "person", Msg: i18n.Raw("hola")}}},
		{"the bot alone (an agent's message)", []Line{{At: at, From: "bot", Msg: i18n.M("handoff.agent_message", "agent", "Ana", "text", "hola")}}},
	}
	for i, m := range msgs {
		tests = append(tests, struct {
			name  string
			lines []Line
		}{fmt.Sprintf("message %d", i), []Line{
			{At: at, From: "person", Msg: m}, {At: at, From: "bot", Msg: m}, {At: at, From: "bot", Msg: m},
		}}, struct {
			name  string
			lines []Line
		}{fmt.Sprintf("message %d, the bot alone", i), []Line{{At: at, From: "bot", Msg: m}}})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkEntry(t, tt.lines)
		})
	}
}

// checkEntry compares lines written as a turn, read back, with each
// written as a line entry by encoding/json and read back, its time to
// the second.
func checkEntry(t *testing.T, lines []Line) {
	t.Helper()
	if n := turnLen(lines); n != len(lines) {
		t.Fatalf("turnLen = %d, want all %d lines in one turn", n, len(lines))
	}
	raw, err := appendEntry(nil, lines)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(raw) {
		t.Fatalf("not JSON: %s", raw)
	}
	got, err := decodeEntry(raw)
	if err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	var want []Line
	for _, l := range lines {
		ref, err := json.Marshal(storedLine{At: l.At.Truncate(time.Second).UnixMilli(), From: l.From, Msg: l.Msg})
		if err != nil {
			t.Fatal(err)
		}
		w, err := decodeEntry(ref)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, w...)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("appendEntry wrote %s, read back as %+v; as lines, %+v", raw, got, want)
	}
}

// A turn is at most one message of the person, then the bot's, of one
// time; the lines of a state of the version before the transcript was
// kept apart, of several turns and times, make several.
func TestTurnLen(t *testing.T) {
	at := time.UnixMilli(1795532400123)
	person, bot := Line{At: at, From: "person"}, Line{At: at, From: "bot"}
	later := Line{At: at.Add(time.Millisecond), From: "bot"}
	agent := Line{At: at, From: "agent"}
	tests := []struct {
		lines []Line
		want  int
	}{
		{[]Line{person, bot, bot}, 3},
		{[]Line{person, bot, person, bot}, 2},
		{[]Line{person, person}, 1},
		{[]Line{bot, bot}, 2},
		{[]Line{bot, person}, 1},
		{[]Line{person, bot, later, bot}, 2},
		{[]Line{person, agent, bot}, 1},
		{[]Line{agent, bot}, 0},
	}
	for _, tt := range tests {
		if got := turnLen(tt.lines); got != tt.want {
			t.Errorf("turnLen(%+v) = %d, want %d", tt.lines, got, tt.want)
		}
	}
}

// Entries written by other hands (a Redis edited, a later version) that
// are not a turn nor a line are refused, not misread.
func TestEntryRefused(t *testing.T) {
	for _, raw := range []string{``, `[]`, `[1795532400]`, `["x","hola"]`, `[1795532400,"hola",["k","n"]]`,
		`[1795532400,"hola",["k",1,2]]`, `[1795532400,"hola",[true]]`, `[1795532400,"hola",true]`, `[1795532400,"hola"`, `{"a":"x"}`,
		`[1795532400,"hola",99999]`, `[1795532400,"hola",-1]`, `[1795532400,"hola",1.5]`, `[1795532400,"hola",[99999,"n",1]]`} {
		if got, err := decodeEntry([]byte(raw)); err == nil {
			t.Errorf("decodeEntry(%s) = %+v, want an error", raw, got)
		}
	}
}

func FuzzEntryEncoding(f *testing.F) {
	for _, s := range []string{"hola", "\"\\\n", "a\xffb", "Ñandú 👍", "\u2028<>&", "null", "1", "[", ""} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, text, arg string) {
		at := time.UnixMilli(1795532400123)
		checkEntry(t, []Line{
			{At: at, From: "person", Msg: i18n.Raw(text)},
			{At: at, From: "bot", Msg: i18n.M(i18n.Key(arg))},
			{At: at, From: "bot", Msg: i18n.M(i18n.Key(arg), arg, text, "n", len(text))},
			{At: at, From: "bot", Msg: i18n.Message{Key: i18n.Key(text), Text: arg}},
		})
		checkEntry(t, []Line{{At: at, From: "person", Msg: i18n.M(i18n.Key(text), "x", arg)}})
	})
}

// entryKeys only grows: a key's number, once written to a transcript,
// reads as that key in every later version; each is a key of the
// catalogs.
func TestEntryKeysOnlyGrow(t *testing.T) {
	raw, err := os.ReadFile("testdata/entry-keys.txt")
	if err != nil {
		t.Fatal(err)
	}
	frozen := strings.Fields(string(raw))
	if len(entryKeys) < len(frozen) {
		t.Fatalf("entryKeys has %d keys, testdata/entry-keys.txt %d: keys were removed", len(entryKeys), len(frozen))
	}
	for i, k := range frozen {
		if string(entryKeys[i]) != k {
			t.Errorf("entryKeys[%d] = %q, was %q: a transcript written before reads another key", i, entryKeys[i], k)
		}
	}
	if len(entryKeys) > len(frozen) {
		t.Errorf("entryKeys has %d new keys: append them to testdata/entry-keys.txt", len(entryKeys)-len(frozen))
	}
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range entryKeys {
		if !cat.Has(i18n.ES, k) {
			t.Errorf("entryKeys[%d] = %q is no key of the catalog", i, k)
		}
		if keyCode(k) != i {
			t.Errorf("entryKeys[%d] = %q is also entryKeys[%d]", i, k, keyCode(k))
		}
	}
}

// entryTestMessages are messages of every shape the compact encoding
// writes (entry.go), for the tests of what uses it.
func entryTestMessages(at time.Time) []i18n.Message {
	return []i18n.Message{
		i18n.Raw("mi cuil es 20-****6789-8, ¿sirve para la afip?"),
		i18n.M("ask.first_names"),
		i18n.M("transcript.hidden_key"),
		i18n.M("attempts.left", "n", 2, "cuil", "20-31456789-8"),
		i18n.M("offer.switch", "what", i18n.M("topic.handoff", "n", -1)),
		i18n.M("data.taken", "what", i18n.M("list.and", "head", i18n.M("field.birth_date"), "last", i18n.M("field.dni"))),
		i18n.M("lock.until", "until", at, "cuil", registry.CUIL("20314567898")),
		i18n.Raw("\"hola\"\\ \n\t\x00\x1f <b>&amp;</b> \u2028 [1,0] null"),
		i18n.Raw("a\xffb\xe2\x82c"),
		i18n.Raw("null"), i18n.Raw("1"), i18n.Raw(""), i18n.M("null"), i18n.M(""), i18n.M("0"),
		i18n.M(entryKeys[0]), i18n.M(entryKeys[len(entryKeys)-1], "n", 1), {Key: entryKeys[1], Text: "t"},
		{},
		{Key: "k", Text: "t", Args: map[string]any{"a": true, "f": 1.5}},
		{Key: "k", Args: map[string]any{"a": nil, "b": []any{"x", 1.5}, "c": map[string]any{"d": "e"}}},
		{Args: map[string]any{"a": "b"}},
		{Text: "the bot's raw text"},
	}
}

// TestReplayEncoding: replies kept for a repeated id (replay.go) read back
// as each message reads back from encoding/json, with their options, what
// the bot waits for and whether the message was a key.
func TestReplayEncoding(t *testing.T) {
	at := time.Date(2026, 11, 24, 15, 4, 5, 123456789, time.UTC)
	viaJSON := func(m i18n.Message) i18n.Message {
		t.Helper()
		raw, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var back i18n.Message
		if err := json.Unmarshal(raw, &back); err != nil {
			t.Fatal(err)
		}
		return back
	}
	msgs := entryTestMessages(at)
	for i, m := range msgs {
		for _, secret := range []bool{false, true} {
			res := Result{Secret: secret, Replies: []Reply{
				{Msg: i18n.M("welcome"), Expect: ExpectMenu},
				{Msg: m, Options: []i18n.Message{m, i18n.M("menu.create"), msgs[(i+1)%len(msgs)]}, Expect: Expect("x\"y")},
			}}
			raw, err := encodeReplay(res)
			if err != nil {
				t.Fatal(err)
			}
			got, err := decodeReplay(raw)
			if err != nil {
				t.Fatalf("message %d: %s: %v", i, raw, err)
			}
			want := Result{Secret: secret, Replies: []Reply{
				{Msg: i18n.M("welcome"), Expect: ExpectMenu},
				{Msg: viaJSON(m), Options: []i18n.Message{viaJSON(m), i18n.M("menu.create"), viaJSON(msgs[(i+1)%len(msgs)])}, Expect: Expect("x\"y")},
			}}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("message %d: encoded %s, read back as %+v; want %+v", i, raw, got, want)
			}
		}
	}
	if _, err := decodeReplay([]byte("[]")); err == nil {
		t.Error("empty replies read without error")
	}
}
