package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clavebot/clavebot/i18n"

	"github.com/clavebot/clavebot/registry"
)

// The replica tests' people: generated citizens, each creating a key
// through the REST chat with what the registry knows of them.

var (
	firstNames = []string{"María", "Juan Carlos", "Ana", "Lucía Soledad", "Jorge", "Luz", "Martín", "Paula", "Ramón", "Gabriela", "Silvia", "Diego Alberto", "Carolina"}
	lastNames  = []string{"Gómez", "Pérez Ruiz", "López", "Fernández", "Benítez", "Acosta", "Ibáñez", "Quiroga", "Sosa", "Romero", "Medina Paz", "Herrera"}
	// An employer's name is a trade and a place: 128 names, so that no
	// name is the employer of more than a fifth of anyone's cohort, or the
	// registry would thin the question away (registry/distractors.go) and,
	// with no número de trámite, turn the person away (registry.CoverFor).
	trades   = []string{"Panificadora", "Metalúrgica", "Transportes", "Cooperativa Agrícola", "Textil", "Supermercados", "Constructora", "Frigorífico"}
	places   = []string{"del Centro", "Quilmes", "del Litoral", "Oeste", "Norte", "La Estrella", "Andina", "Pampeana", "del Sur", "Cuyana", "Patagónica", "Mesopotámica", "del Plata", "Serrana", "Riojana", "Salteña"}
	benefits = []string{"Asignación Universal por Hijo", "Asignación por Embarazo", "Prestación por Desempleo", "Progresar"}
)

// genCitizens returns n fictional citizens with valid CUILs, as a citizens
// file (CONTRACT §2).
func genCitizens(t *testing.T, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	for i, dni := 0, 30_000_000; i < n; dni++ {
		prefix := "20"
		if i%2 == 1 {
			prefix = "27"
		}
		first10 := prefix + strconv.Itoa(dni)
		check := registry.CheckDigit(first10)
		if check < 0 {
			continue
		}
		cuit := "30" + strconv.Itoa(70_000_000+i*7)
		for registry.CheckDigit(cuit) < 0 {
			cuit = "30" + strconv.Itoa(70_000_001+i*7)
		}
		line := map[string]any{
			"cuil":           first10 + strconv.Itoa(check),
			"dni":            strconv.Itoa(dni),
			"first_names":    firstNames[i%len(firstNames)],
			"last_names":     lastNames[(i/len(firstNames))%len(lastNames)],
			"birth_date":     time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i*53%18000).Format(time.DateOnly),
			"sex":            map[string]string{"20": "M", "27": "F"}[prefix],
			"dni_issue_date": time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i*31%3600).Format(time.DateOnly),
			"birth_province": registry.Provinces[i%len(registry.Provinces)],
			"employers": []map[string]string{{
				"name": trades[i%len(trades)] + " " + places[(i/len(trades))%len(places)] + " SA", "cuit": cuit + strconv.Itoa(registry.CheckDigit(cuit)),
				"from": fmt.Sprintf("%d-%02d", 2000+i%20, 1+i%12), "to": "",
			}},
		}
		if i%3 == 0 {
			line["benefits"] = []map[string]string{{"name": benefits[i%len(benefits)], "since": fmt.Sprintf("%d-%02d", 2010+i%10, 1+i%12)}}
		}
		raw, err := json.Marshal(line)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(append(raw, '\n'))
		i++
	}
	return b.Bytes()
}

// registryOf imports n generated citizens into the database at dbURL and
// returns them, each with the identity questions serve will ask (the same
// seed: CLAVEBOT_QUESTION_SECRET, or else the database URL).
func registryOf(t *testing.T, dbURL string, n int) []*person {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	db, svc, err := openRegistry(ctx, &config{DatabaseURL: dbURL}, log, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	file := genCitizens(t, n)
	if got, err := db.Import(ctx, bytes.NewReader(file), nil); err != nil || got.Citizens != n {
		t.Fatalf("import: %+v, %v", got, err)
	}
	var people []*person
	for i, line := range bytes.Split(bytes.TrimSpace(file), []byte("\n")) {
		c, err := registry.DecodeCitizen(line)
		if err != nil {
			t.Fatal(err)
		}
		qs, err := svc.Questions(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		people = append(people, &person{c: c, qs: qs, key: fmt.Sprintf("Ombu%02dxk", i%100) + consonants(i)})
	}
	return people
}

// consonants spells i in letters that make no name nor common word.
func consonants(i int) string {
	const abc = "bcdfghjkmnpqrstvwxz"
	s := ""
	for range 4 {
		s += string(abc[i%len(abc)])
		i /= len(abc)
	}
	return s
}

// person answers the create flow with their own data.
type person struct {
	c   *registry.Citizen
	qs  []registry.Question
	key string
}

// script is what the person types from "hola" to the confirmed key, and
// the step the bot should be at after each message.
func (p *person) script() (texts, expects []string) {
	c := p.c
	texts = []string{"hola", "1", c.CUIL.String(), c.FirstNames, c.LastNames, c.BirthDate.Format("02/01/2006"), c.DNI}
	expects = []string{"menu", "cuil", "first_names", "last_names", "birth_date", "dni", "choice"}
	for i, q := range p.qs {
		texts = append(texts, strconv.Itoa(q.Answer+1))
		if i < len(p.qs)-1 {
			expects = append(expects, "choice")
		}
	}
	texts = append(texts, p.key, p.key)
	expects = append(expects, "new_key", "confirm_key", "menu")
	return texts, expects
}

// restReply is one reply of POST /v1/chat.
type restReply struct {
	Text    string   `json:"text"`
	Options []string `json:"options"`
	Expect  string   `json:"expect"`
}

// lastExpect is what the bot waits for after replies ("" for none).
func lastExpect(rs []restReply) string {
	if len(rs) == 0 {
		return ""
	}
	return rs[len(rs)-1].Expect
}

// errReplicaGone is a turn whose replica did not answer: the message may
// be sent again, with its id, to another.
var errReplicaGone = errors.New("replica did not answer")

var chatClient = &http.Client{Timeout: 60 * time.Second}

// replicaToken is the replicas' --api-token: behind a load balancer, the
// REST chat and key verification are the portal's.
const replicaToken = "replica-test-token"

// post sends body to base+path with the replicas' token.
func post(ctx context.Context, url string, body []byte) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+replicaToken)
	return chatClient.Do(req)
}

