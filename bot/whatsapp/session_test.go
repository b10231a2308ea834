package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/appstate"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/whatsapp/internal/wtest"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
)

// call is one thing the bot did on WhatsApp.
type call struct {
	Kind string // "read", "typing", "send", "online"
	Chat string
	Text string // the text sent, or the id read
}

type fakeClient struct {
	mu    sync.Mutex
	calls []call
	fail  []error           // returned by the next sends, in order
	ids   []types.MessageID // the ids of sends that went out
	byID  map[types.MessageID]string
	made  []types.MessageID // ids made for sends without one, in order
}

var _ Client = (*fakeClient)(nil)

func (f *fakeClient) record(c call) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
}

func (f *fakeClient) Calls() []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]call(nil), f.calls...)
}

// SendMessage records the message; like WhatsApp, a message sent again
// with the id of one already sent is the same message, shown once. A
// message sent without an id gets one, as whatsmeow makes it.
func (f *fakeClient) SendMessage(_ context.Context, to types.JID, m *waE2E.Message, extra ...whatsmeow.SendRequestExtra) (whatsmeow.SendResponse, error) {
	f.mu.Lock()
	var err error
	if len(f.fail) > 0 {
		err, f.fail = f.fail[0], f.fail[1:]
	}
	id := types.MessageID("")
	if len(extra) > 0 {
		id = extra[0].ID
	}
	dup := id != "" && f.byID[id] != ""
	switch {
	case err != nil:
	case id == "":
		id = types.MessageID(fmt.Sprintf("3EB0%018X", len(f.made)+1))
		f.made = append(f.made, id)
	default:
		if f.byID == nil {
			f.byID = map[types.MessageID]string{}
		}
		f.byID[id] = m.GetConversation()
		f.ids = append(f.ids, id)
	}
	f.mu.Unlock()
	if err != nil {
		return whatsmeow.SendResponse{}, err
	}
	if !dup {
		f.record(call{"send", to.String(), m.GetConversation()})
	}
	return whatsmeow.SendResponse{ID: id}, nil
}

// Made lists the ids made for messages sent without one (a turn's
// replies), in order.
func (f *fakeClient) Made() []types.MessageID {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]types.MessageID(nil), f.made...)
}

func (f *fakeClient) SendAppState(_ context.Context, p appstate.PatchInfo) error {
	m := p.Mutations[0]
	f.record(call{"delete-for-me", m.Index[1], m.Index[2]})
	return nil
}

func (f *fakeClient) MarkRead(_ context.Context, ids []types.MessageID, _ time.Time, chat, _ types.JID, _ ...types.ReceiptType) error {
	f.record(call{"read", chat.String(), ids[0]})
	return nil
}

func (f *fakeClient) SendChatPresence(_ context.Context, jid types.JID, state types.ChatPresence, _ types.ChatPresenceMedia) error {
	f.record(call{"typing", jid.String(), string(state)})
	return nil
}

func (f *fakeClient) SendPresence(context.Context, types.Presence) error {
	f.record(call{Kind: "online"})
	return nil
}

// harness is a session over a fake client and the scripted engine.
type harness struct {
	w      *WhatsApp
	s      *session
	cli    *fakeClient
	engine *wtest.Engine
}

func newHarness(t *testing.T, opts ...Option) *harness {
	h := &harness{cli: &fakeClient{}, engine: &wtest.Engine{}}
	h.w = newWhatsApp(wtest.Bot(t, h.engine), wtest.Quiet(), append([]Option{WithQRWriter(nil)}, opts...)...)
	h.s = h.w.newSession(h.cli)
	return h
}

// feed delivers events and waits until every queued turn is done.
func (h *harness) feed(evts ...any) {
	for _, e := range evts {
		h.s.handleEvent(e)
	}
	h.w.Close()
}

const alice = "5491111111111"

func jid(user string) types.JID { return types.NewJID(user, types.DefaultUserServer) }

func textMsg(from, id, text string) *events.Message {
	return newMsg(from, id, &waE2E.Message{Conversation: proto.String(text)})
}

func newMsg(from, id string, m *waE2E.Message) *events.Message {
	j := jid(from)
	return &events.Message{
		Info: types.MessageInfo{
			MessageSource: types.MessageSource{Chat: j, Sender: j},
			ID:            id,
			Timestamp:     time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
		},
		Message: m,
	}
}

