// Package telegramtest is a fake Telegram Bot API server for tests, built
// from the Bot API documentation (https://core.telegram.org/bots/api): it
// parses multipart, urlencoded and JSON requests to /bot<token>/<method>,
// answers {"ok":true,"result":...} with realistic objects, long-polls
// getUpdates honouring timeout and offset, pushes updates to a webhook with
// the secret header, records every call and can answer 429 on demand.
//
// It plays the people too: Text, Media, Tap and Edit make the updates a
// person's phone would cause.
package telegramtest

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Call is one request the bot made.
type Call struct {
	Method string
	Params map[string]string // nested objects as their JSON text
	Status int               // the HTTP status answered
	At     time.Time         // when it was answered, by Now
}

// Server is the fake Bot API.
type Server struct {
	Token string
	URL   string // the base URL, for bot.WithServerURL

	// Now stamps message dates; time.Now unless replaced before use.
	Now func() time.Time

	srv       *httptest.Server
	mu        sync.Mutex
	st        state
	conns     atomic.Int64
	revoked   atomic.Bool // see Revoke
	hookConns int         // updates sent to the webhook at once (SetWebhookConnections)
}

type state struct {
	changed   chan struct{} // closed and replaced on every change
	calls     []Call
	failures  map[string]failure
	faults    map[string][]Fault // by method, in order
	blocked   map[int64]bool
	chats     map[int64]*chat
	updates   []update // not yet confirmed
	nextUpd   int64
	nextQuery int64
	queries   map[string]bool // callback query id → answered
	allowed   []string
	flood     time.Time // until when flood control refuses the bot's messages
	pollGen   int
	hook      hook
	commands  json.RawMessage
}

type failure struct{ n, retryAfter int }

// New starts a fake server for the bot with token ("<bot id>:<secret>").
func New(token string) *Server {
	s := &Server{Token: token, Now: time.Now}
	s.st = state{
		changed:  make(chan struct{}),
		failures: map[string]failure{},
		faults:   map[string][]Fault{},
		blocked:  map[int64]bool{},
		chats:    map[int64]*chat{},
		queries:  map[string]bool{},
		nextUpd:  100000,
	}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.srv.Start()
	s.URL = s.srv.URL
	return s
}

// Connections counts the connections the bot opened to the fake.
func (s *Server) Connections() int { return int(s.conns.Load()) }

// Close stops the server and any webhook delivery.
func (s *Server) Close() {
	s.mu.Lock()
	s.stopHookLocked()
	s.mu.Unlock()
	s.srv.Close()
}

// FailNext makes the next n calls of method fail with 429 Too Many
// Requests and the given retry_after.
func (s *Server) FailNext(method string, n, retryAfter int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.failures[method] = failure{n: n, retryAfter: retryAfter}
}

// apiError is an error answer of the Bot API.
type apiError struct {
	code       int
	desc       string
	retryAfter int
}

func badRequest(format string, args ...any) *apiError {
	return &apiError{code: 400, desc: "Bad Request: " + fmt.Sprintf(format, args...)}
}

// Fault is a failure of one call: an error answer (Code, Description), or
// no answer at all (Drop), before or after the call took effect (Taken: a
// message is sent, and the bot does not know), or no answer for as long as
// the bot waits (Hang: a Bot API that took the connection and stalls).
// Pass is no fault: the call is answered as usual, so that the faults
// after it hit later calls (the second part of a long message).
type Fault struct {
	Code        int
	Description string
	Taken       bool
	Drop        bool
	Hang        bool
	Pass        bool
}

// Fail makes the next calls of method fail, one fault each, in order.
func (s *Server) Fail(method string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.faults[strings.ToLower(method)] = append(s.st.faults[strings.ToLower(method)], faults...)
}

// Block has the person of chatID block the bot: sending to them fails
// with 403 until they unblock it (Unblock, or writing again, which on
// Telegram unblocks it first). Telegram tells the bot with a
// my_chat_member update (status "kicked"), when it asked for them.
func (s *Server) Block(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.blocked[chatID] = true
	s.chatMemberLocked(chatID, "member", "kicked")
}

// Unblock has the person of chatID unblock the bot without writing: a
// my_chat_member update (status "member").
func (s *Server) Unblock(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unblockLocked(chatID)
}

func (s *Server) unblockLocked(chatID int64) {
	if !s.st.blocked[chatID] {
		return
	}
	delete(s.st.blocked, chatID)
	s.chatMemberLocked(chatID, "kicked", "member")
}

