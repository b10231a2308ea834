package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot/telegram/telegramtest"
	"github.com/clavebot/clavebot/bot/whatsapp/cloud"
	"github.com/clavebot/clavebot/bot/whatsapp/cloud/graphtest"
	"github.com/clavebot/clavebot/dialog/redisstore"
	"github.com/clavebot/clavebot/internal/testenv"
)

// TestWebhookMessageOutlivesAKilledServe: a person's WhatsApp message
// reaches a serve process through Meta's webhook, and the process is
// killed (SIGKILL: the OOM killer, a node lost) before the message's turn
// has run, here because another turn holds its chat. Meta posts a webhook
// again only when it was not answered 200, as Telegram does; another
// process serves the chat afterwards. The person must get an answer to
// that message, from whichever process, once; and nothing of it stays
// in Redis once answered.
func TestWebhookMessageOutlivesAKilledServe(t *testing.T) {
	if testing.Short() {
		t.Skip("starts serve processes")
	}
	bin := buildClavebot(t)
	rdb := testenv.Redis(t)
	d := newDeployment(t, bin, serveRedis(t), rdb, 1)
	g := graphtest.New()
	t.Cleanup(g.Close)
	args := cloudServeArgs(g, "--chat-lock-ttl", "3s")
	a := d.start(t, args, "a")[0]
	g.SetWebhook(a.base + "/whatsapp/webhook")

	person := fmt.Sprintf("54911%08d", rand.IntN(1e8))
	chat := "whatsapp:" + person
	t.Cleanup(func() { testenv.DeleteKeys(context.Background(), rdb, "*"+person+"*") })
	g.Text(person, "hola")
	answered := func(what string) func() bool {
		return func() bool {
			return slices.ContainsFunc(g.Texts(person), func(s string) bool { return strings.Contains(s, what) })
		}
	}
	waitUntil(t, "the menu", answered("Qué necesitás"))

	// Another turn holds the chat, so the next message waits in a.
	s := redisstore.New(rdb, redisstore.WithPrefix(keyPrefix))
	l, _, err := s.Acquire(context.Background(), chat, "")
	if err != nil {
		t.Fatal(err)
	}
	body := graphtest.Payload(g.PhoneNumberID, g.DisplayNumber,
		[]map[string]any{graphtest.TextMessage(person, "wamid.killed-"+person, "1", time.Now())}, nil)
	type answer struct {
		status int
		err    error
	}
	posted := make(chan answer, 1)
	go func() {
		st, err := graphtest.PostWebhook(context.Background(), http.DefaultClient, a.base+"/whatsapp/webhook", g.AppSecret, body)
		posted <- answer{st, err}
	}()
	waitUntil(t, "the turn to wait for its chat", func() bool {
		n, err := rdb.LLen(context.Background(), keyPrefix+"queue:{"+chat+"}").Result()
		return err == nil && n == 1
	})
	a.kill()
	first := <-posted
	if err := s.Release(context.Background(), l); err != nil {
		t.Fatal(err)
	}

	b := d.start(t, args, "b")[0]
	g.SetWebhook(b.base + "/whatsapp/webhook")
	if first.err != nil || first.status != http.StatusOK {
		// Meta posts it again, as it does any webhook not answered 200.
		st, err := graphtest.PostWebhook(context.Background(), http.DefaultClient, b.base+"/whatsapp/webhook", g.AppSecret, body)
		t.Logf("the webhook killed with a answered %d, %v; posted again to b: %d, %v", first.status, first.err, st, err)
	} else {
		t.Logf("the webhook answered 200 before a was killed: Meta will not post it again")
	}
	deadline := time.Now().Add(20 * time.Second)
	for !answered("Vamos a crear tu clave")() {
		if time.Now().After(deadline) {
			t.Fatalf("the person's \"1\", taken by a process killed before its turn ran, was never answered: Meta took %q", g.Texts(person))
		}
		time.Sleep(50 * time.Millisecond)
	}
	last, _, err := g.Text(person, "hola")
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the next message's answer", func() bool { return len(g.Texts(person)) > 4 })
	n := 0
	for _, s := range g.Texts(person) {
		if strings.Contains(s, "Vamos a crear tu clave") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the person's \"1\" was answered %d times: %q", n, g.Texts(person))
	}
	waitUntil(t, "the inbox to forget the person's messages", func() bool {
		n, err := rdb.HExists(context.Background(), keyPrefix+"inbox:{whatsapp}:msg", "wamid.killed-"+person).Result()
		m, err2 := rdb.HExists(context.Background(), keyPrefix+"inbox:{whatsapp}:msg", last).Result()
		return err == nil && err2 == nil && !n && !m
	})
}

