package dialog

import (
	"context"
	"net"
	"net/netip"
	"time"

	"github.com/clavebot/clavebot/dialog/statestore"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/ipkey"
	"github.com/clavebot/clavebot/registry"
)

// WithLimiter sets the limiter of what a stranger could abuse across
// chats (the CUILs looked up by one source, the proofs of one CUIL).
// Without one those are not limited: `clavebot serve` and `chat` always
// give the Redis one. A chat's own limits need no limiter: they are
// counted in its state store (see limit.chat).
func WithLimiter(l Limiter) Option { return func(e *Engine) { e.limits = l } }

// limit is a number of uses per window of one subject (a chat, a source,
// a CUIL), named by key; a limit with an empty key does not apply.
type limit struct {
	key string
	max int
	per time.Duration
	// chat: the subject is the chat itself, and key names the count in
	// the chat's counts (statestore.Lease.Counts), checked and counted
	// under the chat's lock and stored with the turn's state: no round
	// trip of its own, and a turn that does not commit (it lost its lease,
	// Redis went away) counts nothing and answers nothing. Other limits are
	// counted by the Limiter, across chats.
	chat bool
}

// on is l applied to the subject named by key.
func (l limit) on(key string) limit { l.key = key; return l }

// allow counts one use against each limit, in order; the first exceeded
// refuses, and says how long until it frees.
func (t *turn) allow(limits ...limit) (bool, time.Duration, error) {
	for _, l := range limits {
		if l.key == "" {
			continue
		}
		if l.chat {
			if ok, retry := t.countInChat(l); !ok {
				return false, retry, nil
			}
			continue
		}
		if t.armed.Counted && !t.spent && l.key == t.armed.Key {
			// Counted when the chat was taken (Engine.acquire).
			t.spent = true
			if t.armed.Refused {
				return false, t.armed.Retry, nil
			}
			continue
		}
		ok, retry, err := t.e.limits.Allow(t.ctx, l.key, l.max, l.per)
		if err != nil || !ok {
			return false, retry, err
		}
	}
	return true, 0, nil
}

// countInChat counts one use against the chat's limit l, in a window that
// starts at the first use after the last one ended (as the Limiter's
// does). A refused use is not counted: the window ends when it would have.
func (t *turn) countInChat(l limit) (bool, time.Duration) {
	c := t.counts[l.key]
	if !t.now.Before(c.Ends) {
		c = statestore.Count{Ends: t.now.Add(l.per)}
	}
	if c.N >= l.max {
		return false, c.Ends.Sub(t.now)
	}
	c.N++
	if t.counts == nil {
		t.counts = map[string]statestore.Count{}
	}
	t.counts[l.key] = c
	return true, 0
}

// liveCounts returns the counts whose window has not ended at now, nil
// when none: what a turn commits, so ended windows are not kept.
func liveCounts(counts map[string]statestore.Count, now time.Time) map[string]statestore.Count {
	var live map[string]statestore.Count
	for name, c := range counts {
		if c.N > 0 && c.Ends.After(now) {
			if live == nil {
				live = map[string]statestore.Count{}
			}
			live[name] = c
		}
	}
	return live
}

// How many CUILs one chat, and one source, may have looked up in an hour.
// Each tells a stranger whether the CUIL is registered and has a key; a
// person types their own, or a relative's, a few times at most.
var (
	cuilsPerChat   = limit{key: "cuil", max: 10, per: time.Hour, chat: true}
	cuilsPerSource = limit{max: 50, per: time.Hour}
)

// newChatsPerSource bounds the chats one source opens in an hour, across
// replicas. A REST chat's id is its client's choice, and each new chat
// kept its state and transcript for 20 minutes and its handled ids for a
// day: one client opened 1,400 chats a second on two replicas (an attack
// probe), a pace that fills 12 GB of Redis a day, and Redis, full under
// noeviction, refuses every person's turn. A person opens a chat or two a
// visit; an office behind one address, some tens an hour.
var newChatsPerSource = limit{max: 200, per: time.Hour}

// newChatAllowed counts a chat found without a state against its source's
// limit, unless the store counted it already when it took the chat
// (acquire). Beyond it the chat's lock is given back and the person is
// told until when: nothing of the chat is kept, not even its message id,
// so the message sent again is counted again. A chat already open, and
// one without a source (Telegram, WhatsApp: an account each) or from
// loopback (sourceKey), are not counted.
func (e *Engine) newChatAllowed(ctx context.Context, in Inbound, lease Lease) (Result, bool) {
	key := e.newChatKey(in)
	if key == "" || lease.New.Counted {
		return Result{}, true
	}
	ok, retry, err := e.limits.Allow(ctx, key, newChatsPerSource.max, newChatsPerSource.per)
	if err == nil && ok {
		return Result{}, true
	}
	if rerr := e.store.Release(context.WithoutCancel(ctx), lease); rerr != nil {
		e.log.Warn("release of a chat not opened failed", "err", rerr)
	}
	if err != nil {
		return e.stateUnavailable(ctx, in, err), false
	}
	return e.chatLimited(ctx, in, retry), false
}

// chatLimited answers a new chat beyond its source's limit, retry before
// the limit's window ends.
func (e *Engine) chatLimited(ctx context.Context, in Inbound, retry time.Duration) Result {
	now := e.now()
	e.rec.Record(ctx, Event{Name: "chat_limited", Chat: in.Chat, Channel: in.Channel, At: now})
	// A key typed first is still one: deleted where the channel allows.
	secret := in.Text != "" && (mayBeKey(in.Text) || keyInText(in.Text))
	msg := i18n.M("chat.limited", "until", now.Add(max(retry, time.Minute)))
	return Result{Replies: []Reply{{Msg: msg, Expect: ExpectText}}, Secret: secret}
}

