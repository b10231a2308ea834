// Package graphtest is a fake of Meta's WhatsApp Business Cloud API for
// tests and load tools, built from Meta's documentation: the Graph API's
// /<version>/<phone number id>/messages endpoint (text, interactive
// buttons and lists, templates, read receipts) with Meta's limits and
// error answers, the 24-hour customer service window, and the webhook
// side: people's messages, taps on lists and buttons, and the statuses of
// what the bot sent (sent, delivered, read, failed), posted to the bot's
// webhook signed with the app secret, and posted again while the webhook
// does not answer 200, as Meta does.
//
// Failures are injected with FailNext: Meta's retryable errors (code 2,
// 130429, 131056, 5xx), the closed window (131047), and failures after
// Meta took the message (Taken: the answer is lost, the statuses still
// come).
package graphtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Server is the fake Graph API and the people on WhatsApp.
type Server struct {
	PhoneNumberID  string
	DisplayNumber  string // the business number people see
	Token          string
	AppSecret      string
	URL            string // the base URL, without version: cloud.Config.APIURL
	Now            func() time.Time
	srv            *httptest.Server
	client         *http.Client
	mu             sync.Mutex
	st             state
	statusesWanted bool
	lateWindow     bool
	posters        int // goroutines posting webhooks; above 1, in no set order
	conns          atomic.Int64
	revoked        atomic.Bool // see Revoke
}

type state struct {
	changed   chan struct{} // closed and replaced on every change
	webhook   string
	calls     []Call
	failures  []Failure
	readFails []Failure // for read receipts, see FailReads
	refusal   *Failure  // every send refused with it, see Refuse
	sent      []*Message
	byID      map[string]*Message
	byTo      map[string][]*Message // sent, by recipient
	lastIn    map[string]time.Time  // each person's last message, for the window
	gone      map[string]bool       // people Meta cannot deliver to, see Unreachable
	templates map[string]bool       // approved "name/lang"
	nextID    int
	posts     []post        // webhook posts waiting, in order
	wake      chan struct{} // signals deliverPosts
	closed    bool
	hookCodes []int
	versions  map[string]int
	probes    []Call // reads of the phone number, see Probes
}

// Call is one request the bot made to /messages.
type Call struct {
	Version string
	Body    map[string]any
	Status  int
}

// Message is one message the bot sent, as Meta took it.
type Message struct {
	ID       string
	To       string
	Type     string // text, interactive, template
	Text     string // the text, or the interactive body
	Kind     string // interactive: button or list
	Options  []Option
	Template string // template: "name/lang"
	Callback string // biz_opaque_callback_data: the bot's key for it
	Status   string // sent, delivered, read or failed
	At       time.Time
}

// Option is a button or list row of an interactive message.
type Option struct {
	ID, Title, Description string
}

// Option configures New.
type ServerOption func(*Server)

// WithIDs sets the phone number id, token and app secret.
func WithIDs(phoneNumberID, token, appSecret string) ServerOption {
	return func(s *Server) { s.PhoneNumberID, s.Token, s.AppSecret = phoneNumberID, token, appSecret }
}

// WithoutStatuses stops the automatic sent and delivered statuses (Read,
// Deliver and FailLater still post them).
func WithoutStatuses() ServerOption { return func(s *Server) { s.statusesWanted = false } }

// WithLateWindowFailures makes Meta take free text outside the 24-hour
// window (200) and report 131047 afterwards, by a "failed" status, as it
// sometimes does, instead of refusing it at once.
func WithLateWindowFailures() ServerOption { return func(s *Server) { s.lateWindow = true } }

// WithParallelWebhooks posts webhooks from n goroutines, and each
// person's message from the goroutine that writes it, instead of one post
// at a time in order: for load tools, whose thousands of people would
// otherwise wait in one line at the fake. Meta does not promise the order
// of webhooks either; with this a status may arrive before or after the
// person's next message.
func WithParallelWebhooks(n int) ServerOption {
	return func(s *Server) { s.posters = n }
}

