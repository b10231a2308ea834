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
