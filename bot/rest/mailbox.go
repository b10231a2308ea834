package rest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/bot"
)

// RedisMailbox keeps pushed messages in a Redis stream per chat, so any
// replica can answer the client's GET whichever replica pushed them. The
// stream's ids are the messages' ids: Redis assigns them in order, from
// its clock, so they keep growing even after an idle chat's stream
// expired and was made again, and a client's "after" never drops a
// message it has not seen.
type RedisMailbox struct {
	rdb    redis.UniversalClient
	prefix string
	ttl    time.Duration
}

var _ Mailbox = (*RedisMailbox)(nil)

// NewRedisMailbox keeps messages for ttl after the last push.
func NewRedisMailbox(rdb redis.UniversalClient, prefix string, ttl time.Duration) *RedisMailbox {
	return &RedisMailbox{rdb: rdb, prefix: prefix, ttl: ttl}
}

func (m *RedisMailbox) key(chat string) string { return m.prefix + "rest:outbox:{" + chat + "}" }

// oldKey is where the version before the stream kept a chat's messages,
// as a list without ids: still read (and emptied) by Take and Since, so
// the messages pushed before an upgrade are delivered; it can go once no
// process of that version has run for the mailbox's TTL (24h in serve).
func (m *RedisMailbox) oldKey(chat string) string { return m.prefix + "rest:mailbox:{" + chat + "}" }

// field is the stream entry's field for the message, as JSON; kindField
// is its kind (the outbox key's, "position"), when it came with a key.
const (
	field     = "m"
	kindField = "k"
)

// voidKey is the set of chat's entries that no longer hold (see Withdraw):
// they stay in the stream, whose ids tell a client's "after" from a
// stranger's, but are never read.
func (m *RedisMailbox) voidKey(chat string) string { return m.key(chat) + ":void" }

// Put appends msgs to chat's mailbox. kind is the kind of their outbox
// key ("" for none); a kind that supersedes (bot.Superseding) first
// withdraws the unread messages of that kind.
func (m *RedisMailbox) Put(ctx context.Context, chat, kind string, msgs []bot.Message) error {
	args := []any{m.ttl.Milliseconds(), kind, ""}
	if bot.Superseding(kind) {
		args[2] = kind
	}
	for _, msg := range msgs {
		b, err := json.Marshal(msg)
		if err != nil {
			return fmt.Errorf("mailbox: encode: %w", err)
		}
		args = append(args, b)
	}
	if err := putScript.Run(ctx, m.rdb, []string{m.key(chat), m.voidKey(chat)}, args...).Err(); err != nil {
		return fmt.Errorf("mailbox: put: %w", err)
	}
	return nil
}

// Withdraw takes back chat's unread messages of kind: a notice that no
// longer holds (a place in the desk's line, once the person left it or an
// agent took the chat).
func (m *RedisMailbox) Withdraw(ctx context.Context, chat, kind string) error {
	if err := putScript.Run(ctx, m.rdb, []string{m.key(chat), m.voidKey(chat)}, m.ttl.Milliseconds(), "", kind).Err(); err != nil {
		return fmt.Errorf("mailbox: withdraw: %w", err)
	}
	return nil
}

// putScript voids the stream's entries of kind ARGV[3] (none when ""),
// then appends ARGV[4…] of kind ARGV[2]. KEYS: the stream, its void set
// (one hash slot). ARGV[1]: the TTL in ms.
var putScript = redis.NewScript(`
if ARGV[3] ~= '' then
  for _, e in ipairs(redis.call('XRANGE', KEYS[1], '-', '+')) do
    local f = e[2]
    for i = 1, #f, 2 do
      if f[i] == '` + kindField + `' and f[i + 1] == ARGV[3] then redis.call('SADD', KEYS[2], e[1]) end
    end
  end
end
for i = 4, #ARGV do
  if ARGV[2] ~= '' then
    redis.call('XADD', KEYS[1], '*', '` + field + `', ARGV[i], '` + kindField + `', ARGV[2])
  else
    redis.call('XADD', KEYS[1], '*', '` + field + `', ARGV[i])
  end
end
if #ARGV >= 4 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('PEXPIRE', KEYS[2], redis.call('PTTL', KEYS[1]) > 0 and redis.call('PTTL', KEYS[1]) or ARGV[1])
end
return 1`)

// Take returns and removes everything in chat's mailbox, in order.
func (m *RedisMailbox) Take(ctx context.Context, chat string) ([]Pushed, error) {
	pipe := m.rdb.TxPipeline()
	old := pipe.LRange(ctx, m.oldKey(chat), 0, -1)
	get := pipe.XRange(ctx, m.key(chat), "-", "+")
	void := pipe.SMembers(ctx, m.voidKey(chat))
	pipe.Del(ctx, m.oldKey(chat), m.key(chat), m.voidKey(chat))
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("mailbox: take: %w", err)
	}
	return decodePushed(old.Val(), holding(get.Val(), void.Val()))
}