// New starts a fake for phone number id "1065", token "test-token", app
// secret "app-secret" (see WithIDs). Set the bot's webhook with
// SetWebhook before people write.
func New(opts ...ServerOption) *Server {
	s := &Server{
		PhoneNumberID: "1065", DisplayNumber: "5491100000000", Token: "test-token", AppSecret: "app-secret",
		Now: time.Now, client: &http.Client{Timeout: 10 * time.Second}, statusesWanted: true,
	}
	for _, o := range opts {
		o(s)
	}
	if s.posters > 1 {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 4 * s.posters
		s.client.Transport = tr
	}
	s.st = state{
		changed: make(chan struct{}), byID: map[string]*Message{}, byTo: map[string][]*Message{}, lastIn: map[string]time.Time{}, gone: map[string]bool{},
		templates: map[string]bool{}, wake: make(chan struct{}, 1), versions: map[string]int{},
	}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.srv.Start()
	s.URL = s.srv.URL
	for range max(s.posters, 1) {
		go s.deliverPosts()
	}
	return s
}

// Close stops the server and the webhook posts.
func (s *Server) Close() {
	s.mu.Lock()
	s.st.closed = true
	s.mu.Unlock()
	s.signal()
	s.srv.Close()
}

// SetWebhook is the bot's webhook URL (its /whatsapp/webhook).
func (s *Server) SetWebhook(url string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.webhook = url
}

// Approve makes template name in language lang usable.
func (s *Server) Approve(name, lang string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.templates[name+"/"+lang] = true
}

// FailNext makes the next sends (not read receipts) fail, in order.
func (s *Server) FailNext(f ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.failures = append(s.st.failures, f...)
	s.notifyLocked()
}

// Refuse makes every send (templates too, not read receipts) fail with f
// until Lift: a business account Meta blocked (368), locked (131031) or
// could not charge (131042) for hours or days.
func (s *Server) Refuse(f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.refusal = &f
}

// Unreachable makes to a person Meta cannot deliver to (no longer on
// WhatsApp, an app too old, or they blocked the business): Meta takes
// every message to them, answers 200 with its id, and then posts a "sent"
// and a "failed" status (131026), as it does; nothing is delivered.
func (s *Server) Unreachable(to string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.gone[to] = true
}

// Reachable ends Unreachable for to: the person is back on WhatsApp.
func (s *Server) Reachable(to string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.st.gone, to)
}

// Lift ends Refuse.
func (s *Server) Lift() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.refusal = nil
}

// FailReads makes the next read receipts fail, in order (they are calls
// like any other: the app's call rate, code 4, refuses them too).
func (s *Server) FailReads(f ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.readFails = append(s.st.readFails, f...)
	s.notifyLocked()
}

var (
	pathPattern  = regexp.MustCompile(`^/(v\d+\.\d+)/([^/]+)/messages$`)
	phonePattern = regexp.MustCompile(`^/(v\d+\.\d+)/([^/]+)$`)
)

// Revoke revokes the access token (a System User's token revoked, the
// app's access removed, a user token expired): every call, sends and
// reads of the phone number alike, answers 401 with code 190 from now
// on, as the Graph API does.
func (s *Server) Revoke() { s.revoked.Store(true) }

// revokedToken is the Graph API's answer to a revoked token.
var revokedToken = graphError{Code: 190, Subcode: 460, Message: "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons."}

// authorized answers 401 and reports false when r's token is not the
// server's, or was revoked.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	switch {
	case s.revoked.Load():
		writeError(w, http.StatusUnauthorized, revokedToken)
	case r.Header.Get("Authorization") != "Bearer "+s.Token:
		writeError(w, http.StatusUnauthorized, graphError{Code: 190, Message: "Invalid OAuth access token - Cannot parse access token"})
	default:
		return true
	}
	return false
}