func TestTextTurn(t *testing.T) {
	chat := jid(alice).String()
	tests := []struct {
		name string
		msg  *waE2E.Message
	}{
		{"conversation", &waE2E.Message{Conversation: proto.String("hola")}},
		{"extended text", &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{Text: proto.String("hola")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.feed(newMsg(alice, "M1", tt.msg))
			want := []call{{"read", chat, "M1"}, {"typing", chat, "composing"}, {"send", chat, "echo hola"}}
			if got := h.cli.Calls(); !slices.Equal(got, want) {
				t.Fatalf("calls = %+v, want %+v", got, want)
			}
			wantIn := convo.Inbound{Chat: "whatsapp:" + chat, ID: "M1", Text: "hola", Channel: "whatsapp"}
			if got := h.engine.Inbounds(); len(got) != 1 || got[0] != wantIn {
				t.Fatalf("engine got %+v, want %+v", got, wantIn)
			}
		})
	}
}

func TestOptionsAreNumbered(t *testing.T) {
	h := newHarness(t)
	h.feed(textMsg(alice, "M1", "menu"))
	want := "elegí\n\n1. Crear\n2. Recuperar\n3. Cambiar"
	if got := lastSent(h.cli.Calls()); got != want {
		t.Fatalf("sent %q, want %q", got, want)
	}
	if _, ok := any(h.s).(bot.OptionSender); ok {
		t.Fatal("whatsmeow session must send options as numbered text")
	}
}

func lastSent(calls []call) string {
	for i := len(calls) - 1; i >= 0; i-- {
		if calls[i].Kind == "send" {
			return calls[i].Text
		}
	}
	return ""
}

func TestIgnored(t *testing.T) {
	from := func(chat types.JID, mutate func(*events.Message)) *events.Message {
		m := textMsg(alice, "M1", "hola")
		m.Info.Chat = chat
		if mutate != nil {
			mutate(m)
		}
		return m
	}
	group := types.NewJID("120363000000000000", types.GroupServer)
	tests := []struct {
		name string
		evt  *events.Message
	}{
		{"group", from(group, func(m *events.Message) { m.Info.IsGroup = true })},
		{"status broadcast", from(types.StatusBroadcastJID, nil)},
		{"broadcast list", from(types.NewJID("1234", types.BroadcastServer), nil)},
		{"newsletter", from(types.NewJID("1203630000", types.NewsletterServer), nil)},
		{"own message", from(jid(alice), func(m *events.Message) { m.Info.IsFromMe = true })},
		{"reaction", newMsg(alice, "M1", &waE2E.Message{ReactionMessage: &waE2E.ReactionMessage{Text: proto.String("👍")}})},
		{"revocation", newMsg(alice, "M1", &waE2E.Message{ProtocolMessage: &waE2E.ProtocolMessage{}})},
		{"empty", newMsg(alice, "M1", &waE2E.Message{})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.feed(tt.evt)
			if c := h.cli.Calls(); len(c) != 0 {
				t.Fatalf("answered: %+v", c)
			}
			if in := h.engine.Inbounds(); len(in) != 0 {
				t.Fatalf("engine got %+v", in)
			}
		})
	}
}

// TestEditIsAnsweredNotRead: a person who edited a message got nothing.
// The engine hears of the edit, without its text, under an id of its own
// (the original's is taken), and answers that it does not read edits.
// WhatsApp sends an edit as a protocol message (MESSAGE_EDIT) with the new
// content, or unwrapped (IsEdit).
func TestEditIsAnsweredNotRead(t *testing.T) {
	edited := &waE2E.Message{Conversation: proto.String("20-12604337-7")}
	tests := []struct {
		name string
		evt  *events.Message
	}{
		{"unwrapped", func() *events.Message { m := textMsg(alice, "M1", "20-12604337-7"); m.IsEdit = true; return m }()},
		{"protocol message", newMsg(alice, "E1", &waE2E.Message{ProtocolMessage: &waE2E.ProtocolMessage{
			Type: waE2E.ProtocolMessage_MESSAGE_EDIT.Enum(), EditedMessage: edited}})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.feed(tt.evt)
			in := h.engine.Inbounds()
			if len(in) != 1 || in[0].Media != convo.MediaEdited || in[0].Text != "" || in[0].ID == tt.evt.Info.ID {
				t.Fatalf("engine got %+v, want an edit, unread, under an id of its own", in)
			}
		})
	}
}

