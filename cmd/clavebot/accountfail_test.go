package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot/telegram/telegramtest"
	"github.com/clavebot/clavebot/bot/whatsapp/cloud"
	"github.com/clavebot/clavebot/bot/whatsapp/cloud/graphtest"
)

// TestServeCountsAccountFailures: serve against the fakes, the platform
// refusing the channel's account as it does: Telegram's token revoked (401
// on every getUpdates), WhatsApp's access token expired (190 on every
// send). Serve only logged them, and no alert fired before half an hour
// (ClavebotOutboxStalled). /metrics counts them now as the account's
// failures, by code, for ClavebotChannelAccountFailing.
func TestServeCountsAccountFailures(t *testing.T) {
	t.Run("telegram", func(t *testing.T) {
		const token = "123456:serve-revoked"
		api := telegramtest.New(token)
		t.Cleanup(api.Close)
		sc := &serveConfig{}
		sc.TelegramToken, sc.TelegramAPIURL = token, api.URL
		_, url := startTestServerWith(t, sc)
		api.Revoke()
		const counted = `clavebot_send_failures_total{channel="telegram",code="401",scope="account"}`
		waitUntil(t, "/metrics to say "+counted, func() bool { return strings.Contains(getMetrics(t, url), counted) })
	})
	t.Run("whatsapp", func(t *testing.T) {
		const person = "5491155550003"
		g, srv, url, chat := cloudChatTaken(t, person)
		ctx := context.Background()
		g.Refuse(graphtest.TokenExpired)
		if err := srv.Desk.Reply(ctx, "ana", chat, "Buen día, ya revisé tu caso"); err != nil {
			t.Fatal(err)
		}
		const counted = `clavebot_send_failures_total{channel="whatsapp",code="190",scope="account"}`
		waitUntil(t, "/metrics to say "+counted, func() bool { return strings.Contains(getMetrics(t, url), counted) })
		if m := getMetrics(t, url); strings.Contains(m, person) {
			t.Fatal("/metrics names the person's number")
		}
	})
	// Nobody writes and nothing waits to be sent: only the probe calls
	// the Graph API (--whatsapp-probe-interval).
	t.Run("whatsapp, no traffic", func(t *testing.T) {
		g := graphtest.New()
		t.Cleanup(g.Close)
		sc := &serveConfig{}
		sc.WhatsApp, sc.WhatsAppMode = true, "cloud"
		sc.Cloud = cloud.Config{PhoneNumberID: g.PhoneNumberID, AccessToken: g.Token, AppSecret: g.AppSecret,
			VerifyToken: "v", APIURL: g.URL, GraphVersion: cloud.DefaultGraphVersion, ProbeEvery: 10 * time.Millisecond}
		_, url := startTestServerWith(t, sc)
		g.Revoke()
		const counted = `clavebot_send_failures_total{channel="whatsapp",code="190",scope="account"}`
		waitUntil(t, "/metrics to say "+counted, func() bool { return strings.Contains(getMetrics(t, url), counted) })
	})
}
