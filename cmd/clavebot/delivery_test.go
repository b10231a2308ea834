package main

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot/telegram/telegramtest"
	"github.com/clavebot/clavebot/bot/whatsapp/cloud"
	"github.com/clavebot/clavebot/bot/whatsapp/cloud/graphtest"
	"github.com/clavebot/clavebot/desk"
)

// waitUntil polls cond; the deadline only keeps a broken test from hanging.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestServeWhatsAppCloudClosedWindow: serve with WhatsApp Cloud and a
// template, against the fake Graph API. An agent answers a day later:
// Meta refuses the free text (131047), the template goes out, and the
// agent's messages reach the person, in order, once they write again.
func TestServeWhatsAppCloudClosedWindow(t *testing.T) {
	g := graphtest.New()
	t.Cleanup(g.Close)
	g.Approve("aviso_mesa", "es_AR")
	var skew atomic.Int64 // Meta's clock runs ahead of serve's
	g.Now = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	sc := &serveConfig{}
	sc.Hours = "mon-sun 00:00-24:00"
	sc.WhatsApp, sc.WhatsAppMode = true, "cloud"
	sc.Cloud = cloud.Config{PhoneNumberID: g.PhoneNumberID, AccessToken: g.Token, AppSecret: g.AppSecret,
		VerifyToken: "v", APIURL: g.URL, Template: "aviso_mesa", TemplateLang: "es_AR", GraphVersion: cloud.DefaultGraphVersion}
	srv, url := startTestServerWith(t, sc)
	g.SetWebhook(url + "/whatsapp/webhook")

	const person = "5491155550001"
	chat := "whatsapp:" + person
	g.Text(person, "hablar con una persona")
	ctx := context.Background()
	waitUntil(t, "the hand-over", func() bool { b, _ := srv.Desk.Board(ctx, supervisor); return len(b) == 1 })
	waitUntil(t, "the place in the queue", func() bool {
		return slices.ContainsFunc(g.Texts(person), func(s string) bool { return strings.Contains(s, "lugar 1") })
	})
	skew.Store(int64(25 * time.Hour))
	if _, err := srv.Desk.Take(ctx, "ana", chat); err != nil {
		t.Fatal(err)
	}
	if err := srv.Desk.Reply(ctx, "ana", chat, "Buen día, ya revisé tu caso"); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the template", func() bool { return slices.Contains(g.Texts(person), "template:aviso_mesa") })
	for _, m := range g.Texts(person) {
		if strings.Contains(m, "ya revisé") {
			t.Fatalf("free text went out with the window closed: %q", g.Texts(person))
		}
	}
	g.Text(person, "hola")
	waitUntil(t, "the held messages", func() bool {
		texts := g.Texts(person)
		return len(texts) > 0 && slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(s, "ya revisé") })
	})
	texts := g.Texts(person)
	i := slices.Index(texts, "template:aviso_mesa")
	if i < 0 || len(texts) < i+3 || !strings.Contains(texts[i+1], "tomó tu consulta") || !strings.Contains(texts[i+2], "ya revisé tu caso") {
		t.Fatalf("Meta took %q: want the template, then the held messages in order", texts)
	}
	if n := g.Versions()[cloud.DefaultGraphVersion]; n == 0 {
		t.Fatalf("graph versions used %v", g.Versions())
	}
}

