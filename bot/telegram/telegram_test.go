package telegram_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/telegram"
	"github.com/clavebot/clavebot/bot/telegram/telegramtest"
	"github.com/clavebot/clavebot/dialog/convo"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestTextGetsReplyWithButtons(t *testing.T) {
	h := start(t)
	id := h.api.Text(1001, "opciones")
	h.waitReplies(t, 1001, 1)

	got := h.eng.inbound("telegram:1001")
	want := convo.Inbound{Chat: "telegram:1001", ID: strconv.Itoa(id), Text: "opciones", Channel: "telegram"}
	if len(got) == 1 {
		// The message's date, to the second, comes with it.
		if got[0].At.IsZero() || time.Since(got[0].At) > time.Minute {
			t.Errorf("the message's time: %v", got[0].At)
		}
		got[0].At = time.Time{}
	}
	if len(got) != 1 || got[0] != want {
		t.Fatalf("engine got %+v, want [%+v]", got, want)
	}
	msgs := h.api.BotMessages(1001)
	if len(msgs) != 1 || msgs[0].Text != "¿Qué querés hacer?" {
		t.Fatalf("bot messages %+v", msgs)
	}
	// Every button names the question and its option's number.
	question, _, _ := bot.ParseOptionID(msgs[0].Keyboard[0][0].Data)
	for i, label := range menuOptions {
		row := msgs[0].Keyboard[i]
		if len(row) != 1 || row[0].Text != label || question == "" || row[0].Data != bot.OptionID(question, i+1) {
			t.Errorf("button row %d = %+v, want %q with data %q", i, row, label, bot.OptionID(question, i+1))
		}
	}
}

