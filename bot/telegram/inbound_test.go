package telegram

import (
	"testing"

	"github.com/go-telegram/bot/models"
)

func TestCommandText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/start", "menú"},
		{"/start campaña", "menú"},
		{"/START", "menú"},
		{"/menu@clavebot", "menú"},
		{"/ayuda", "ayuda"},
		{"/help", "ayuda"},
		{"/cancelar", "cancelar"},
		{"/persona", "/persona"},
		{"hola /start", "hola /start"},
		{"20-31456789-4", "20-31456789-4"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := commandText(tt.in); got != tt.want {
				t.Errorf("commandText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMessageInbound(t *testing.T) {
	chat := models.Chat{ID: 77, Type: models.ChatTypePrivate}
	tests := []struct {
		name      string
		msg       models.Message
		text      string
		media     string
		delivered bool
	}{
		{"text", models.Message{Text: "hola"}, "hola", "", true},
		{"photo with caption", models.Message{Photo: []models.PhotoSize{{}}, Caption: "mi dni"}, "", "photo", true},
		{"gif", models.Message{Animation: &models.Animation{}, Document: &models.Document{}}, "", "animation", true},
		{"document", models.Message{Document: &models.Document{}}, "", "file", true},
		{"venue", models.Message{Venue: &models.Venue{}}, "", "location", true},
		{"pinned message", models.Message{PinnedMessage: &models.MaybeInaccessibleMessage{}}, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.msg
			m.ID, m.Chat = 5, chat
			in, ok := messageInbound(&m)
			if ok != tt.delivered || in.Text != tt.text || in.Media != tt.media {
				t.Errorf("got %+v, %v", in, ok)
			}
			if ok && (in.Chat != "telegram:77" || in.ID != "5" || in.Channel != "telegram") {
				t.Errorf("ids %+v", in)
			}
		})
	}
}

func TestReadTap(t *testing.T) {
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{
		{{Text: "Sí", CallbackData: "k3x9.1"}}, {{Text: "No", CallbackData: "k3x9.2"}},
	}}
	private := models.Chat{ID: 77, Type: models.ChatTypePrivate}
	msg := &models.Message{ID: 9, Chat: private, Text: "¿Sos vos?", ReplyMarkup: kb}
	forwarded := &models.Message{ID: 9, Chat: models.Chat{ID: -77, Type: models.ChatTypeGroup}, Text: "¿Sos vos?", ReplyMarkup: kb}
	old := &models.Message{ID: 9, Chat: private, Text: "¿Sos vos?", ReplyMarkup: &models.InlineKeyboardMarkup{
		InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "Sí", CallbackData: "1"}}},
	}}
	inaccessible := models.MaybeInaccessibleMessage{
		Type: models.MaybeInaccessibleMessageTypeInaccessibleMessage, InaccessibleMessage: &models.InaccessibleMessage{Chat: private, MessageID: 9},
	}
	inGroup := models.MaybeInaccessibleMessage{
		Type: models.MaybeInaccessibleMessageTypeInaccessibleMessage, InaccessibleMessage: &models.InaccessibleMessage{Chat: models.Chat{ID: -77, Type: models.ChatTypeSupergroup}, MessageID: 9},
	}
	tests := []struct {
		name     string
		q        models.CallbackQuery
		label    string
		question string
		n        int
		ok       bool
	}{
		{"label found", models.CallbackQuery{ID: "q", Data: "k3x9.2", Message: models.MaybeInaccessibleMessage{Message: msg}}, "No", "k3x9", 2, true},
		{"unknown data", models.CallbackQuery{ID: "q", Data: "k3x9.7", Message: models.MaybeInaccessibleMessage{Message: msg}}, "", "k3x9", 7, true},
		// Telegram gives no label: the question still tells a stale tap.
		{"inaccessible message", models.CallbackQuery{ID: "q", Data: "k3x9.1", Message: inaccessible}, "", "k3x9", 1, true},
		// A button sent before they named their question.
		{"untagged button", models.CallbackQuery{ID: "q", Data: "1", Message: models.MaybeInaccessibleMessage{Message: old}}, "Sí", "", 1, true},
		{"untagged, inaccessible", models.CallbackQuery{ID: "q", Data: "1", Message: inaccessible}, "", "", 1, true},
		{"not an option", models.CallbackQuery{ID: "q", Data: "k3x9.x", Message: models.MaybeInaccessibleMessage{Message: msg}}, "", "", 0, false},
		// A question forwarded to a group, tapped there by anyone.
		{"in a group", models.CallbackQuery{ID: "q", Data: "k3x9.1", Message: models.MaybeInaccessibleMessage{Message: forwarded}}, "", "", 0, false},
		{"in a group, inaccessible", models.CallbackQuery{ID: "q", Data: "k3x9.1", Message: inGroup}, "", "", 0, false},
		{"inline mode", models.CallbackQuery{ID: "q", Data: "k3x9.1", InlineMessageID: "x"}, "", "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tp, ok := readTap(&tt.q)
			if ok != tt.ok || (ok && (tp.label != tt.label || tp.question != tt.question || tp.n != tt.n)) {
				t.Errorf("got %+v, %v", tp, ok)
			}
			if ok && (tp.chatID != 77 || tp.msgID != 9 || tp.data != tt.q.Data) {
				t.Errorf("got %+v", tp)
			}
		})
	}
}
