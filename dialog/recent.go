package dialog

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/clavebot/clavebot/dialog/statestore"
	"github.com/clavebot/clavebot/i18n"
)

// When the chat's state cannot be read (Redis down), or is gone when it
// should not be (Redis emptied: a restart without persistence, a flush, a
// failover), the engine still owes the person an answer that keeps them
// safe: the step's expect, so that a client masking its input by expect
// (REST, the terminal) does not unmask a key field; a key typed treated
// as one (deleted on Telegram, never logged); and a word that the
// conversation was lost rather than a greeting as to a stranger. What the
// process itself remembers of its chats serves where the store cannot.

// recentMax bounds the chats remembered: about 100 bytes each. When full
// it starts afresh: a forgotten chat is answered as one never seen.
const recentMax = 50_000

// recentChats remembers, for the chats this process answered lately,
// what the bot waits for and until when their state lives.
type recentChats struct {
	mu sync.Mutex
	m  map[string]recentChat
}

type recentChat struct {
	expect Expect
	until  time.Time // when the state committed last expires
	// restart names the state (restartMark) whose round or data were
	// judged in a turn not saved, after which the chat was shown the menu
	// (unsaved.go).
	restart string
}

func (r *recentChats) put(chat string, c recentChat) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.m[chat]; !ok && len(r.m) >= recentMax || r.m == nil {
		r.m = make(map[string]recentChat)
	}
	r.m[chat] = c
}

func (r *recentChats) forget(chat string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.m, chat)
}

func (r *recentChats) get(chat string) (recentChat, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.m[chat]
	return c, ok
}

// remember records what a committed turn left the chat at.
func (e *Engine) remember(chat string, res Result, st *State, now time.Time) {
	if len(res.Replies) == 0 {
		return
	}
	e.recent.put(chat, recentChat{expect: res.Replies[len(res.Replies)-1].Expect, until: now.Add(e.stateTTL(st))})
}

// stateUnavailable answers a turn whose chat's state could not be read:
// the step is unknown to the store. The expect is the one this process
// last answered the chat with; a chat it does not know gets "text", an
// apology that asks for nothing that could be a key, and its message, if
// it may be a key, treated as one. Neither says that nothing was lost:
// the turn cannot know.
func (e *Engine) stateUnavailable(ctx context.Context, in Inbound, cause error) Result {
	event := "unavailable"
	if errors.Is(cause, statestore.ErrChatBusy) {
		// Another turn held the chat all this turn's time: Redis
		// answered. "unavailable" feeds the alert that Redis or
		// PostgreSQL is down.
		event = "chat_busy"
		e.log.Info("chat busy for the whole turn", "channel", in.Channel, "err", cause)
	} else {
		e.log.Warn("dependency unavailable during turn", "channel", in.Channel, "err", cause)
	}
	e.rec.Record(ctx, Event{Name: event, Chat: in.Chat, Channel: in.Channel, At: e.now()})
	rc, known := e.recent.get(in.Chat)
	exp, key := rc.expect, i18n.Key("error.state_unavailable")
	if !known {
		exp, key = ExpectText, "error.state_unknown"
	}
	secret := false
	for _, text := range []string{in.Text, in.Caption} {
		secret = secret || text != "" && (exp.Secret() || !known && mayBeKey(text) || keyInText(text))
	}
	return Result{Replies: []Reply{{Msg: i18n.M(key), Expect: exp}}, Secret: secret}
}

// lostKind is whether a chat found without a state had one that was lost.
type lostKind int

const (
	notLost    lostKind = iota
	maybeLost           // the store lost every state lately; this chat's may be one
	surelyLost          // this process answered the chat, and its state should still live
)

// lost judges a chat found without a state (not expired).
func (e *Engine) lost(chat string, lostAt, now time.Time) lostKind {
	if rc, ok := e.recent.get(chat); ok && now.Before(rc.until) {
		return surelyLost
	}
	if !lostAt.IsZero() && now.Sub(lostAt) < e.reg.Policy().IdleTimeout+idleGrace {
		return maybeLost
	}
	return notLost
}

// mayBeKey reports whether a message could be a key: one word shaped
// like one (see keyShaped). CUILs, DNIs and dates have no letters, names
// no digits.
func mayBeKey(text string) bool {
	f := strings.Fields(text)
	return len(f) == 1 && keyShaped(f[0])
}
