package faq

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestClassifyLines(t *testing.T) {
	c := newClassifier(t)
	in := "me olvide la clave\r\ncuando cobro la auh\n\n\"comillas\" <y> & cosas\n"
	var out bytes.Buffer
	if err := ClassifyLines(c, strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	wantText := []string{"me olvide la clave", "cuando cobro la auh", "", `"comillas" <y> & cosas`}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != len(wantText) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(wantText), out.String())
	}
	for i, l := range lines {
		var got map[string]any
		if err := json.Unmarshal([]byte(l), &got); err != nil {
			t.Fatalf("line %d %q: %v", i+1, l, err)
		}
		if len(got) != 3 || got["text"] != wantText[i] {
			t.Errorf("line %d = %v, want text %q and three fields", i+1, got, wantText[i])
		}
		if s, ok := got["score"].(float64); !ok || s < 0 || s > 1 {
			t.Errorf("line %d: score %v", i+1, got["score"])
		}
	}
	if !strings.Contains(lines[0], `"intent":"key.recover"`) || !strings.Contains(lines[1], `"intent":"none"`) {
		t.Errorf("unexpected intents:\n%s", out.String())
	}
	if !strings.Contains(lines[3], `<y> &`) {
		t.Errorf("HTML escaped: %s", lines[3])
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestClassifyLinesWriteError(t *testing.T) {
	err := ClassifyLines(newClassifier(t), strings.NewReader("hola\n"), failWriter{})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("err = %v, want the writer's error", err)
	}
}

func TestExport(t *testing.T) {
	var out bytes.Buffer
	if err := Export(&out); err != nil {
		t.Fatal(err)
	}
	want := Examples()
	sc := bufio.NewScanner(&out)
	i := 0
	for ; sc.Scan(); i++ {
		var got Example
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&got); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if i >= len(want) || got != want[i] {
			t.Fatalf("line %d = %+v, want %+v", i+1, got, want[i])
		}
	}
	if i != len(want) {
		t.Errorf("exported %d examples, want %d", i, len(want))
	}
}

// A questions file saved by a Windows tool opens with a byte-order mark,
// and a line may be longer than any question: each input line still has
// its output line, in order, and the lines before a long one are not lost.
func TestClassifyLinesAsFilesCome(t *testing.T) {
	long := strings.Repeat("a", maxLine+10)
	tests := []struct {
		name       string
		in         string
		wantText   []string
		wantIntent []string
	}{
		{"byte-order mark", "\ufeffme olvide la clave\r\nhola\n", []string{"me olvide la clave", "hola"}, []string{"key.recover", "greeting"}},
		{"a line over the limit", "hola\n" + long + "\nme olvide la clave\n", []string{"hola", long[:maxLine], "me olvide la clave"}, []string{"greeting", "none", "key.recover"}},
		{"over the limit at the end", "hola\n" + long, []string{"hola", long[:maxLine]}, []string{"greeting", "none"}},
		{"at the limit", long[:maxLine-len("hola")] + "hola\r\nhola", []string{long[:maxLine-len("hola")] + "hola", "hola"}, []string{"greeting", "greeting"}},
		{"cut inside a character", long[:maxLine-1] + "ñ\nhola\n", []string{long[:maxLine-1], "hola"}, []string{"none", "greeting"}},
	}
	c := newClassifier(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := ClassifyLines(c, strings.NewReader(tt.in), &out); err != nil {
				t.Fatal(err)
			}
			var got []Line
			sc := bufio.NewScanner(&out)
			sc.Buffer(nil, 4*maxLine)
			for sc.Scan() {
				var l Line
				if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
					t.Fatalf("%q: %v", sc.Text(), err)
				}
				got = append(got, l)
			}
			if len(got) != len(tt.wantText) {
				t.Fatalf("%d lines out, want %d", len(got), len(tt.wantText))
			}
			for i, l := range got {
				if l.Text != tt.wantText[i] || l.Intent != tt.wantIntent[i] {
					t.Errorf("line %d: text %.40q intent %s, want %.40q %s", i+1, l.Text, l.Intent, tt.wantText[i], tt.wantIntent[i])
				}
			}
		})
	}
}
