package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot/telegram/telegramtest"
	"github.com/clavebot/clavebot/bot/whatsapp/cloud/graphtest"
	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/redisstore"
	"github.com/clavebot/clavebot/internal/testenv"
)

// TestSameWebhookOnTwoReplicas: Meta posts a message's webhook again when
// it thinks the first failed, and behind a load balancer the two posts
// may reach two replicas at the same instant. Each message of a person's
// whole create flow, the key's confirmation included, is posted to both
// replicas at once: the person must get what a person whose messages came
// once got, the key stored once, the audit trail the same.
func TestSameWebhookOnTwoReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("starts serve processes")
	}
	bin := buildClavebot(t)
	rdb := testenv.Redis(t)
	d := newDeployment(t, bin, serveRedis(t), rdb, 2)
	forgetLimits(t, d)
	g := graphtest.New()
	t.Cleanup(g.Close)
	args := cloudServeArgs(g)
	rs := d.start(t, args, "a", "b")
	g.SetWebhook(rs[0].base + "/whatsapp/webhook")

	// walk posts p's script, each message to the replicas in to at once,
	// and waits for its answer before the next.
	walk := func(p *person, to []*replica) string {
		t.Helper()
		number := fmt.Sprintf("54911%08d", rand.IntN(1e8))
		t.Cleanup(func() { testenv.DeleteKeys(context.Background(), rdb, "*"+number+"*") })
		// The person writes first through Meta, which opens their window.
		if _, st, err := g.Text(number, "hola"); err != nil || st != http.StatusOK {
			t.Fatalf("hola: %d, %v", st, err)
		}
		waitUntil(t, "the first answer", func() bool { return len(g.Texts(number)) > 0 })
		texts, _ := p.script()
		texts = append(texts, "hola")
		for i, text := range texts {
			before := len(g.Texts(number))
			body := graphtest.Payload(g.PhoneNumberID, g.DisplayNumber,
				[]map[string]any{graphtest.TextMessage(number, "wamid.dup-"+number+"-"+strconv.Itoa(i), text, time.Now())}, nil)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for _, r := range to {
				wg.Go(func() {
					<-start
					st, err := graphtest.PostWebhook(context.Background(), http.DefaultClient, r.base+"/whatsapp/webhook", g.AppSecret, body)
					if err != nil || st != http.StatusOK {
						t.Errorf("message %d to %s: %d, %v", i, r.name, st, err)
					}
				})
			}
			close(start)
			wg.Wait()
			waitUntil(t, fmt.Sprintf("message %d's answer", i), func() bool { return len(g.Texts(number)) > before })
		}
		// One message more to each replica, in the chat's lane behind any
		// duplicate still there: once both are answered, every duplicate
		// has had its turn.
		menus := func() int {
			return len(slices.DeleteFunc(g.Texts(number), func(s string) bool { return !strings.Contains(s, "Qué necesitás") }))
		}
		waitUntil(t, "the last message's menu", func() bool { return menus() == 3 })
		for j, r := range rs {
			before := menus()
			body := graphtest.Payload(g.PhoneNumberID, g.DisplayNumber,
				[]map[string]any{graphtest.TextMessage(number, "wamid.last-"+number+"-"+strconv.Itoa(j), "hola", time.Now())}, nil)
			if st, err := graphtest.PostWebhook(context.Background(), http.DefaultClient, r.base+"/whatsapp/webhook", g.AppSecret, body); err != nil || st != http.StatusOK {
				t.Fatalf("last message to %s: %d, %v", r.name, st, err)
			}
			waitUntil(t, "the last message's answer", func() bool { return menus() > before })
		}
		return number
	}
	once, twice := d.people[0], d.people[1]
	onceTexts := g.Texts(walk(once, rs[:1]))
	twiceTexts := g.Texts(walk(twice, rs))
	checkOnceAndTwice(t, d, rs, "message", once, twice, onceTexts, twiceTexts)
}