// phoneNumber answers GET /<version>/<phone number id>: the number's
// fields, as Meta reads them to an app allowed to.
func (s *Server) phoneNumber(w http.ResponseWriter, r *http.Request, version string) {
	if !s.authorized(w, r) {
		s.recordProbe(version, http.StatusUnauthorized)
		return
	}
	s.recordProbe(version, http.StatusOK)
	writeJSON(w, http.StatusOK, map[string]any{
		"id": s.PhoneNumberID, "display_phone_number": s.DisplayNumber,
		"verified_name": "Clave de la Seguridad Social", "quality_rating": "GREEN",
	})
}

func (s *Server) recordProbe(version string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.probes = append(s.st.probes, Call{Version: version, Status: status})
	s.notifyLocked()
}

// Probes lists the reads of the phone number (GET /<version>/<id>), with
// their statuses.
func (s *Server) Probes() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.st.probes...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if m := phonePattern.FindStringSubmatch(r.URL.Path); r.Method == http.MethodGet && m != nil && m[2] == s.PhoneNumberID {
		s.phoneNumber(w, r, m[1])
		return
	}
	m := pathPattern.FindStringSubmatch(r.URL.Path)
	if r.Method != http.MethodPost || m == nil || m[2] != s.PhoneNumberID {
		writeError(w, http.StatusBadRequest, graphError{Code: 100, Message: "Unsupported post request. Object with ID '" + strings.Trim(r.URL.Path, "/") + "' does not exist"})
		return
	}
	if !s.authorized(w, r) {
		return
	}
	var body map[string]any
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") || json.NewDecoder(r.Body).Decode(&body) != nil {
		writeError(w, http.StatusBadRequest, graphError{Code: 100, Message: "(#100) Invalid parameter"})
		return
	}
	if s.hangs(body) {
		s.mu.Lock()
		s.st.calls = append(s.st.calls, Call{Version: m[1], Body: body})
		s.notifyLocked()
		s.mu.Unlock()
		<-r.Context().Done() // the bot gave up, or the server closed
		return
	}
	status := s.messages(w, m[1], body)
	s.mu.Lock()
	s.st.versions[m[1]]++
	s.st.calls = append(s.st.calls, Call{Version: m[1], Body: body, Status: status})
	s.notifyLocked()
	s.mu.Unlock()
}

// hangs takes the next failure when it is a Hang (read receipts never
// fail, as in FailNext).
func (s *Server) hangs(body map[string]any) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if body["status"] == "read" || len(s.st.failures) == 0 || !s.st.failures[0].Hang {
		return false
	}
	s.st.failures = s.st.failures[1:]
	return true
}

// Connections counts the connections the bot opened to the fake.
func (s *Server) Connections() int { return int(s.conns.Load()) }

// Calls lists the requests made to /messages, failed ones included.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.st.calls...)
}

// Versions counts the requests by Graph API version.
func (s *Server) Versions() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for k, v := range s.st.versions {
		out[k] = v
	}
	return out
}

// Sent lists the messages Meta took for to ("" for everyone), in order.
func (s *Server) Sent(to string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	all := s.st.sent
	if to != "" {
		all = s.st.byTo[to]
	}
	out := make([]Message, 0, len(all))
	for _, m := range all {
		out = append(out, *m)
	}
	return out
}

// Texts lists the text (or interactive body) of what Meta took for to,
// templates as "template:<name>".
func (s *Server) Texts(to string) []string {
	var out []string
	for _, m := range s.Sent(to) {
		if m.Type == "template" {
			out = append(out, "template:"+strings.Split(m.Template, "/")[0])
			continue
		}
		out = append(out, m.Text)
	}
	return out
}

// WaitUntil returns when cond holds, checking it after every change (a
// call, a webhook post), or ctx's error when ctx ends first.
func (s *Server) WaitUntil(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		changed := s.st.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("graphtest: %w", ctx.Err())
		}
	}
}

func (s *Server) notifyLocked() {
	close(s.st.changed)
	s.st.changed = make(chan struct{})
}

func (s *Server) newIDLocked() string {
	s.st.nextID++
	return fmt.Sprintf("wamid.HBgNNTQ5MTEwMDAwMDAwMBUCABEYEj%05dQA=", s.st.nextID)
}
