package loadtest

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

func TestParseMix(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"create", "create=1", true},
		{"faq=2,create=3", "create=3,faq=2", true},
		{Realistic, Realistic, true},
		{"shop=1", "", false},
		{"create=x", "", false},
		{"create=-1", "", false},
	}
	for _, tt := range tests {
		m, err := ParseMix(tt.in)
		if (err == nil) != tt.ok || (tt.ok && m.String() != tt.want) {
			t.Errorf("ParseMix(%q) = %v, %v; want %q ok=%v", tt.in, m, err, tt.want, tt.ok)
		}
	}
}

func TestSummarize(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 1000; i++ {
		ds = append(ds, time.Duration(1001-i)*time.Millisecond)
	}
	l := summarize(ds)
	if l.N != 1000 || l.P50 != 501*time.Millisecond || l.P99 != 991*time.Millisecond || l.Max != time.Second {
		t.Errorf("summarize = %+v", l)
	}
	if summarize(nil) != (Latency{}) {
		t.Error("summarize of nothing is not zero")
	}
}

func TestScrapeSumsLabels(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "# HELP x\nclavebot_roundtrips_total{backend=\"redis\"} 120\nclavebot_roundtrips_total{backend=\"postgres\"} 7\nprocess_resident_memory_bytes 1.048576e+08\n")
	}))
	defer srv.Close()
	m, err := scrapeAll(context.Background(), srv.Client(), []string{srv.URL, srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if got := m.sum("clavebot_roundtrips_total", `backend="redis"`); got != 240 {
		t.Errorf("redis round trips over two serves = %v, want 240", got)
	}
	if got := m.sum("process_resident_memory_bytes"); got != 2*(1<<20)*100 {
		t.Errorf("RSS = %v", got)
	}
}

func TestTextsRecognizeTheBot(t *testing.T) {
	tx, err := NewTexts(i18n.ES)
	if err != nil {
		t.Fatal(err)
	}
	if why := tx.refused([]Reply{{Text: tx.Busy}}); why != "busy" {
		t.Errorf("the busy message read as %q", why)
	}
	if why := tx.refused([]Reply{{Text: tx.Unavailable}, {Text: "Escribí tu número de DNI."}}); why != "unavailable" {
		t.Errorf("an outage read as %q", why)
	}
	if why := tx.refused([]Reply{{Text: "hola"}}); why != "" {
		t.Errorf("a plain reply read as refused %q", why)
	}
	if e, ok := tx.expectOf("Escribí tu número de DNI.", nil); !ok || e != dialog.ExpectDNI {
		t.Errorf("the DNI prompt read as %q, %v", e, ok)
	}
	if _, ok := tx.expectOf("Algunos datos no coinciden con los de tu DNI.", nil); ok {
		t.Error("a message that is not a prompt ended the turn")
	}
	if e, ok := tx.expectOf("¿En qué provincia naciste?", []string{"Salta", "Jujuy"}); !ok || e != dialog.ExpectChoice {
		t.Errorf("a question with options read as %q, %v", e, ok)
	}
	var none string
	for o := range tx.None {
		none = o
	}
	for _, tt := range []struct {
		a       Action
		replies []Reply
		want    string
	}{
		{Action{Text: "1"}, []Reply{{Text: "¿En qué provincia naciste?", Options: []string{"Salta", "Jujuy", none}}}, kindQuestions},
		{Action{Text: "1"}, []Reply{{Text: "¿Qué querés hacer?", Options: []string{"Crear", "Recuperar"}}}, kindOther},
		{Action{Text: "Clave123", Secret: true}, []Reply{{Text: "Repetila."}}, kindKey},
	} {
		if got := tx.turnKind(tt.a, tt.replies); got != tt.want {
			t.Errorf("turn %+v answered %+v: kind %q, want %q", tt.a, tt.replies, got, tt.want)
		}
	}
}

func TestGenerateMakesValidDistinctCitizens(t *testing.T) {
	cs := Generate(2000, 9)
	seen := map[string]bool{}
	for _, c := range cs {
		if seen[string(c.CUIL)] {
			t.Fatalf("CUIL %s twice", c.CUIL)
		}
		seen[string(c.CUIL)] = true
	}
	if other := Generate(1, 10); seen[string(other[0].CUIL)] {
		t.Error("another seed gave a CUIL of this one")
	}
}

// TestKeysPassThePolicy: no generated person's key breaks a key rule (a
// weak key would send them back to the key step, read as an error).
func TestKeysPassThePolicy(t *testing.T) {
	cs := Generate(20_000, 3)
	lines := bytes.Split(bytes.TrimSpace(CitizensFile(cs)), []byte("\n"))
	p := registry.DefaultPolicy()
	for i, line := range lines {
		c, err := registry.DecodeCitizen(line)
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		for v := range 2 {
			if err := p.CheckKey(keyFor(i, v), c); err != nil {
				t.Fatalf("key %q of %+v: %v", keyFor(i, v), c, err)
			}
		}
	}
}