// checkOnceAndTwice compares the person twice, whose every message
// reached both replicas at once, with the person once, whose messages
// came once: what the bot said to each, the keys stored and the audit
// trail. The questions and the CUIL differ between the two people: the
// number of messages, and the key's creation said once, do not.
func checkOnceAndTwice(t *testing.T, d *deployment, rs []*replica, what string, once, twice *person, onceTexts, twiceTexts []string) {
	t.Helper()
	created := func(texts []string) int {
		return len(slices.DeleteFunc(slices.Clone(texts), func(s string) bool { return !strings.Contains(s, "quedó creada") }))
	}
	if len(twiceTexts) != len(onceTexts) || created(twiceTexts) != 1 {
		t.Errorf("every %s posted to both replicas: the bot said\n%q\nonce each:\n%q", what, twiceTexts, onceTexts)
	}
	verify(t, rs[1].base, twice)
	if got := keysSet(t, d.dbURL); got != 2 {
		t.Errorf("%d keys stored for 2 people", got)
	}
	onceAudit, twiceAudit := auditOf(t, d.dbURL, string(once.c.CUIL)), auditOf(t, d.dbURL, string(twice.c.CUIL))
	if !slices.Equal(onceAudit, twiceAudit) {
		t.Errorf("audit of the person whose %ss came twice: %q; once: %q", what, twiceAudit, onceAudit)
	}
	t.Logf("every %s posted to both replicas at once: the bot said %d messages, as to a person whose %ss came once (%d); audit %q", what, len(twiceTexts), what, len(onceTexts), twiceAudit)
	logSummary(t, newFleet(t, rs...), rs)
}