func TestMedia(t *testing.T) {
	tests := []struct {
		msg  *waE2E.Message
		want string
	}{
		{&waE2E.Message{StickerMessage: &waE2E.StickerMessage{}}, "sticker"},
		{&waE2E.Message{ImageMessage: &waE2E.ImageMessage{Caption: proto.String("mi dni")}}, "photo"},
		{&waE2E.Message{AudioMessage: &waE2E.AudioMessage{PTT: proto.Bool(true)}}, "voice"},
		{&waE2E.Message{DocumentMessage: &waE2E.DocumentMessage{}}, "file"},
		{&waE2E.Message{VideoMessage: &waE2E.VideoMessage{}}, "video"},
		{&waE2E.Message{LocationMessage: &waE2E.LocationMessage{}}, "location"},
		{&waE2E.Message{ContactMessage: &waE2E.ContactMessage{}}, "contact"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			h := newHarness(t)
			h.feed(newMsg(alice, "M1", tt.msg))
			in := h.engine.Inbounds()
			if len(in) != 1 || in[0].Media != tt.want || in[0].Text != "" {
				t.Fatalf("engine got %+v, want media %q", in, tt.want)
			}
			if got := lastSent(h.cli.Calls()); got != "media "+tt.want {
				t.Fatalf("sent %q", got)
			}
		})
	}
}

func TestDuplicatesDropped(t *testing.T) {
	const bob = "5492222222222"
	h := newHarness(t)
	h.feed(
		textMsg(alice, "M1", "uno"),
		textMsg(alice, "M1", "uno"), // redelivered
		textMsg(bob, "M1", "otro"),  // same id in another chat is another message
		textMsg(alice, "M1", "uno"),
	)
	var texts []string
	for _, in := range h.engine.Inbounds() {
		texts = append(texts, in.Text)
	}
	slices.Sort(texts)
	if want := []string{"otro", "uno"}; !slices.Equal(texts, want) {
		t.Fatalf("engine got %v, want %v", texts, want)
	}
}

func TestPerChatOrder(t *testing.T) {
	const bob, n = "5492222222222", 40
	h := newHarness(t, WithWorkers(4))
	var evts []any
	for i := range n {
		evts = append(evts, textMsg(alice, fmt.Sprintf("A%d", i), fmt.Sprint(i)), textMsg(bob, fmt.Sprintf("B%d", i), fmt.Sprint(i)))
	}
	h.feed(evts...)
	for _, who := range []string{alice, bob} {
		var sent []string
		for _, c := range h.cli.Calls() {
			if c.Kind == "send" && c.Chat == jid(who).String() {
				sent = append(sent, c.Text)
			}
		}
		if len(sent) != n {
			t.Fatalf("%s: %d replies, want %d", who, len(sent), n)
		}
		for i, s := range sent {
			if want := fmt.Sprintf("echo %d", i); s != want {
				t.Fatalf("%s: reply %d = %q, want %q (order broken)", who, i, s, want)
			}
		}
	}
}

func TestKeyMessageDeletedOnTheBotsSideAndPersonAsked(t *testing.T) {
	h := newHarness(t)
	h.feed(textMsg(alice, "M1", "key Secreta123"))
	if _, ok := any(h.s).(bot.Deleter); ok {
		t.Fatal("WhatsApp cannot delete a person's message for everyone: session must not be a bot.Deleter")
	}
	var sent []string
	deleted := false
	for _, c := range h.cli.Calls() {
		switch c.Kind {
		case "send":
			sent = append(sent, c.Text)
		case "delete-for-me":
			deleted = c.Chat == jid(alice).String() && c.Text == "M1"
		}
	}
	if !deleted {
		t.Fatalf("the key message stayed on the bot's phone: %+v", h.cli.Calls())
	}
	ask := h.w.bot.Printer().Sprint(i18n.M("bot.delete_key_message_everyone"))
	if want := []string{ask, "clave anotada"}; !slices.Equal(sent, want) || !strings.Contains(ask, "Eliminar para todos") {
		t.Fatalf("sent %q, want %q", sent, want)
	}
}