// say sends one message of chat to the replica at base.
func say(ctx context.Context, base, chat, id, text string) ([]restReply, error) {
	body, _ := json.Marshal(map[string]string{"chat": chat, "id": id, "text": text})
	res, err := post(ctx, base+"/v1/chat", body)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errReplicaGone, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errReplicaGone, err)
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("POST /v1/chat: %d %s", res.StatusCode, raw)
	}
	var out struct{ Replies []restReply }
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, err
	}
	return out.Replies, nil
}

// fleet is the running replicas; turns go to one at random.
type fleet struct {
	mu      sync.Mutex
	rs      []*replica
	rand    *rand.Rand
	sorry   []string     // the bot's "try again" answers
	retried atomic.Int64 // messages sent again after one
}

func newFleet(t *testing.T, rs ...*replica) *fleet {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	pr := cat.Printer(i18n.ES)
	return &fleet{rs: rs, rand: rand.New(rand.NewPCG(1, 2)),
		sorry: []string{pr.Sprint(i18n.M("error.unavailable")), pr.Sprint(i18n.M("bot.error"))}}
}

// apologised reports whether the bot asked to try again (hashing
// saturated, a turn that outlived its lock on a starved machine): a
// person does, and so does the test.
func (f *fleet) apologised(rs []restReply) bool {
	for _, r := range rs {
		if slices.Contains(f.sorry, r.Text) {
			return true
		}
	}
	return false
}

// pick returns a running replica at random.
func (f *fleet) pick() *replica {
	f.mu.Lock()
	defer f.mu.Unlock()
	var alive []*replica
	for _, r := range f.rs {
		if r.alive() {
			alive = append(alive, r)
		}
	}
	if len(alive) == 0 {
		return nil
	}
	return alive[f.rand.IntN(len(alive))]
}

// turn sends a message to random replicas until one answers it: a replica
// that dies leaves the message unanswered, and the id makes a second
// delivery safe.
func (f *fleet) turn(ctx context.Context, chat, id, text string) ([]restReply, error) {
	for {
		r := f.pick()
		if r == nil {
			return nil, errors.New("no replica running")
		}
		rs, err := say(ctx, r.base, chat, id, text)
		if errors.Is(err, errReplicaGone) && ctx.Err() == nil {
			continue
		}
		return rs, err
	}
}

// createKey walks p through the create flow on chat, each message to a
// random replica, and checks the bot's step after each.
func (f *fleet) createKey(ctx context.Context, p *person, chat string) error {
	texts, _ := p.script()
	return f.walk(ctx, p, chat, 0, len(texts))
}

// walk sends messages from to to of p's script.
func (f *fleet) walk(ctx context.Context, p *person, chat string, from, to int) error {
	texts, expects := p.script()
	for i := from; i < to; i++ {
		text := texts[i]
		rs, err := f.turn(ctx, chat, "m"+strconv.Itoa(i), text)
		for try := 1; err == nil && f.apologised(rs) && try <= 5; try++ {
			f.retried.Add(1)
			time.Sleep(time.Duration(try) * 200 * time.Millisecond)
			rs, err = f.turn(ctx, chat, fmt.Sprintf("m%d-%d", i, try), text)
		}
		if err != nil {
			return fmt.Errorf("%s message %d: %w", chat, i, err)
		}
		if len(rs) == 0 {
			return fmt.Errorf("%s message %d: no reply", chat, i)
		}
		if got := lastExpect(rs); got != expects[i] {
			return fmt.Errorf("%s message %d (%s): bot waits for %q, want %q; said %q", chat, i, expectOf(texts[i], p), got, expects[i], rs[len(rs)-1].Text)
		}
	}
	return nil
}

// expectOf hides the key in failure messages.
func expectOf(text string, p *person) string {
	if text == p.key {
		return "the key"
	}
	return strconv.Quote(text)
}

// verify checks p's key with POST /v1/keys/verify on base.
func verify(t *testing.T, base string, p *person) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"cuil": string(p.c.CUIL), "key": p.key})
	res, err := post(context.Background(), base+"/v1/keys/verify", body)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(raw), `"ok"`) {
		t.Fatalf("verify %s: %d %s", p.c.CUIL.Masked(), res.StatusCode, raw)
	}
}
