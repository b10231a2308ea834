package loadtest

import (
	"reflect"
	"testing"

	"github.com/clavebot/clavebot/bot/whatsapp/cloud/graphtest"
)

// TestWhatsAppReply reads the bot's messages as the person sees them on
// WhatsApp: buttons by title, list rows by their whole label (the
// description, when the title was shortened), options sent as numbered
// text by their labels under the question.
func TestWhatsAppReply(t *testing.T) {
	tests := []struct {
		name string
		in   graphtest.Message
		want Reply
	}{
		{"text", graphtest.Message{Text: "¿Cuál es tu CUIL?"}, Reply{Text: "¿Cuál es tu CUIL?"}},
		{"buttons", graphtest.Message{Text: "¿Te sirvió?", Options: []graphtest.Option{{ID: "q:1", Title: "Sí"}, {ID: "q:2", Title: "No"}}},
			Reply{Text: "¿Te sirvió?", Options: []string{"Sí", "No"}}},
		{"a shortened row", graphtest.Message{Text: "Elegí", Options: []graphtest.Option{{Title: "Ministerio de Desarr…", Description: "Ministerio de Desarrollo Social"}, {Title: "Ninguna"}}},
			Reply{Text: "Elegí", Options: []string{"Ministerio de Desarrollo Social", "Ninguna"}}},
		{"numbered text", graphtest.Message{Text: "¿Qué te pasa?\n\n1. No recuerdo mi clave\n2. Mis datos no coinciden"},
			Reply{Text: "¿Qué te pasa?", Options: []string{"No recuerdo mi clave", "Mis datos no coinciden"}}},
		{"a list that is not options", graphtest.Message{Text: "Pasos:\n\n1. Entrá\nLuego seguí"}, Reply{Text: "Pasos:\n\n1. Entrá\nLuego seguí"}},
	}
	for _, tt := range tests {
		if got := waReply(&tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: waReply = %#v, want %#v", tt.name, got, tt.want)
		}
	}
}