func TestTapIsAnsweredAndHandledAsTheOption(t *testing.T) {
	h := start(t)
	h.api.Text(1001, "opciones")
	h.waitReplies(t, 1001, 1)
	question := h.api.BotMessages(1001)[0]

	qid, err := h.api.TapOption(1001, question.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	replies := h.waitReplies(t, 1001, 2)

	// The tap is answered beside the turn, not before it: wait for both.
	h.waitFor(t, "the callback query answered", func() bool { return h.api.Answered(qid) })
	in := h.eng.inbound("telegram:1001")[1]
	if in.Text != "Recuperar mi clave" || in.ID != "cb:"+qid || in.Media != "" {
		t.Errorf("tap reached the engine as %+v", in)
	}
	if replies[1] != "eco: Recuperar mi clave" {
		t.Errorf("reply to the tap = %q", replies[1])
	}
	edited := h.api.BotMessages(1001)[0]
	if edited.Keyboard != nil || !strings.HasSuffix(edited.Text, "✅ Recuperar mi clave") {
		t.Errorf("question after the tap = %+v, want the choice shown and no buttons", edited)
	}
	if _, err := h.api.TapOption(1001, question.ID, 1); !errors.Is(err, telegramtest.ErrNoButton) {
		t.Errorf("second tap on the same question: %v, want no button left", err)
	}
}

func TestKeyMessageIsDeleted(t *testing.T) {
	h := start(t)
	id := h.api.Text(1001, "clave:Secreta123")
	h.waitReplies(t, 1001, 1)

	msgs := h.api.Messages(1001)
	if !msgs[0].Deleted || msgs[0].ID != id {
		t.Errorf("key message %+v not deleted", msgs[0])
	}
	calls := h.api.Calls("deleteMessage", "sendMessage")
	if len(calls) != 2 || calls[0].Method != "deleteMessage" || calls[0].Params["message_id"] != strconv.Itoa(id) {
		t.Errorf("calls %+v, want the key deleted before the reply", calls)
	}
	if got := h.texts("sendMessage", 1001); got[0] != "Listo, ya la leí." {
		t.Errorf("replies %q: no request to delete it should be needed", got)
	}
}

func TestTypingBeforeReply(t *testing.T) {
	h := start(t)
	h.api.Text(1001, "hola")
	h.waitReplies(t, 1001, 1)

	calls := h.api.Calls("sendChatAction", "sendMessage")
	if len(calls) != 2 || calls[0].Method != "sendChatAction" || calls[0].Params["action"] != "typing" {
		t.Errorf("calls %+v, want typing then the reply", calls)
	}
}

func TestLongReplyIsSplit(t *testing.T) {
	h := start(t)
	h.api.Text(1001, "largo")
	h.waitFor(t, "the long reply", func() bool {
		got := strings.Join(h.texts("sendMessage", 1001), "")
		return strings.Contains(got, "Último párrafo 👍 Último párrafo 👍 Último párrafo 👍")
	})
	parts := h.texts("sendMessage", 1001)
	if len(parts) < 3 {
		t.Fatalf("got %d parts, want the ~10,000 units in at least 3", len(parts))
	}
	if rejected := len(h.api.Calls("sendMessage")) - len(parts); rejected != 0 {
		t.Errorf("%d parts rejected by the API", rejected)
	}
	squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
	if squash(strings.Join(parts, " ")) != squash(longText) {
		t.Error("the parts do not add up to the reply")
	}
}

func TestThrottledRepliesAreRetriedInOrder(t *testing.T) {
	h := start(t)
	h.api.FailNext("sendMessage", 2, 1)
	h.api.Text(1001, "a")
	h.api.Text(1001, "b")
	got := h.waitReplies(t, 1001, 2)

	if !slices.Equal(got, []string{"eco: a", "eco: b"}) {
		t.Errorf("replies %q, want in order", got)
	}
	if n := len(h.api.Calls("sendMessage")); n != 4 {
		t.Errorf("%d sendMessage calls, want 2 throttled and 2 sent", n)
	}
	if w := h.retryWaits(); !slices.Equal(w, []time.Duration{time.Second, time.Second}) {
		t.Errorf("waited %v, want retry_after twice", w)
	}
}

func TestRetriesAreBounded(t *testing.T) {
	h := start(t, telegram.WithMaxRetries(2))
	h.api.FailNext("sendMessage", 3, 1)
	h.api.Text(1001, "a")
	h.api.Text(1001, "b")
	got := h.waitReplies(t, 1001, 1)

	if !slices.Equal(got, []string{"eco: b"}) {
		t.Errorf("replies %q, want the first given up after 3 tries, the next sent", got)
	}
	if n := len(h.retryWaits()); n != 2 {
		t.Errorf("%d waits, want 2", n)
	}
}

func TestMediaReachesTheEngineAsItsKind(t *testing.T) {
	h := start(t)
	tests := []struct{ kind, media string }{
		{"sticker", "sticker"}, {"photo", "photo"}, {"voice", "voice"}, {"audio", "audio"},
		{"video", "video"}, {"video_note", "video_note"}, {"animation", "animation"},
		{"document", "file"}, {"location", "location"}, {"contact", "contact"},
	}
	for i, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			chat := int64(2000 + i)
			h.api.Media(chat, tt.kind)
			got := h.waitReplies(t, chat, 1)
			in := h.eng.inbound("telegram:" + itoa(chat))
			if len(in) != 1 || in[0].Media != tt.media || in[0].Text != "" {
				t.Errorf("engine got %+v, want media %q and no text", in, tt.media)
			}
			if got[0] != "Por ahora solo puedo leer texto." {
				t.Errorf("reply %q", got[0])
			}
		})
	}
}

func TestCommands(t *testing.T) {
	h := start(t)
	tests := []struct{ typed, engine string }{
		{"/start", "menú"},
		{"/menu", "menú"},
		{"/ayuda", "ayuda"},
		{"/start@clavebot_prueba_bot", "menú"},
		{"/cancelar", "cancelar"},
		{"/otra cosa", "/otra cosa"},
	}
	for i, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			chat := int64(3000 + i)
			h.api.Text(chat, tt.typed)
			h.waitReplies(t, chat, 1)
			if in := h.eng.inbound("telegram:" + itoa(chat)); in[0].Text != tt.engine {
				t.Errorf("engine got %q, want %q", in[0].Text, tt.engine)
			}
		})
	}
	t.Run("registered", func(t *testing.T) {
		cmds := h.api.Commands()
		for _, c := range []string{"menu", "ayuda", "cancelar"} {
			if d := cmds[c]; d == "" || strings.HasPrefix(d, "telegram.") {
				t.Errorf("command %q described as %q", c, d)
			}
		}
	})
}

