package rest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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

// field is the stream entry's one field, the message as JSON.
const field = "m"

// Put appends msgs to chat's mailbox.
func (m *RedisMailbox) Put(ctx context.Context, chat string, msgs []bot.Message) error {
	pipe := m.rdb.TxPipeline()
	for _, msg := range msgs {
		b, err := json.Marshal(msg)
		if err != nil {
			return fmt.Errorf("mailbox: encode: %w", err)
		}
		pipe.XAdd(ctx, &redis.XAddArgs{Stream: m.key(chat), Values: []any{field, b}})
	}
	pipe.PExpire(ctx, m.key(chat), m.ttl)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("mailbox: put: %w", err)
	}
	return nil
}

// Take returns and removes everything in chat's mailbox, in order.
func (m *RedisMailbox) Take(ctx context.Context, chat string) ([]Pushed, error) {
	pipe := m.rdb.TxPipeline()
	old := pipe.LRange(ctx, m.oldKey(chat), 0, -1)
	get := pipe.XRange(ctx, m.key(chat), "-", "+")
	pipe.Del(ctx, m.oldKey(chat), m.key(chat))
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("mailbox: take: %w", err)
	}
	return decodePushed(old.Val(), get.Val())
}

// Since removes the messages of chat's mailbox up to and including the
// id after (what the client has read) and returns the others, in order,
// keeping them until a later call says they were read. after "0" removes
// nothing. It returns ErrBadID when after is not a message id.
func (m *RedisMailbox) Since(ctx context.Context, chat, after string) ([]Pushed, error) {
	next, err := nextID(after)
	if err != nil {
		return nil, err
	}
	pipe := m.rdb.TxPipeline()
	// The previous version's messages have no id to be acknowledged by:
	// they are delivered once, as that version did.
	old := pipe.LRange(ctx, m.oldKey(chat), 0, -1)
	pipe.Del(ctx, m.oldKey(chat))
	pipe.XTrimMinID(ctx, m.key(chat), next)
	get := pipe.XRange(ctx, m.key(chat), "-", "+")
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("mailbox: since: %w", err)
	}
	return decodePushed(old.Val(), get.Val())
}

// ErrBadID is the error of an "after" that is no message id.
var ErrBadID = errors.New(`"after" must be a message id`)

// nextID is the smallest stream id above id ("<ms>-<seq>", or "0"): the
// MINID that trims id and everything before it.
func nextID(id string) (string, error) {
	if id == "" {
		id = "0" // "?after=": nothing read yet
	}
	msPart, seqPart, found := strings.Cut(id, "-")
	ms, err1 := strconv.ParseUint(msPart, 10, 64)
	seq, err2 := uint64(0), error(nil)
	if found {
		seq, err2 = strconv.ParseUint(seqPart, 10, 64)
	}
	if err1 != nil || err2 != nil {
		return "", ErrBadID
	}
	if !found {
		// "0", or a whole millisecond: the ids of that millisecond were
		// all read only if the client says so with their seq.
		if ms == 0 {
			return "0-1", nil
		}
		return "", ErrBadID
	}
	if seq == ^uint64(0) {
		if ms == ^uint64(0) {
			return "", ErrBadID
		}
		return strconv.FormatUint(ms+1, 10) + "-0", nil
	}
	return strconv.FormatUint(ms, 10) + "-" + strconv.FormatUint(seq+1, 10), nil
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
