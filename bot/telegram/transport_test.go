package telegram

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

type recordingTripper struct {
	length int64
	body   []byte
}

func (t *recordingTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	t.length = r.ContentLength
	t.body, _ = io.ReadAll(r.Body)
	r.Body.Close()
	return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader(`{"ok":true}`)), Request: r}, nil
}

// TestTransportSendsLengths: a body streamed through a pipe, as the
// library sends every call, leaves with its length (so net/http writes
// it at once instead of chunk by chunk, a system call each) and intact;
// one larger than maxBuffered leaves intact, streamed as before.
func TestTransportSendsLengths(t *testing.T) {
	tests := []struct {
		name       string
		size       int
		wantLength bool
	}{
		{"a call's form", 600, true},
		{"the most read ahead", maxBuffered, true},
		{"a file", maxBuffered + 1000, false},
	}
	for _, tt := range tests {
		rec := &recordingTripper{}
		body := bytes.Repeat([]byte("ab"), tt.size/2)
		pr, pw := io.Pipe()
		go func() {
			for i := 0; i < len(body); i += 7 { // small writes, as multipart's
				pw.Write(body[i:min(i+7, len(body))])
			}
			pw.Close()
		}()
		req, _ := http.NewRequest(http.MethodPost, "http://api.example/bot1:x/sendMessage", pr)
		if _, err := (transport{base: rec}).RoundTrip(req); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if !bytes.Equal(rec.body, body) {
			t.Errorf("%s: the body changed on the way (%d bytes of %d)", tt.name, len(rec.body), len(body))
		}
		if got := rec.length == int64(len(body)); got != tt.wantLength {
			t.Errorf("%s: ContentLength %d for %d bytes", tt.name, rec.length, len(body))
		}
	}
}