// TestEditsAreAnsweredNotRead: a person who edited a message (to fix a
// typo in their CUIL) got nothing at all: the bot did not ask Telegram
// for edits. It asks now, and the engine hears of the edit, without its
// text, under an id of its own (the original's id is taken), and
// answers that it does not read edits. A live location moving is an
// edit too, every few seconds: it gets no answer.
func TestEditsAreAnsweredNotRead(t *testing.T) {
	h := start(t)
	id := h.api.Text(1001, "hola")
	h.waitReplies(t, 1001, 1)
	h.api.Edit(1001, id, "20-12604337-7")
	h.waitReplies(t, 1001, 2)
	loc := h.api.Media(1001, "location")
	h.waitReplies(t, 1001, 3)
	h.api.MoveLocation(1001, loc)
	h.api.Text(1001, "chau")
	h.waitReplies(t, 1001, 4)

	var got []string
	for _, in := range h.eng.inbound("telegram:1001") {
		if in.ID == "" || (in.ID == strconv.Itoa(id) && in.Media != "") {
			t.Errorf("inbound %+v: an edit needs an id of its own", in)
		}
		got = append(got, in.Text+"|"+in.Media)
	}
	if want := []string{"hola|", "|edited", "|location", "chau|"}; !slices.Equal(got, want) {
		t.Errorf("engine got %q, want %q", got, want)
	}
	var allowed []string
	polls := h.api.OK("getUpdates")
	if err := json.Unmarshal([]byte(polls[0].Params["allowed_updates"]), &allowed); err != nil || !slices.Contains(allowed, "edited_message") {
		t.Errorf("allowed_updates %v (%v)", allowed, err)
	}
}

func TestConfig(t *testing.T) {
	api := telegramtest.New(token)
	defer api.Close()
	tests := []struct {
		name string
		opts []telegram.Option
		ok   bool
	}{
		{"polling", nil, true},
		{"webhook", []telegram.Option{telegram.WithWebhook("https://x/telegram/webhook", "Ab_9-z")}, true},
		{"webhook without secret", []telegram.Option{telegram.WithWebhook("https://x/telegram/webhook", "")}, false},
		{"webhook secret with spaces", []telegram.Option{telegram.WithWebhook("https://x/telegram/webhook", "a b")}, false},
		{"short poll", []telegram.Option{telegram.WithPollTimeout(time.Second)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := append([]telegram.Option{telegram.WithServerURL(api.URL)}, tt.opts...)
			_, err := telegram.New(token, nil, discard(), opts...)
			if (err == nil) != tt.ok {
				t.Errorf("err = %v, want ok %v", err, tt.ok)
			}
		})
	}
	t.Run("wrong token", func(t *testing.T) {
		if _, err := telegram.New("999:nope", nil, discard(), telegram.WithServerURL(api.URL)); err == nil {
			t.Error("a token the API refuses was accepted")
		}
	})
}

// TestKeyDeletionDoesNotWaitOutAFloodWait: deleting the message that
// holds a key was retried through Telegram's 429s for as long as each
// asked (five times a minute, past the turn's two minutes): the person
// waited minutes for an answer, which then went to the outbox as late.
// The deletion now waits in place no longer than a turn's send; past
// that the person is asked to delete the message, as for any failure.
func TestKeyDeletionDoesNotWaitOutAFloodWait(t *testing.T) {
	h := start(t)
	h.api.FailNext("deleteMessage", 5, 60)
	h.api.Text(1001, "clave:Secreta123")
	got := h.waitReplies(t, 1001, 2)
	if !strings.Contains(got[0], "borr") || got[1] != "Listo, ya la leí." {
		t.Errorf("replies %q, want the request to delete the key message, then the reply", got)
	}
	var waited time.Duration
	for _, w := range h.retryWaits() {
		waited += w
	}
	if waited > 5*time.Second {
		t.Errorf("the turn waited %v in place to delete the key message (waits %v)", waited, h.retryWaits())
	}
}

// TestKeyInACaptionIsDeleted: a photo whose caption held a key stayed in
// the chat: the caption never reached the engine, which could not tell.
// It now goes with the photo (never as its text), and a message the
// engine says holds a key is deleted, as a text is.
func TestKeyInACaptionIsDeleted(t *testing.T) {
	h := start(t)
	id := h.api.Captioned(1001, "photo", "clave:Secreta123")
	h.waitReplies(t, 1001, 1)
	in := h.eng.inbound("telegram:1001")
	if len(in) != 1 || in[0].Media != "photo" || in[0].Text != "" || in[0].Caption != "clave:Secreta123" {
		t.Fatalf("engine got %+v, want the photo with its caption apart", in)
	}
	if msgs := h.api.Messages(1001); !msgs[0].Deleted || msgs[0].ID != id {
		t.Errorf("the photo holding a key %+v not deleted", msgs[0])
	}
}
