package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"net/http"
	"net/netip"
	"time"

	"github.com/clavebot/clavebot/bot/rest"
	"github.com/clavebot/clavebot/dialog"
)

// restChannel posts to POST /v1/chat of the serve processes, spreading
// turns over them at random as a load balancer without affinity would.
type restChannel struct {
	token   string
	sources bool // each person's own address in X-Clavebot-Source
	urls    []string
	client  *http.Client
}

// What the REST chat's X-Clavebot-Source says (--source).
const (
	// SourcePerPerson: each person writes from an address of their own, as
	// the README tells a portal to pass it. serve then counts the limits
	// per source (CUILs tried, new chats, checks, hand-overs), each a
	// Redis round trip of its own, as it would in production.
	SourcePerPerson = "person"
	// SourceNone: a client that passes no source; those limits are not
	// counted.
	SourceNone = "none"
)

// Sources lists --source's values.
var Sources = []string{SourcePerPerson, SourceNone}

// sourceOf is the address chat's person writes from: one of the 4 million
// of the carrier-grade NAT range (100.64.0.0/10), drawn from the chat id
// so that a person keeps theirs. Two people of 10,000 share one about
// a dozen times, as people behind one address do.
func sourceOf(chat string) string {
	h := fnv.New32a()
	h.Write([]byte(chat))
	n := h.Sum32() & (1<<22 - 1)
	return netip.AddrFrom4([4]byte{100, 64 | byte(n>>16), byte(n >> 8), byte(n)}).String()
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
	switch o.Sources {
	case "", SourcePerPerson, SourceNone:
	default:
		return nil, fmt.Errorf("loadtest: --source %q: want one of %v", o.Sources, Sources)
	}
	return &restChannel{token: o.APIToken, sources: o.Sources != SourceNone, client: &http.Client{Transport: tr}}, nil
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
		// serve believes a source only with the token; without one it
		// takes the peer's address, this tool's loopback, which is none.
		if r.sources {
			req.Header.Set(rest.SourceHeader, sourceOf(chat))
		}
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
