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
		{{Text: "Sí", CallbackData: "1"}}, {{Text: "No", CallbackData: "2"}},
	}}
	msg := &models.Message{ID: 9, Chat: models.Chat{ID: 77}, Text: "¿Sos vos?", ReplyMarkup: kb}
	tests := []struct {
		name  string
		q     models.CallbackQuery
		label string
		ok    bool
	}{
		{"label found", models.CallbackQuery{ID: "q", Data: "2", Message: models.MaybeInaccessibleMessage{Message: msg}}, "No", true},
		{"unknown data", models.CallbackQuery{ID: "q", Data: "7", Message: models.MaybeInaccessibleMessage{Message: msg}}, "", true},
		{"old message", models.CallbackQuery{ID: "q", Data: "1", Message: models.MaybeInaccessibleMessage{
			Type: models.MaybeInaccessibleMessageTypeInaccessibleMessage, InaccessibleMessage: &models.InaccessibleMessage{Chat: models.Chat{ID: 77}, MessageID: 9},
		}}, "", true},
		{"inline mode", models.CallbackQuery{ID: "q", Data: "1", InlineMessageID: "x"}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tp, ok := readTap(&tt.q)
			if ok != tt.ok || tp.label != tt.label {
				t.Errorf("got %+v, %v", tp, ok)
			}
			if ok && (tp.chatID != 77 || tp.msgID != 9 || tp.data != tt.q.Data) {
				t.Errorf("got %+v", tp)
			}
		})
	}
}