// chatMemberLocked pushes the bot's change of status in a private chat,
// as the person made it.
func (s *Server) chatMemberLocked(chatID int64, from, to string) {
	bot := s.botUser()
	s.pushLocked(chatID, "my_chat_member", map[string]any{
		"chat": privateChat(chatID), "from": person(chatID), "date": s.Now().Unix(),
		"old_chat_member": map[string]any{"status": from, "user": bot},
		"new_chat_member": map[string]any{"status": to, "user": bot, "until_date": 0},
	})
}

func (s *Server) takeFault(method string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fs := s.st.faults[strings.ToLower(method)]
	if len(fs) == 0 {
		return Fault{}, false
	}
	s.st.faults[strings.ToLower(method)] = fs[1:]
	return fs[0], true
}

// Revoke revokes the bot's token (BotFather's /revoke, or a token
// replaced): every call answers 401 Unauthorized from now on, as the Bot
// API does, getUpdates and sends alike.
func (s *Server) Revoke() { s.revoked.Store(true) }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		writeError(w, &apiError{code: 404, desc: "Not Found"})
		return
	}
	if token != s.Token || s.revoked.Load() {
		writeError(w, &apiError{code: 401, desc: "Unauthorized"})
		return
	}
	params, err := readParams(r)
	if err != nil {
		s.record(method, params, 400)
		writeError(w, badRequest("%v", err))
		return
	}
	if f, ok := s.takeFault(method); ok && !f.Pass {
		s.fault(w, r, method, params, f)
		return
	}
	result, apiErr := s.call(r, method, params)
	if apiErr != nil {
		s.record(method, params, apiErr.code)
		writeError(w, apiErr)
		return
	}
	s.record(method, params, 200)
	writeJSON(w, 200, map[string]any{"ok": true, "result": result})
}

// fault answers a call with f.
func (s *Server) fault(w http.ResponseWriter, r *http.Request, method string, params map[string]string, f Fault) {
	if f.Taken {
		_, _ = s.call(r, method, params)
	}
	if f.Hang {
		s.record(method, params, 0)
		<-r.Context().Done() // the bot gave up, or the server closed
		return
	}
	if f.Drop {
		s.record(method, params, 0)
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
	}
	s.record(method, params, f.Code)
	writeError(w, &apiError{code: f.Code, desc: f.Description})
}

// call answers one method; method names are case-insensitive, as in the
// real API.
func (s *Server) call(r *http.Request, method string, p map[string]string) (any, *apiError) {
	if e := s.takeFailure(method); e != nil {
		return nil, e
	}
	if strings.EqualFold(method, "getUpdates") {
		return s.getUpdates(r, p)
	}
	h, ok := s.methods()[strings.ToLower(method)]
	if !ok {
		return nil, &apiError{code: 404, desc: "Not Found"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.notifyLocked()
	return h(p)
}

// Flood has Telegram's flood control hold the bot for d (by Now): every
// message it sends or edits meanwhile is refused with 429 and what is
// left of the wait as retry_after, as Telegram does to a bot that sent
// too many (about 30 a second in all).
func (s *Server) Flood(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.flood = s.Now().Add(d)
}

// flooded are the methods flood control holds.
var flooded = map[string]bool{"sendmessage": true, "editmessagetext": true, "editmessagereplymarkup": true}

func (s *Server) takeFailure(method string) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	if left := s.st.flood.Sub(s.Now()); left > 0 && flooded[strings.ToLower(method)] {
		secs := int((left + time.Second - 1) / time.Second)
		return &apiError{code: 429, desc: fmt.Sprintf("Too Many Requests: retry after %d", secs), retryAfter: secs}
	}
	f, ok := s.st.failures[method]
	if !ok || f.n == 0 {
		return nil
	}
	f.n--
	s.st.failures[method] = f
	return &apiError{code: 429, desc: fmt.Sprintf("Too Many Requests: retry after %d", f.retryAfter), retryAfter: f.retryAfter}
}

func (s *Server) record(method string, p map[string]string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.calls = append(s.st.calls, Call{Method: method, Params: p, Status: status, At: s.Now()})
	s.notifyLocked()
}

// notifyLocked wakes everyone waiting for a change.
func (s *Server) notifyLocked() {
	close(s.st.changed)
	s.st.changed = make(chan struct{})
}

func writeError(w http.ResponseWriter, e *apiError) {
	body := map[string]any{"ok": false, "error_code": e.code, "description": e.desc}
	if e.retryAfter > 0 {
		body["parameters"] = map[string]any{"retry_after": e.retryAfter}
	}
	writeJSON(w, e.code, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
