package loadtest

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

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

// A machine reading sums the backends' processes by command name, and the
// share divides the difference of two readings over the turns.
func TestMachineShare(t *testing.T) {
	proc := func(stat string, procs map[string]string) string {
		root := t.TempDir()
		write := func(path, s string) {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		write(filepath.Join(root, "stat"), stat+"\ncpu0 1 2 3\n")
		for pid, line := range procs {
			write(filepath.Join(root, pid, "stat"), line)
		}
		write(filepath.Join(root, "self", "stat"), "not a pid")
		return root
	}
	// A /proc/PID/stat line as the kernel writes it (52 fields), with the
	// user and system time in 1/100 s.
	stat := func(pid int, comm string, utime, stime int) string {
		f := []string{strconv.Itoa(pid), "(" + comm + ")", "S", "1", strconv.Itoa(pid), strconv.Itoa(pid), "0", "-1", "4194560", "100", "0", "0", "0",
			strconv.Itoa(utime), strconv.Itoa(stime)}
		for len(f) < 52 {
			f = append(f, "0")
		}
		return strings.Join(f, " ") + "\n"
	}
	// user nice system idle iowait irq softirq steal, in 1/100 s.
	before := readMachine(proc("cpu  1000 0 500 300 0 0 100 0 0 0", map[string]string{
		"10": stat(10, "postgres", 200, 100),
		"11": stat(11, "redis-server", 50, 50),
		"12": stat(12, "odd ) name", 999, 999),
	}))
	after := readMachine(proc("cpu  2000 0 900 400 0 0 200 0 0 0", map[string]string{
		"10": stat(10, "postgres", 400, 200),
		"13": stat(13, "postgres", 100, 0),
		"11": stat(11, "redis-server", 100, 100),
	}))
	if !before.ok || !after.ok {
		t.Fatal("readings not taken")
	}
	// 16 s of machine time in 8 s of wall clock: 2 cores, 1 s of it idle.
	s := share(before, after, 8*time.Second, 1000, 5*time.Second, 2*time.Second)
	if !s.Measured || s.Cores != 2 || s.Idle != 1.0/16 {
		t.Fatalf("share = %+v", s)
	}
	want := map[string]time.Duration{"PostgreSQL": 4 * time.Millisecond, "Redis": time.Millisecond}
	if !reflect.DeepEqual(s.Backends, want) {
		t.Errorf("backends a turn = %v, want %v", s.Backends, want)
	}
	if s.Busy != 15*time.Millisecond || s.Serve != 5*time.Millisecond || s.Interrupt != time.Millisecond {
		t.Errorf("share = %+v", s)
	}
	got := s.String()
	if !strings.Contains(got, "15000 µs busy a turn (serve 5000, PostgreSQL 4000, Redis 1000, loadtest 2000, interrupts 1000, the rest 2000); 6% of 2 cores idle") {
		t.Errorf("line = %q", got)
	}
	if readMachine(t.TempDir()).ok {
		t.Error("a reading without /proc/stat")
	}
	if (MachineShare{}).String() != "not measured (no /proc)" {
		t.Error("an unmeasured share prints figures")
	}
}

// Forget deletes every key of the run's chats, the REST secrets kept
// under the client's chat id included, and nothing of other chats.
func TestForgetDeletesTheRunsKeys(t *testing.T) {
	m := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: m.Addr()})
	defer rdb.Close()
	ch, err := newREST(ChannelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mine := []string{"clavebot:chat:{rest:lt1-a}", "clavebot:transcript:{rest:lt1-a}", "clavebot:rest:secret:{lt1-a}", "clavebot:rest:secret:{lt1-b}",
		"clavebot:outbox:{rest}:meta:rest:lt1-a", "clavebot:outbox:{rest}:q:rest:lt1-b", "clavebot:limit:lt1-counted"}
	others := []string{"clavebot:chat:{rest:lt2-a}", "clavebot:rest:secret:{lt2-a}", "clavebot:chat:{telegram:lt1-a}", "clavebot:limit:x",
		"clavebot:outbox:{rest}:due", "clavebot:outbox:{rest}:meta:rest:lt2-a", "clavebot:outbox:{telegram}:meta:telegram:lt1-a"}
	for _, k := range append(slices.Clone(mine), others...) {
		m.Set(k, "v")
	}
	n, err := Forget(t.Context(), rdb, ch, []Person{{Chat: "lt1-a"}, {Chat: "lt1-b"}}, "clavebot:limit:lt1-counted")
	if err != nil || n != len(mine) {
		t.Errorf("Forget = %d, %v; want %d", n, err, len(mine))
	}
	for _, k := range mine {
		if m.Exists(k) {
			t.Errorf("%s left", k)
		}
	}
	for _, k := range others {
		if !m.Exists(k) {
			t.Errorf("%s deleted", k)
		}
	}
}