// TestServeTelegramBlockedLeavesTheDesk: a person who blocked the bot
// leaves the desk's queue, with the reason recorded.
func TestServeTelegramBlockedLeavesTheDesk(t *testing.T) {
	const token = "123456:serve-block"
	api := telegramtest.New(token)
	t.Cleanup(api.Close)
	sc := &serveConfig{}
	sc.Hours = "mon-sun 00:00-24:00"
	sc.TelegramToken, sc.TelegramAPIURL = token, api.URL
	srv, _ := startTestServerWith(t, sc)
	api.Text(77, "hablar con una persona")
	ctx := context.Background()
	waitUntil(t, "the hand-over", func() bool { b, _ := srv.Desk.Board(ctx, supervisor); return len(b) == 1 })
	if _, err := srv.Desk.Take(ctx, "ana", "telegram:77"); err != nil {
		t.Fatal(err)
	}
	api.Block(77) // Telegram tells the bot (my_chat_member), or the next send gets 403
	waitUntil(t, "the chat to leave the desk", func() bool { b, _ := srv.Desk.Board(ctx, supervisor); return len(b) == 0 })
	// The record is written just after the queue changes: wait for it too.
	var outcome sql.NullString
	waitUntil(t, "the outcome recorded", func() bool {
		err := srv.DB.DB().GetContext(ctx, &outcome, `SELECT outcome FROM desk_conversations WHERE chat = 'telegram:77'`)
		return err == nil && outcome.Valid
	})
	if outcome.String != "stopped" {
		t.Fatalf("recorded outcome %q", outcome.String)
	}
}

// supervisor reads every chat on the board, whoever took it.
var supervisor = desk.Agent{Name: "sup", Role: desk.RoleSupervisor}

// TestServeWhatsAppCloudUndeliveredReachesTheDesk: serve with WhatsApp
// Cloud, against the fake Graph API. The person can no longer get
// WhatsApp messages (they blocked the business, or left WhatsApp): Meta
// takes an agent's reply, answers 200, and then says it could not deliver
// it (131026). The desk lists it as undelivered, for the agent to act on,
// and /metrics counts it as a dead letter, which ClavebotMessagesUndelivered
// alerts on.
func TestServeWhatsAppCloudUndeliveredReachesTheDesk(t *testing.T) {
	const person = "5491155550002"
	g, srv, url, chat := cloudChatTaken(t, person)
	ctx := context.Background()
	g.Unreachable(person)
	if err := srv.Desk.Reply(ctx, "ana", chat, "Buen día, ya revisé tu caso"); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the reply listed undelivered", func() bool {
		dead, err := srv.Relay.DeadLetters(ctx, 10)
		return err == nil && len(dead) == 1 && dead[0].Chat == chat && dead[0].Code == "131026" &&
			strings.Contains(dead[0].Text, "ya revisé")
	})
	// The count follows the listing: the relay counts a dead letter once
	// Redis has it, so /metrics may say it a moment after the desk.
	const counted = `clavebot_outbox_dead_letters_total{channel="whatsapp",code="131026",kind="agent"} 1`
	waitUntil(t, "/metrics to say "+counted, func() bool { return strings.Contains(getMetrics(t, url), counted) })
}

// cloudChatTaken starts serve on WhatsApp Cloud against a fake Graph API,
// has person ask for a person and Ana take the chat, and returns the fake,
// serve, its URL and the chat once the person was told.
func cloudChatTaken(t *testing.T, person string) (*graphtest.Server, *Main, string, string) {
	t.Helper()
	g := graphtest.New()
	t.Cleanup(g.Close)
	sc := &serveConfig{}
	sc.Hours = "mon-sun 00:00-24:00"
	sc.WhatsApp, sc.WhatsAppMode = true, "cloud"
	sc.Cloud = cloud.Config{PhoneNumberID: g.PhoneNumberID, AccessToken: g.Token, AppSecret: g.AppSecret,
		VerifyToken: "v", APIURL: g.URL, GraphVersion: cloud.DefaultGraphVersion}
	srv, url := startTestServerWith(t, sc)
	g.SetWebhook(url + "/whatsapp/webhook")
	chat := "whatsapp:" + person
	g.Text(person, "hablar con una persona")
	ctx := context.Background()
	waitUntil(t, "the hand-over", func() bool { b, _ := srv.Desk.Board(ctx, supervisor); return len(b) == 1 })
	if _, err := srv.Desk.Take(ctx, "ana", chat); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the notice that Ana took the chat", func() bool {
		return slices.ContainsFunc(g.Texts(person), func(s string) bool { return strings.Contains(s, "tomó tu consulta") })
	})
	return g, srv, url, chat
}
