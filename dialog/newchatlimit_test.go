package dialog_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/redisstore"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

// TestOneSourceCannotFillRedisWithChats is an attack probe's: a REST chat's
// id is its client's choice, and each new chat left its state and
// transcript for 20 minutes and its handled ids for a day (about 440
// bytes, then 104). One client opened about 1,400 chats a second on two
// replicas, "hola" each: at that pace a day fills 12 GB of Redis, and
// Redis, full under noeviction, refuses every turn of every person. One
// source now opens at most 200 chats an hour; beyond, a new chat is told
// until when and nothing of it is kept. Chats already open go on, and
// another source, a loopback address (a local proxy, everyone alike) and
// chats without a source (Telegram, WhatsApp) are not held back.
func TestOneSourceCannotFillRedisWithChats(t *testing.T) {
	rdb := testenv.Redis(t)
	h := newHarness(t, dialog.WithLimiter(redisstore.NewLimiter(rdb, testenv.Prefix(t, rdb, "limits"))))
	prefix := h.useRedis(rdb)
	say := func(chat, source, text string) []dialog.Reply {
		t.Helper()
		h.ids++
		res, err := h.eng.Handle(h.ctx, dialog.Inbound{Chat: chat, ID: strconv.Itoa(h.ids), Text: text, Channel: "rest", Source: source})
		if err != nil {
			t.Fatal(err)
		}
		return res.Replies
	}
	kept := func() int {
		t.Helper()
		keys, err := rdb.Keys(context.Background(), prefix+"*handled*").Result()
		if err != nil {
			t.Fatal(err)
		}
		return len(keys)
	}
	const source = "203.0.113.9"
	for i := range 200 {
		if rs := say(fmt.Sprintf("flood%d", i), source, "hola"); !has(rs, i18n.M("welcome")) {
			t.Fatalf("new chat %d of the source's hour:\n%s", i+1, h.dump(rs))
		}
	}
	before := kept()
	var last []dialog.Reply
	for i := 200; i < 260; i++ {
		last = say(fmt.Sprintf("flood%d", i), source, "hola")
	}
	// Until the hour's end, as Redis counts it down (the window started
	// with the first chat, a moment ago).
	told := slices.ContainsFunc(last, func(r dialog.Reply) bool {
		until, ok := r.Msg.Args["until"].(time.Time)
		return r.Msg.Key == "chat.limited" && ok && until.After(h.now.Add(59*time.Minute)) && !until.After(h.now.Add(time.Hour))
	})
	if has(last, i18n.M("welcome")) || !told {
		t.Errorf("the 260th new chat of one source in an hour:\n%s\nwant to be told until when", h.dump(last))
	}
	if after := kept(); after != before {
		t.Errorf("60 chats over the limit left %d chats' keys in Redis, want none", after-before)
	}
	// A chat already open goes on; another source, loopback and no source
	// are not held back.
	if rs := say("flood0", source, "1"); has(rs, i18n.M("chat.limited")) {
		t.Errorf("a chat the source had open:\n%s", h.dump(rs))
	}
	for _, other := range []string{"198.51.100.9", "127.0.0.1", ""} {
		if rs := say("other-"+other, other, "hola"); !has(rs, i18n.M("welcome")) {
			t.Errorf("a new chat from %q:\n%s", other, h.dump(rs))
		}
	}
}