// newChatKey names the source's limit of new chats that in counts
// against, "" when none applies: the local channel, no source or a
// loopback one, no limiter (nothing is limited without one).
func (e *Engine) newChatKey(in Inbound) string {
	if _, none := e.limits.(noLimits); none || in.Channel == localChannel {
		return ""
	}
	return sourceKey(limitSourceChats, in.Source)
}

// cuilSourceKey names the source's limit of CUILs that a CUIL typed in in
// counts against (cuilAllowed), "" when none applies, as newChatKey.
func (e *Engine) cuilSourceKey(in Inbound) string {
	if _, none := e.limits.(noLimits); none || in.Channel == localChannel {
		return ""
	}
	return sourceKey(limitSourceCUILs, in.Source)
}

// acquire takes in's chat. The limits across chats that its turn may
// count, of a source's new chats and of the CUILs it types, are counted
// by a store that can in the same step (statestore.NewCounter): on one
// Redis, in the script that takes the lock, so that a turn from an
// address costs no round trip more than any turn (issue 14.2: they cost
// 0.24 a turn of its flow). A new chat is counted when found new; a CUIL
// is reserved when the chat was left at the CUIL step (Lease.Arm), spent
// by cuilAllowed, and given back at commit when the turn typed none.
// Lease.New and Lease.Armed say whether they were counted; when not
// (Redis Cluster, a CUIL typed elsewhere), the Limiter counts them.
func (e *Engine) acquire(ctx context.Context, in Inbound) (Lease, []byte, error) {
	nc, ok := e.store.(statestore.NewCounter)
	newKey, cuilKey := e.newChatKey(in), e.cuilSourceKey(in)
	if !ok || newKey == "" && cuilKey == "" {
		return e.store.Acquire(ctx, in.Chat, in.ID)
	}
	return nc.AcquireNew(ctx, in.Chat, in.ID,
		statestore.Limit{Key: newKey, Max: newChatsPerSource.max, Window: newChatsPerSource.per},
		statestore.Limit{Key: cuilKey, Max: cuilsPerSource.max, Window: cuilsPerSource.per})
}

// localChannel is the terminal and JSON-lines chat (`clavebot chat`): it
// runs beside the registry, for whoever runs the process, so a limit on the
// CUILs typed there defends nothing, and one chat may walk many citizens (a
// demonstration, a scripted check).
const localChannel = "console"

// cuilAllowed counts a CUIL taken at the CUIL step against the chat's and
// the source's limits. Beyond them the person is told to try later and
// taken to the menu, and false is returned: the registry is not asked.
func (t *turn) cuilAllowed() (bool, error) {
	if t.in.Channel == localChannel {
		return true, nil
	}
	ok, retry, err := t.allow(cuilsPerChat, cuilsPerSource.on(sourceKey(limitSourceCUILs, t.in.Source)))
	if err != nil || ok {
		return ok, err
	}
	t.event(Event{Name: "cuil_limited", Flow: t.st.Flow})
	t.st.CUIL = ""
	t.say("cuil.limited", "until", t.now.Add(max(retry, time.Minute)))
	t.menu()
	return false, nil
}

// The limits counted across chats, by what they count of whom: the first
// part of their keys (limitKey). LimitKeys lists them all, so each is named
// here once.
const (
	limitSourceChats    = "chat:source"    // new chats a source opens
	limitSourceCUILs    = "cuil:source"    // CUILs a source looks up
	limitSourceChecks   = "check:source"   // troubleshooting checks of a source
	limitSourceHandoffs = "handoff:source" // hand-overs a source asks for

	limitCUILProofs      = "check:cuil"  // a CUIL's checks that tell its state
	limitCUILCodes       = "code:cuil"   // codes sent to new addresses of a CUIL
	limitCUILFactorCodes = "code:factor" // recovery codes of a CUIL
)

// LimitKeys names the counters of the limits across chats that turns from
// source about cuil may have left in the Limiter (either may be empty),
// as the Limiter gets them: what `clavebot loadtest` deletes after its run,
// so that its people's counts do not stay an hour in a shared Redis, nor
// count against a later run's.
func LimitKeys(source string, cuil registry.CUIL) []string {
	var keys []string
	for _, what := range []string{limitSourceChats, limitSourceCUILs, limitSourceChecks, limitSourceHandoffs} {
		if k := sourceKey(what, source); k != "" {
			keys = append(keys, k)
		}
	}
	if cuil != "" {
		for _, what := range []string{limitCUILProofs, limitCUILCodes, limitCUILFactorCodes} {
			keys = append(keys, limitKey(what, string(cuil)))
		}
	}
	return keys
}

// sourceKey names the limit of a source, or "" (no limit) when there is
// none or it is a loopback address: a proxy or test client on the same
// host speaks for every person alike, and limiting it would limit them all.
func sourceKey(what, source string) string {
	if source == "" || source == "localhost" {
		return ""
	}
	if ip := net.ParseIP(source); ip != nil && ip.IsLoopback() {
		return ""
	}
	return limitKey(what, sourceOf(source))
}

// sourceOf is source as a limit counts it: an IPv6 address by its /64, as
// the desk's sign-in counts it (ipkey.Of). A subscriber holds a whole
// /64; counted by address, six of one took 60 CUILs where 50 is the limit
// (found by an attack probe). A source that is no address stays itself.
func sourceOf(source string) string {
	a, err := netip.ParseAddr(source)
	if err != nil {
		return source
	}
	return ipkey.Of(a.Unmap())
}