// Since removes the messages of chat's mailbox up to and including the
// id after (what the client has read) and returns the others, in order,
// keeping them until a later call says they were read. after "0" removes
// nothing. It returns ErrBadID, removing nothing, when after is not an id
// this chat's mailbox gave: one of another chat's, or of the future, would
// have removed messages nobody read (found by a probe).
func (m *RedisMailbox) Since(ctx context.Context, chat, after string) ([]Pushed, error) {
	at, err := parseID(after)
	if err != nil {
		return nil, err
	}
	pipe := m.rdb.TxPipeline()
	old := pipe.LRange(ctx, m.oldKey(chat), 0, -1)
	get := pipe.XRange(ctx, m.key(chat), "-", "+")
	void := pipe.SMembers(ctx, m.voidKey(chat))
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("mailbox: since: %w", err)
	}
	entries := get.Val()
	if !gave(entries, at, time.Now()) {
		return nil, ErrBadID
	}
	// What was read goes: the previous version's messages (no id to be
	// acknowledged by) as soon as they are returned, as that version
	// did; the stream's up to after. Messages pushed since the read stay.
	keep := slices.IndexFunc(entries, func(e redis.XMessage) bool { id, _ := parseID(e.ID); return at.less(id) })
	if keep < 0 {
		keep = len(entries)
	}
	if len(old.Val()) > 0 || keep > 0 {
		pipe := m.rdb.TxPipeline()
		if n := len(old.Val()); n > 0 {
			pipe.LTrim(ctx, m.oldKey(chat), int64(n), -1)
		}
		if keep > 0 {
			pipe.XTrimMinID(ctx, m.key(chat), at.next())
			if gone := voided(entries[:keep], void.Val()); len(gone) > 0 {
				pipe.SRem(ctx, m.voidKey(chat), gone...)
			}
		}
		if _, err := pipe.Exec(ctx); err != nil {
			return nil, fmt.Errorf("mailbox: since: %w", err)
		}
	}
	return decodePushed(old.Val(), holding(entries[keep:], void.Val()))
}

// holding is entries without those withdrawn (void).
func holding(entries []redis.XMessage, void []string) []redis.XMessage {
	if len(void) == 0 {
		return entries
	}
	return slices.DeleteFunc(slices.Clone(entries), func(e redis.XMessage) bool { return slices.Contains(void, e.ID) })
}

// voided is the ids of entries that were withdrawn (void).
func voided(entries []redis.XMessage, void []string) []any {
	var out []any
	for _, e := range entries {
		if slices.Contains(void, e.ID) {
			out = append(out, e.ID)
		}
	}
	return out
}

// gave reports whether at may be an id the mailbox whose entries are
// entries gave: one of them, or one already removed (below the first, not
// of the future), or any past one when it holds none.
func gave(entries []redis.XMessage, at streamID, now time.Time) bool {
	if at == (streamID{}) {
		return true
	}
	if at.ms > uint64(now.Add(time.Minute).UnixMilli()) {
		return false
	}
	for i, e := range entries {
		id, err := parseID(e.ID)
		if err != nil {
			return false
		}
		switch {
		case id == at:
			return true
		case at.less(id):
			return i == 0
		}
	}
	return len(entries) == 0
}

// ErrBadID is the error of an "after" that is no message id of the chat.
var ErrBadID = errors.New(`"after" must be the id of a message of this chat, or 0`)

// streamID is a Redis stream id, "<ms>-<seq>".
type streamID struct{ ms, seq uint64 }

func (a streamID) less(b streamID) bool { return a.ms < b.ms || a.ms == b.ms && a.seq < b.seq }

// next is the smallest id above a: the MINID that trims a and all before.
func (a streamID) next() string {
	if a.seq == ^uint64(0) {
		return strconv.FormatUint(a.ms+1, 10) + "-0"
	}
	return strconv.FormatUint(a.ms, 10) + "-" + strconv.FormatUint(a.seq+1, 10)
}

// parseID reads an "after": a stream id, or "0" (and "") for none read.
func parseID(id string) (streamID, error) {
	if id == "" || id == "0" {
		return streamID{}, nil // "?after=": nothing read yet
	}
	msPart, seqPart, found := strings.Cut(id, "-")
	ms, err1 := strconv.ParseUint(msPart, 10, 64)
	seq, err2 := strconv.ParseUint(seqPart, 10, 64)
	if !found || err1 != nil || err2 != nil || ms == ^uint64(0) {
		return streamID{}, ErrBadID
	}
	return streamID{ms, seq}, nil
}

// oldID is the id of the previous version's messages: below any stream
// id, so a client's "after" stays the largest id it read.
const oldID = "0-0"

// decodePushed reads the previous version's list (no ids) and the stream.
func decodePushed(old []string, entries []redis.XMessage) ([]Pushed, error) {
	out := make([]Pushed, 0, len(old)+len(entries))
	for _, s := range old {
		var msg bot.Message
		if err := json.Unmarshal([]byte(s), &msg); err != nil {
			return nil, fmt.Errorf("mailbox: decode: %w", err)
		}
		out = append(out, Pushed{ID: oldID, Message: msg})
	}
	for _, e := range entries {
		s, _ := e.Values[field].(string)
		var msg bot.Message
		if err := json.Unmarshal([]byte(s), &msg); err != nil {
			return nil, fmt.Errorf("mailbox: decode %s: %w", e.ID, err)
		}
		out = append(out, Pushed{ID: e.ID, Message: msg})
	}
	return out, nil
}