// TestTelegramMessageOutlivesAKilledServe: as
// TestWebhookMessageOutlivesAKilledServe, on Telegram by long polling: the
// poller hands an update to its chat's lane and asks for the next ones,
// which confirms it, and Telegram never sends it again. The poller is
// killed while the person's "1" waits in its lane; another process must
// answer it, once.
func TestTelegramMessageOutlivesAKilledServe(t *testing.T) {
	if testing.Short() {
		t.Skip("starts serve processes")
	}
	bin := buildClavebot(t)
	rdb := testenv.Redis(t)
	d := newDeployment(t, bin, serveRedis(t), rdb, 1)
	const token = "123456:killed-poller"
	api := telegramtest.New(token)
	t.Cleanup(api.Close)
	args := []string{"--telegram-token", token, "--telegram-api-url", api.URL, "--chat-lock-ttl", "3s"}
	a := d.start(t, args, "a")[0]

	person := 1e9 + rand.Int64N(1e9)
	chat := fmt.Sprintf("telegram:%d", person)
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
	api.Text(person, "hola")
	waitUntil(t, "the menu", func() bool { return said("Qué necesitás") > 0 })

	s := redisstore.New(rdb, redisstore.WithPrefix(keyPrefix))
	l, _, err := s.Acquire(context.Background(), chat, "")
	if err != nil {
		t.Fatal(err)
	}
	api.Text(person, "1")
	waitUntil(t, "the turn to wait for its chat, its update confirmed", func() bool {
		n, err := rdb.LLen(context.Background(), keyPrefix+"queue:{"+chat+"}").Result()
		return err == nil && n == 1 && api.Pending() == 0
	})
	a.kill()
	if err := s.Release(context.Background(), l); err != nil {
		t.Fatal(err)
	}
	d.start(t, args, "b")
	deadline := time.Now().Add(30 * time.Second)
	for said("Vamos a crear tu clave") == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the person's \"1\", confirmed to Telegram by a poller killed before its turn ran, was never answered: the bot said %+v", api.BotMessages(person))
		}
		time.Sleep(50 * time.Millisecond)
	}
	// b polls once a's lease has expired: it may not yet.
	time.Sleep(time.Second)
	if n := said("Vamos a crear tu clave"); n != 1 {
		t.Errorf("the person's \"1\" was answered %d times", n)
	}
}

// TestStoppedServeLeavesNothingInTheInbox: a serve stopped by SIGTERM
// answers the messages it took before it exits, and its inbox forgets
// them: left there, another replica would take them for a dead process's
// and run them again (answered with nothing, but logged as a process
// lost, at every rolling restart).
func TestStoppedServeLeavesNothingInTheInbox(t *testing.T) {
	if testing.Short() {
		t.Skip("starts serve processes")
	}
	bin := buildClavebot(t)
	rdb := testenv.Redis(t)
	d := newDeployment(t, bin, serveRedis(t), rdb, 1)
	g := graphtest.New()
	t.Cleanup(g.Close)
	a := d.start(t, cloudServeArgs(g), "a")[0]
	g.SetWebhook(a.base + "/whatsapp/webhook")
	person := fmt.Sprintf("54911%08d", rand.IntN(1e8))
	chat := "whatsapp:" + person
	t.Cleanup(func() { testenv.DeleteKeys(context.Background(), rdb, "*"+person+"*") })

	s := redisstore.New(rdb, redisstore.WithPrefix(keyPrefix))
	l, _, err := s.Acquire(context.Background(), chat, "")
	if err != nil {
		t.Fatal(err)
	}
	id, _, err := g.Text(person, "hola")
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the turn to wait for its chat", func() bool {
		n, err := rdb.LLen(context.Background(), keyPrefix+"queue:{"+chat+"}").Result()
		return err == nil && n == 1
	})
	if err := a.terminate(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if err := s.Release(context.Background(), l); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if code, err := a.wait(ctx); err != nil || code != 0 {
		t.Fatalf("serve exited %d, %v", code, err)
	}
	if len(g.Texts(person)) == 0 {
		t.Fatal("the message taken before SIGTERM was not answered")
	}
	if kept, err := rdb.HExists(context.Background(), keyPrefix+"inbox:{whatsapp}:msg", id).Result(); err != nil || kept {
		t.Errorf("the message answered is still in the inbox (%v): another replica will take it for a lost one", err)
	}
}

// cloudServeArgs are serve's flags for WhatsApp Cloud on the fake Graph
// API g, then extra.
func cloudServeArgs(g *graphtest.Server, extra ...string) []string {
	return append([]string{"--whatsapp", "--whatsapp-mode", "cloud", "--whatsapp-api-url", g.URL,
		"--whatsapp-phone-number-id", g.PhoneNumberID, "--whatsapp-token", g.Token,
		"--whatsapp-app-secret", g.AppSecret, "--whatsapp-verify-token", "v",
		"--whatsapp-graph-version", cloud.DefaultGraphVersion}, extra...)
}
