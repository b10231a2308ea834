package telegram

import (
	"strings"
	"testing"
)

// TestLibraryErrorsWithoutBodies: go-telegram/bot quotes, in the errors it
// reports, a body it could not decode: a webhook's update, a getUpdates
// answer (cut short, or a proxy's page), people's messages in them.
func TestLibraryErrorsWithoutBodies(t *testing.T) {
	tests := []struct{ in, want string }{
		{`error decode request body, {"update_id":8,"message":{"text":"mi clave es Mandarina#2026"}}, unsupported MessageOrigin type`,
			`error decode request body, (body withheld), unsupported MessageOrigin type`},
		{`error get updates, error decode response body for method getUpdates, {"ok":true,"result":[{"update_id":8,"message":{"text":"Mandarina, 2026, unexpected end of JSON input`,
			`error get updates, error decode response body for method getUpdates, (body withheld), unexpected end of JSON input`},
		{`error get updates, error decode response body for method getUpdates, <html>502</html>, invalid character '<' looking for beginning of value`,
			`error get updates, error decode response body for method getUpdates, (body withheld), invalid character '<' looking for beginning of value`},
		{`error do request for method sendMessage, Post "http://x/bot***/sendMessage": context canceled`,
			`error do request for method sendMessage, Post "http://x/bot***/sendMessage": context canceled`},
	}
	for _, tt := range tests {
		got := withoutBody(tt.in)
		if got != tt.want {
			t.Errorf("withoutBody(%q)\n = %q\nwant %q", tt.in, got, tt.want)
		}
		if strings.Contains(got, "Mandarina") {
			t.Errorf("withoutBody(%q) keeps the text: %q", tt.in, got)
		}
	}
}
