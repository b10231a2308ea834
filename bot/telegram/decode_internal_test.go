package telegram

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/go-telegram/bot/models"
)

// answer is a RoundTripper that answers every call with body.
type answer []byte

func (a answer) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(a)), Request: r}, nil
}

// updatesBatch is a getUpdates answer of n people's messages.
func updatesBatch(n int) []byte {
	var res []string
	for i := range n {
		res = append(res, fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1700000000,"text":"hola %d",`+
			`"chat":{"id":%d,"type":"private","first_name":"Ana"},"from":{"id":%d,"is_bot":false,"first_name":"Ana"}}}`, 100+i, i, i, 1000+i, 1000+i))
	}
	return []byte(`{"ok":true,"result":[` + string(bytes.Join(toBytes(res), []byte(","))) + `]}`)
}

func toBytes(ss []string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

// TestReadableUpdatesAreDecodedOnce: every getUpdates answer was decoded
// whole by the transport, to find an update the library could not read
// (see readable), and then again by the library: each update twice, on
// every poll. An answer the library reads goes to it as it came.
func TestReadableUpdatesAreDecodedOnce(t *testing.T) {
	body := updatesBatch(50)
	var once float64
	{
		var env struct {
			Result json.RawMessage `json:"result"`
		}
		once = testing.AllocsPerRun(5, func() {
			var ups []*models.Update
			if json.Unmarshal(body, &env) != nil || json.Unmarshal(env.Result, &ups) != nil {
				t.Fatal("the batch does not decode")
			}
		})
	}
	tr := transport{base: answer(body)}
	req, err := http.NewRequest(http.MethodPost, "http://api.example/bot123:abc/getUpdates", nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []byte
	allocs := testing.AllocsPerRun(5, func() {
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ = io.ReadAll(resp.Body)
	})
	if !bytes.Equal(got, body) {
		t.Fatalf("the answer changed on its way:\n%s", got)
	}
	if allocs > once/2 {
		t.Fatalf("the transport made %.0f allocations for an answer the library decodes with %.0f: it decodes it too", allocs, once)
	}
}
