package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/clavebot/clavebot/dialog"
)

// restChannel posts to POST /v1/chat of the serve processes, spreading
// turns over them at random as a load balancer without affinity would.
type restChannel struct {
	token  string
	urls   []string
	client *http.Client
}

func newREST(o ChannelOptions) (Channel, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	conns := o.Conns
	if conns <= 0 {
		conns = DefaultMaxAwaiting
	}
	tr.MaxIdleConns = conns
	tr.MaxIdleConnsPerHost = conns
	tr.MaxConnsPerHost = 0
	// Shorter than serve's idle timeout, so a connection serve is closing
	// is not picked for a request.
	tr.IdleConnTimeout = 20 * time.Second
	return &restChannel{token: o.APIToken, client: &http.Client{Transport: tr}}, nil
}

func (r *restChannel) Name() string               { return "rest" }
func (r *restChannel) ServeFlags(string) []string { return nil }
func (r *restChannel) ChatID(chat string) string  { return "rest:" + chat }

// SideKeys: the REST chat keeps its secret's hash under the client's own
// chat id (bot/rest's RedisSecrets), apart from the engine's keys.
func (r *restChannel) SideKeys() (string, func(chat string) string) {
	return "*rest:secret:{*", func(chat string) string { return chat }
}
func (r *restChannel) Close() error { r.client.CloseIdleConnections(); return nil }
func (r *restChannel) Start(_ context.Context, urls []string) error {
	r.urls = urls
	return nil
}

type restRequest struct {
	Chat string `json:"chat"`
	Text string `json:"text"`
	ID   string `json:"id"`
}

type restResponse struct {
	Replies []struct {
		Text    string   `json:"text"`
		Options []string `json:"options"`
		Expect  string   `json:"expect"`
	} `json:"replies"`
}

// Send posts one message; the message id makes a retry safe.
func (r *restChannel) Send(ctx context.Context, chat string, a Action) ([]Reply, error) {
	body, err := json.Marshal(restRequest{Chat: chat, Text: a.Text, ID: a.ID})
	if err != nil {
		return nil, err
	}
	url := r.urls[rand.IntN(len(r.urls))] + "/v1/chat"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	// The message id makes the request safe to send again: the transport
	// may then retry it on a fresh connection when a kept-alive one was
	// closed under it.
	req.Header.Set("Idempotency-Key", chat+"/"+a.ID)
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, fmt.Errorf("POST /v1/chat: %s: %s", resp.Status, bytes.TrimSpace(b))
	}
	var out restResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("POST /v1/chat: %w", err)
	}
	replies := make([]Reply, len(out.Replies))
	for i, m := range out.Replies {
		replies[i] = Reply{Text: m.Text, Options: m.Options, Expect: dialog.Expect(m.Expect)}
	}
	return replies, nil
}