// TestKeyInACaptionDeletedOnTheBotsSide: a photo, a video or a file whose
// caption held a key stayed on the bot's phone, and the person was not
// asked to delete it: the caption never reached the engine. It goes now
// with the media (never as its text), and such a message is treated as
// a key typed as text.
func TestKeyInACaptionDeletedOnTheBotsSide(t *testing.T) {
	tests := []struct {
		name string
		msg  *waE2E.Message
	}{
		{"photo", &waE2E.Message{ImageMessage: &waE2E.ImageMessage{Caption: proto.String("key Secreta123")}}},
		{"video", &waE2E.Message{VideoMessage: &waE2E.VideoMessage{Caption: proto.String("key Secreta123")}}},
		// whatsmeow unwraps a documentWithCaptionMessage (UnwrapRaw)
		{"file", &waE2E.Message{DocumentMessage: &waE2E.DocumentMessage{Caption: proto.String("key Secreta123")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.feed(newMsg(alice, "M1", tt.msg))
			in := h.engine.Inbounds()
			if len(in) != 1 || in[0].Media == "" || in[0].Text != "" || in[0].Caption != "key Secreta123" {
				t.Fatalf("engine got %+v, want the media with its caption apart", in)
			}
			deleted, asked := false, false
			ask := h.w.bot.Printer().Sprint(i18n.M("bot.delete_key_message_everyone"))
			for _, c := range h.cli.Calls() {
				deleted = deleted || c.Kind == "delete-for-me" && c.Text == "M1"
				asked = asked || c.Kind == "send" && c.Text == ask
			}
			if !deleted || !asked {
				t.Fatalf("deleted on the bot's side %v, person asked %v: %+v", deleted, asked, h.cli.Calls())
			}
		})
	}
}

func TestHiddenIDUsesPhoneNumber(t *testing.T) {
	h := newHarness(t)
	lid := types.NewJID("987654321", types.HiddenUserServer)
	m := textMsg(alice, "M1", "hola")
	m.Info.Chat, m.Info.Sender, m.Info.SenderAlt = lid, lid, jid(alice)
	h.feed(m)
	in := h.engine.Inbounds()
	if len(in) != 1 || in[0].Chat != "whatsapp:"+jid(alice).String() {
		t.Fatalf("engine got %+v, want the phone number's chat", in)
	}
	if c := h.cli.Calls(); c[len(c)-1].Chat != lid.String() {
		t.Fatalf("reply went to %s, want the chat it came from (%s)", c[len(c)-1].Chat, lid)
	}
}

func TestConnectionEvents(t *testing.T) {
	tests := []struct {
		name string
		evt  any
		want error // nil: the connection goes on
	}{
		{"stream replaced", &events.StreamReplaced{}, ErrStreamReplaced},
		{"logged out", &events.LoggedOut{Reason: events.ConnectFailureLoggedOut}, ErrLoggedOut},
		{"temporary ban", &events.TemporaryBan{Code: events.TempBanBlockedByUsers}, ErrBanned},
		{"client outdated", &events.ClientOutdated{}, ErrOutdated},
		{"disconnected", &events.Disconnected{}, nil},
		{"keepalive timeout", &events.KeepAliveTimeout{ErrorCount: 1}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.feed(tt.evt)
			select {
			case err := <-h.s.stop:
				if !errors.Is(err, tt.want) {
					t.Fatalf("stopped with %v, want %v", err, tt.want)
				}
			default:
				if tt.want != nil {
					t.Fatalf("did not stop, want %v", tt.want)
				}
			}
		})
	}
}

func TestConnectedClearsQR(t *testing.T) {
	var mu sync.Mutex
	var shown []string
	h := newHarness(t, WithOnQR(func(code string) {
		mu.Lock()
		defer mu.Unlock()
		shown = append(shown, code)
	}))
	h.w.setQR("2@abc")
	if h.w.QR() != "2@abc" {
		t.Fatalf("QR() = %q", h.w.QR())
	}
	h.feed(&events.Connected{})
	if h.w.QR() != "" {
		t.Fatalf("QR() = %q after connecting", h.w.QR())
	}
	mu.Lock()
	defer mu.Unlock()
	if want := []string{"2@abc", ""}; !slices.Equal(shown, want) {
		t.Fatalf("OnQR saw %q, want %q", shown, want)
	}
	// Marking the account online happens off the event loop.
	for deadline := time.Now().Add(5 * time.Second); !slices.Contains(h.cli.Calls(), call{Kind: "online"}); {
		if time.Now().After(deadline) {
			t.Fatal("account not marked online after connecting")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// The number a message comes from reaches the engine in E.164, also when
// WhatsApp addresses the person by a hidden id; without the number, none.
func TestSenderPhoneReachesEngine(t *testing.T) {
	const phone = "5491123456789"
	lid := types.NewJID("987654321", types.HiddenUserServer)
	tests := []struct {
		name string
		edit func(m *events.Message)
		want string
	}{
		{"phone chat", func(m *events.Message) {}, "+5491123456789"},
		{"hidden id with its phone", func(m *events.Message) {
			m.Info.Chat, m.Info.Sender, m.Info.SenderAlt = lid, lid, jid(phone)
		}, "+5491123456789"},
		{"hidden id alone", func(m *events.Message) { m.Info.Chat, m.Info.Sender = lid, lid }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			m := textMsg(phone, "M1", "hola")
			tt.edit(m)
			h.feed(m)
			if in := h.engine.Inbounds(); len(in) != 1 || in[0].From != tt.want {
				t.Fatalf("engine got %+v, want From %q", in, tt.want)
			}
		})
	}
}
