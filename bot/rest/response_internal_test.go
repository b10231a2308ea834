package rest

import (
	"net/http/httptest"
	"testing"

	"github.com/clavebot/clavebot/internal/httpjson"
)

// The answer's struct writes the same bytes as the map it replaced
// (CONTRACT's clients may compare them): keys sorted, the secret only
// when there is one, an empty list of replies as [].
func TestChatResponseAsTheMapWas(t *testing.T) {
	replies := []reply{{Text: "¿Qué necesitás? <tocá> & elegí", Options: []string{"Crear mi clave", "Ñandú"}, Expect: "menu"}, {Text: "hola", Expect: "text"}}
	tests := []struct {
		name    string
		secret  string
		replies []reply
	}{
		{"replies", "", replies},
		{"with a secret", "s3cr3t-Value", replies},
		{"no replies", "", []reply{}},
		{"no replies, a secret", "x", []reply{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := map[string]any{"replies": tt.replies}
			if tt.secret != "" {
				old["chat_secret"] = tt.secret
			}
			want, got := httptest.NewRecorder(), httptest.NewRecorder()
			httpjson.Write(want, 200, old)
			httpjson.Write(got, 200, chatResponse{ChatSecret: tt.secret, Replies: tt.replies})
			if got.Body.String() != want.Body.String() {
				t.Errorf("got  %s\nwant %s", got.Body, want.Body)
			}
		})
	}
}
