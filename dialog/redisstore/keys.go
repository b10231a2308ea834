package redisstore

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"hash/fnv"
	"strconv"
	"strings"
)

// chatKeys are the keys of one chat. They share the hash tag {chat}: Redis
// Cluster puts them in one slot, as a script touching them all requires.
type chatKeys struct {
	lock, state string
	// was is the previous version's marker that the chat had a state, now
	// a field of handled (see scripts.go); still read, and deleted.
	was            string
	handled        string // a hash of the chat's handled message ids, its marker and its counts (see scripts.go)
	queue, waiters string // turns waiting for the lock, in arrival order
	transcript     string // a list, oldest line first
	// oldSeen is the key by which the previous version marked msgID
	// handled, one string key per message; acquireLua still reads it so
	// that a rolling upgrade drops the redeliveries of messages the old
	// processes handled. It can go (from here and acquireLua) once no
	// process of a version before the handled hash has run for seenTTL
	// (24h by default): every such key has expired by then. The other way
	// round is not covered: while both versions run, an old process does
	// not see the ids a new one marked in the hash.
	oldSeen string
	// replies are the chat's last replies kept for a repeated message id
	// (statestore.Lease.Replies): the id's handled field, length first,
	// then the replies; a key of its own, as it lives minutes
	// (statestore.ReplayTTL), where the handled hash lives a day.
	replies string
}

// keys returns chat's keys; oldSeen is the old key of msgID, or a
// placeholder the scripts do not touch when msgID is "".
func (s *Store) keys(chat, msgID string) chatKeys {
	// One string cut in nine: a turn names them twice (acquire, commit),
	// and nine strings of their own were nine allocations each time.
	names := [...]string{"lock:", "state:", "was:", "handled:", "queue:", "waiters:", "transcript:", "seen:", "replies:"}
	n := len(names)*(len(s.prefix)+len("{}")+len(chat)) + len(":") + len(msgID)
	for _, name := range names {
		n += len(name)
	}
	var b strings.Builder
	b.Grow(n)
	var end [len(names)]int
	for i, name := range names {
		b.WriteString(s.prefix)
		b.WriteString(name)
		b.WriteString("{") // the hash tag
		b.WriteString(chat)
		b.WriteString("}")
		if name == "seen:" {
			b.WriteString(":")
			b.WriteString(msgID)
		}
		end[i] = b.Len()
	}
	all := b.String()
	key := func(i int) string {
		start := 0
		if i > 0 {
			start = end[i-1]
		}
		return all[start:end[i]]
	}
	return chatKeys{
		lock:       key(0),
		state:      key(1),
		was:        key(2),
		handled:    key(3),
		queue:      key(4),
		waiters:    key(5),
		transcript: key(6),
		oldSeen:    key(7),
		replies:    key(8),
	}
}

// list returns the keys in the order the scripts take them (KEYS[1..9]).
func (k chatKeys) list() []string {
	return []string{k.lock, k.state, k.was, k.handled, k.queue, k.waiters, k.transcript, k.oldSeen, k.replies}
}

// replyValue is what the replies key holds for field's replies: the
// field's length, ":", the field, the replies. The length makes the
// prefix exact whatever bytes an id holds.
func replyValue(field string, replies []byte) string {
	return strconv.Itoa(len(field)) + ":" + field + string(replies)
}

// maxRawID is the longest message id the handled hash keeps as it is.
const maxRawID = 32

// handledField returns msgID's field in the handled hash: the id itself
// when short (Telegram's update ids) and not starting with "-", else "-"
// and 63 bits of its SHA-256 in decimal: a negative number, which Redis
// keeps in a hash's listpack in 9 bytes, as an integer. Redis keeps a hash
// compact (a listpack) only while every field is at most 64 bytes, which
// WhatsApp's ids (wamid.…, about 60 to 70 bytes) and clients' own ids may
// pass; a raw id cannot be mistaken for a digest, which starts with "-".
// Two ids of one chat share a digest with a chance of about n²/2⁶⁴ for n
// ids within the seen TTL: none, in practice.
func handledField(msgID string) string {
	if len(msgID) <= maxRawID && !strings.HasPrefix(msgID, "-") {
		return msgID
	}
	sum := sha256.Sum256([]byte(msgID))
	v := max(binary.BigEndian.Uint64(sum[:8])>>1, 1)
	return "-" + strconv.FormatUint(v, 10)
}

// oldHandledField returns msgID's field in the handled hash of the
// previous version, when it differs from handledField's ("" when not):
// the id itself when at most 32 bytes, else "#" and 144 bits of its
// SHA-256 in base64 (27 bytes in the listpack). acquireLua still looks it
// up, so that a rolling upgrade drops the redeliveries of messages the old
// processes handled; it can go once no process of the previous version
// has run for seenTTL (24h by default).
func oldHandledField(msgID string) string {
	old := msgID
	if len(msgID) > maxRawID {
		sum := sha256.Sum256([]byte(msgID))
		old = "#" + base64.RawStdEncoding.EncodeToString(sum[:18])
	}
	if old == handledField(msgID) {
		return ""
	}
	return old
}

// leaseMark is what the handled hash keeps of a lease's token beside the
// ids it committed: 8 decimal digits, the first not 0, so that with the
// expiry after it the value reads as an integer, which Redis stores in 9
// bytes (see scripts.go).
func leaseMark(token string) string {
	h := fnv.New64a()
	h.Write([]byte(token))
	return strconv.FormatUint(10_000_000+h.Sum64()%90_000_000, 10)
}