// auditOf is cuil's audit actions, in order.
func auditOf(t *testing.T, dbURL, cuil string) []string {
	t.Helper()
	db, err := sql.Open("postgres", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT action, channel FROM audit WHERE cuil = $1 ORDER BY id`, cuil)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a, c string
		if err := rows.Scan(&a, &c); err != nil {
			t.Fatal(err)
		}
		out = append(out, a+"/"+c)
	}
	return out
}

// TestTwoChatsConfirmOneKeyAtOnce: one person walked the create flow in
// two chats (the portal's REST chat on a phone and on a computer), each
// served by another replica, and confirms a different key in both at the
// same instant. One key is created, the other chat told so, and the audit
// has one creation.
func TestTwoChatsConfirmOneKeyAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("starts serve processes")
	}
	bin := buildClavebot(t)
	d := newDeployment(t, bin, serveRedis(t), testenv.Redis(t), 1)
	forgetLimits(t, d)
	rs := d.start(t, nil, "a", "b")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p := d.people[0]
	keys := []string{p.key, "Otra" + p.key[len(p.key)/2:] + "9z"}
	texts, expects := p.script()
	last := len(texts) - 1
	chats := []string{"phone-" + d.run, "computer-" + d.run}
	for c, chat := range chats {
		for i := range last {
			text := texts[i]
			if i == last-1 {
				text = keys[c]
			}
			got, err := say(ctx, rs[c].base, chat, "m"+strconv.Itoa(i), text)
			if err != nil || lastExpect(got) != expects[i] {
				t.Fatalf("%s message %d: %v %+v", chat, i, err, got)
			}
		}
	}
	answers := make([][]restReply, 2)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for c, chat := range chats {
		wg.Go(func() {
			<-start
			var err error
			answers[c], err = say(ctx, rs[c].base, chat, "m"+strconv.Itoa(last), keys[c])
			if err != nil {
				t.Error(err)
			}
		})
	}
	close(start)
	wg.Wait()
	created := 0
	for c, a := range answers {
		said := make([]string, len(a))
		for i, r := range a {
			said[i] = r.Text
		}
		t.Logf("%s: %q", chats[c], said)
		if slices.ContainsFunc(said, func(s string) bool { return strings.Contains(s, "quedó creada") }) {
			created++
		}
	}
	if created != 1 {
		t.Errorf("the key was said created in %d chats", created)
	}
	if got := keysSet(t, d.dbURL); got != 1 {
		t.Errorf("%d keys stored", got)
	}
	if audit := auditOf(t, d.dbURL, string(p.c.CUIL)); !slices.Equal(audit, []string{"key.created/rest"}) {
		t.Errorf("audit %q, want one creation", audit)
	}
}

// TestSameTelegramUpdateOnTwoReplicas: as TestSameWebhookOnTwoReplicas,
// with Telegram's webhook: each update of the create flow, the key's
// confirmation included, reaches both replicas at the same instant (a
// webhook answer lost, Telegram delivering again to the other replica).
func TestSameTelegramUpdateOnTwoReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("starts serve processes")
	}
	bin := buildClavebot(t)
	rdb := testenv.Redis(t)
	d := newDeployment(t, bin, serveRedis(t), rdb, 2)
	forgetLimits(t, d)
	const token, secret = "123456:dup-webhook", "dup-secret"
	api := telegramtest.New(token)
	t.Cleanup(api.Close)
	// The load balancer Telegram pushes to: each update goes to the
	// replicas in to, all at once.
	var mu sync.Mutex
	var to []*replica
	lb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		rs := to
		mu.Unlock()
		var wg sync.WaitGroup
		status := make([]int, len(rs))
		for i, rep := range rs {
			wg.Go(func() {
				req, _ := http.NewRequest("POST", rep.base+"/telegram/webhook", bytes.NewReader(body))
				req.Header = r.Header.Clone()
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Errorf("to %s: %v", rep.name, err)
					return
				}
				res.Body.Close()
				status[i] = res.StatusCode
			})
		}
		wg.Wait()
		for _, st := range status {
			if st != http.StatusOK {
				t.Errorf("an update answered %v", status)
			}
		}
	}))
	t.Cleanup(lb.Close)
	args := []string{"--telegram-token", token, "--telegram-api-url", api.URL,
		"--telegram-webhook-url", lb.URL + "/telegram/webhook", "--telegram-webhook-secret", secret}
	rs := d.start(t, args, "a", "b")
	// serve listens before its Telegram channel runs, and answers an
	// update 503 until then, which Telegram delivers again later; this
	// load balancer does not, so the first update waits for both (an
	// update that came first under load was answered 503 in CI).
	for _, r := range rs {
		waitUntil(t, r.name+"'s Telegram channel", func() bool {
			return strings.Contains(r.out.String(), "receiving updates by webhook")
		})
	}
	walk := func(p *person, replicas []*replica) []string {
		t.Helper()
		person := 1e9 + rand.Int64N(1e9)
		t.Cleanup(func() { testenv.DeleteKeys(context.Background(), rdb, fmt.Sprintf("*%d*", person)) })
		said := func(what string) int {
			n := 0
			for _, m := range api.BotMessages(person) {
				if strings.Contains(m.Text, what) {
					n++
				}
			}
			return n
		}
		mu.Lock()
		to = replicas
		mu.Unlock()
		texts, _ := p.script()
		texts = append(texts, "hola")
		for i, text := range texts {
			before := len(api.BotMessages(person))
			api.Text(person, text)
			waitUntil(t, fmt.Sprintf("message %d's answer", i), func() bool { return len(api.BotMessages(person)) > before })
		}
		waitUntil(t, "the last message's menu", func() bool { return said("Qué necesitás") == 2 })
		// One message more to each replica, behind any duplicate in the
		// chat's lane.
		for _, r := range rs {
			mu.Lock()
			to = []*replica{r}
			mu.Unlock()
			before := said("Qué necesitás")
			api.Text(person, "hola")
			waitUntil(t, "the last message's answer", func() bool { return said("Qué necesitás") > before })
		}
		var out []string
		for _, m := range api.BotMessages(person) {
			out = append(out, m.Text)
		}
		return out
	}
	once, twice := d.people[0], d.people[1]
	checkOnceAndTwice(t, d, rs, "update", once, twice, walk(once, rs[:1]), walk(twice, rs))
}

// sayFrom is say with the portal's word of the person's address.
func sayFrom(ctx context.Context, base, source, chat, id, text string) ([]restReply, error) {
	body, _ := json.Marshal(map[string]string{"chat": chat, "id": id, "text": text})
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/v1/chat", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+replicaToken)
	req.Header.Set("X-Clavebot-Source", source)
	res, err := chatClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("POST /v1/chat: %d", res.StatusCode)
	}
	var out struct{ Replies []restReply }
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		return nil, err
	}
	return out.Replies, nil
}

// TestSourceLimitsExactAcrossReplicas: one address's new chats (200 an
// hour) and CUIL look-ups (50 an hour) are counted in Redis, across
// replicas: 30 requests at a time, split between two replicas, get
// exactly the limit's worth through, and the rest are told to wait.
func TestSourceLimitsExactAcrossReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("starts serve processes")
	}
	bin := buildClavebot(t)
	d := newDeployment(t, bin, serveRedis(t), testenv.Redis(t), 60)
	rs := d.start(t, nil, "a", "b")
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	forgetLimits(t, d, "198.51.100.7", "198.51.100.8")
	// run sends n messages, 30 at a time, message i to replica i%2, and
	// counts the steps the bot waits for after each.
	run := func(n int, send func(i int, base string) ([]restReply, error)) map[string]int {
		var mu sync.Mutex
		got := map[string]int{}
		sem := make(chan struct{}, 30)
		var wg sync.WaitGroup
		for i := range n {
			sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-sem }()
				replies, err := send(i, rs[i%2].base)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err != nil:
					got["error: "+err.Error()]++
				case len(replies) == 0:
					got["no reply"]++
				case lastExpect(replies) == "":
					got[replies[len(replies)-1].Text]++
				default:
					got[lastExpect(replies)]++
				}
			})
		}
		wg.Wait()
		return got
	}
	t.Run("new chats of one source", func(t *testing.T) {
		got := run(230, func(i int, base string) ([]restReply, error) {
			return sayFrom(ctx, base, "198.51.100.7", fmt.Sprintf("new-%s-%d", d.run, i), "m0", "hola")
		})
		t.Logf("230 new chats of one address: %v", got)
		if got["menu"] != newChatsPerSourceMax {
			t.Errorf("%d new chats got the menu, want %d", got["menu"], newChatsPerSourceMax)
		}
	})
	t.Run("CUILs looked up by one source", func(t *testing.T) {
		chat := func(i int) string { return fmt.Sprintf("cuil-%s-%d", d.run, i) }
		for i := range 60 {
			for j, text := range []string{"hola", "1"} {
				if _, err := sayFrom(ctx, rs[i%2].base, "198.51.100.8", chat(i), "m"+strconv.Itoa(j), text); err != nil {
					t.Fatal(err)
				}
			}
		}
		got := run(60, func(i int, base string) ([]restReply, error) {
			return sayFrom(ctx, base, "198.51.100.8", chat(i), "m2", d.people[i].c.CUIL.String())
		})
		t.Logf("60 CUILs typed at once from one address: %v", got)
		if got["first_names"] != cuilsPerSourceMax {
			t.Errorf("%d CUILs looked up, want %d", got["first_names"], cuilsPerSourceMax)
		}
	})
}

// The limits of dialog/limit.go, as a person meets them.
const (
	newChatsPerSourceMax = 200
	cuilsPerSourceMax    = 50
)

// TestCodesPerCUILExactAcrossReplicas: a CUIL's codes to new addresses
// (10 an hour) are counted across replicas: 30 chats of one person, each
// at the address's step, send 30 addresses at once, split between two
// replicas; 10 codes are sent, the other 20 told until when.
func TestCodesPerCUILExactAcrossReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("starts serve processes")
	}
	bin := buildClavebot(t)
	d := newDeployment(t, bin, serveRedis(t), testenv.Redis(t), 1)
	rs := d.start(t, nil, "a", "b")
	f := newFleet(t, rs...)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	p := d.people[0]
	forgetLimits(t, d)
	if err := f.createKey(ctx, p, "creator-"+d.run); err != nil {
		t.Fatal(err)
	}
	chat := func(i int) string { return fmt.Sprintf("codes-%s-%d", d.run, i) }
	var steps []string
	for i := range 30 {
		steps = steps[:0]
		for j, text := range []string{"hola", "7", p.c.CUIL.String(), p.key, "1"} {
			rs, err := f.turn(ctx, chat(i), "m"+strconv.Itoa(j), text)
			if err != nil {
				t.Fatal(err)
			}
			steps = append(steps, lastExpect(rs))
		}
		if steps[len(steps)-1] != "email" {
			t.Fatalf("chat %d: %q", i, steps)
		}
	}
	var mu sync.Mutex
	got := map[string]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 30 {
		wg.Go(func() {
			<-start
			replies, err := say(ctx, rs[i%2].base, chat(i), "m5", fmt.Sprintf("persona%d@gmail.com", i))
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				got["error"]++
				return
			}
			got[lastExpect(replies)+": "+replies[len(replies)-1].Text]++
		})
	}
	close(start)
	wg.Wait()
	t.Logf("30 addresses at once: %v", got)
	sent := 0
	for k, n := range got {
		if strings.HasPrefix(k, "code:") {
			sent += n
		}
	}
	if sent != 10 {
		t.Errorf("%d codes sent, want 10", sent)
	}
}

// TestKeyConfirmationKilledOnWhatsApp: the replica storing a person's key
// dies (SIGKILL) while the confirmation's turn waits in PostgreSQL; Meta,
// its webhook not answered or answered, may post it again to the other
// replica, which also finds it in the dead one's inbox once its lease
// ends. The key is created once, said once, audited once.
func TestKeyConfirmationKilledOnWhatsApp(t *testing.T) {
	if testing.Short() {
		t.Skip("starts serve processes")
	}
	bin := buildClavebot(t)
	rdb := testenv.Redis(t)
	d := newDeployment(t, bin, serveRedis(t), rdb, 1)
	forgetLimits(t, d)
	g := graphtest.New()
	t.Cleanup(g.Close)
	args := cloudServeArgs(g, "--chat-lock-ttl", "3s")
	rs := d.start(t, args, "a", "b")
	a, b := rs[0], rs[1]
	g.SetWebhook(a.base + "/whatsapp/webhook")
	p := d.people[0]
	number := fmt.Sprintf("54911%08d", rand.IntN(1e8))
	t.Cleanup(func() { testenv.DeleteKeys(context.Background(), rdb, "*"+number+"*") })
	texts, _ := p.script()
	last := len(texts) - 1
	for i := range last {
		before := len(g.Texts(number))
		if _, st, err := g.Text(number, texts[i]); err != nil || st != http.StatusOK {
			t.Fatalf("message %d: %d, %v", i, st, err)
		}
		waitUntil(t, fmt.Sprintf("message %d's answer", i), func() bool { return len(g.Texts(number)) > before })
	}
	waitUntil(t, "the confirmation's question", func() bool {
		return slices.ContainsFunc(g.Texts(number), func(s string) bool { return strings.Contains(s, "Escribila de nuevo") })
	})
	db, err := sql.Open("postgres", d.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`LOCK TABLE keys IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	id := "wamid.confirm-" + number
	body := graphtest.Payload(g.PhoneNumberID, g.DisplayNumber,
		[]map[string]any{graphtest.TextMessage(number, id, p.key, time.Now())}, nil)
	if st, err := graphtest.PostWebhook(context.Background(), http.DefaultClient, a.base+"/whatsapp/webhook", g.AppSecret, body); err != nil || st != http.StatusOK {
		t.Fatalf("the confirmation to a: %d, %v", st, err)
	}
	waitUntil(t, "the confirmation's turn to wait for the table", func() bool {
		var n int
		err := db.QueryRow(`SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'
			AND (query ILIKE '%INSERT INTO keys%' OR query ILIKE '%FROM keys%')`).Scan(&n)
		return err == nil && n > 0
	})
	a.kill()
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	// Meta posts it again, to b.
	if st, err := graphtest.PostWebhook(context.Background(), http.DefaultClient, b.base+"/whatsapp/webhook", g.AppSecret, body); err != nil || st != http.StatusOK {
		t.Fatalf("the confirmation again to b: %d, %v", st, err)
	}
	created := func() int {
		return len(slices.DeleteFunc(g.Texts(number), func(s string) bool { return !strings.Contains(s, "quedó creada") }))
	}
	waitUntil(t, "the key created", func() bool { return created() > 0 })
	// b takes a's inbox once its lease ends, and runs the message again.
	waitUntil(t, "the inbox to forget the confirmation", func() bool {
		kept, err := rdb.HExists(context.Background(), keyPrefix+"inbox:{whatsapp}:msg", id).Result()
		return err == nil && !kept
	})
	g.SetWebhook(b.base + "/whatsapp/webhook")
	before := len(g.Texts(number))
	if _, st, err := g.Text(number, "hola"); err != nil || st != http.StatusOK {
		t.Fatalf("hola: %d, %v", st, err)
	}
	waitUntil(t, "the next message's answer", func() bool { return len(g.Texts(number)) > before })
	if n := created(); n != 1 {
		t.Errorf("the key was said created %d times: %q", n, g.Texts(number))
	}
	verify(t, b.base, p)
	if n := keysSet(t, d.dbURL); n != 1 {
		t.Errorf("%d keys stored", n)
	}
	if audit := auditOf(t, d.dbURL, string(p.c.CUIL)); !slices.Equal(audit, []string{"key.created/whatsapp"}) {
		t.Errorf("audit %q, want one creation", audit)
	}
	t.Logf("bot said %d messages; b logged %q", len(g.Texts(number)), b.out.errorLines())
}

// forgetLimits deletes the counters of serve's limits across chats of the
// deployment's citizens and of sources, before the test and after it:
// the registry's CUILs are the same in every run, and their counts (codes,
// checks) would stay an hour and count against the next run's.
func forgetLimits(t *testing.T, d *deployment, sources ...string) {
	t.Helper()
	lim := redisstore.NewLimiter(d.rdb, keyPrefix)
	var keys []string
	for _, p := range d.people {
		for _, name := range dialog.LimitKeys("", p.c.CUIL) {
			keys = append(keys, lim.Key(name))
		}
	}
	for _, src := range sources {
		for _, name := range dialog.LimitKeys(src, "") {
			keys = append(keys, lim.Key(name))
		}
	}
	forget := func() {
		if err := d.rdb.Del(context.Background(), keys...).Err(); err != nil {
			t.Errorf("delete the limits' counters: %v", err)
		}
	}
	forget()
	t.Cleanup(forget)
}

// TestTwoChatsChangeTheKeyAtOnce: two chats proved the CUIL's current key
// (its owner on the portal, and a stranger who learnt the key, or the
// owner twice) and confirm two new keys at the same instant, each on
// another replica. A change is made by a chat whose proof still holds: the
// first stored makes the other's proof stale, and that chat must be asked
// for the key again, not store its own over it.
func TestTwoChatsChangeTheKeyAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("starts serve processes")
	}
	bin := buildClavebot(t)
	d := newDeployment(t, bin, serveRedis(t), testenv.Redis(t), 1)
	forgetLimits(t, d)
	rs := d.start(t, nil, "a", "b")
	f := newFleet(t, rs...)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p := d.people[0]
	if err := f.createKey(ctx, p, "creator-"+d.run); err != nil {
		t.Fatal(err)
	}
	news := []string{"Owner" + p.key[len(p.key)/2:] + "7q", "Other" + p.key[len(p.key)/2:] + "8w"}
	chats := []string{"owner-" + d.run, "other-" + d.run}
	for c, chat := range chats {
		var steps []string
		for j, text := range []string{"hola", "3", p.c.CUIL.String(), p.key, news[c]} {
			got, err := say(ctx, rs[c].base, chat, "m"+strconv.Itoa(j), text)
			if err != nil {
				t.Fatal(err)
			}
			steps = append(steps, lastExpect(got))
		}
		if steps[len(steps)-1] != "confirm_key" {
			t.Fatalf("%s: %q", chat, steps)
		}
	}
	answers := make([][]restReply, 2)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for c, chat := range chats {
		wg.Go(func() {
			<-start
			var err error
			answers[c], err = say(ctx, rs[c].base, chat, "m5", news[c])
			if err != nil {
				t.Error(err)
			}
		})
	}
	close(start)
	wg.Wait()
	changed := 0
	for c, a := range answers {
		said := make([]string, len(a))
		for i, r := range a {
			said[i] = r.Text
		}
		t.Logf("%s: %q", chats[c], said)
		if slices.ContainsFunc(said, func(s string) bool { return strings.Contains(s, "quedó cambiada") || strings.Contains(s, "¡Listo!") }) {
			changed++
		}
	}
	audit := auditOf(t, d.dbURL, string(p.c.CUIL))
	t.Logf("audit %q", audit)
	if changed != 1 || !slices.Equal(audit, []string{"key.created/rest", "key.changed/rest"}) {
		t.Errorf("two chats that proved the same key changed it at once: told changed in %d, audit %q", changed, audit)
	}
}
