package redisstore

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog/statestore"
	"github.com/clavebot/clavebot/internal/testenv"
)

// The handled message ids' cases particular to Redis (the handled hash,
// the previous version's keys); the conformance suite has the others.

// commitID runs one turn of chat for msgID and returns its lease.
func commitID(t *testing.T, s *Store, chat, msgID string) statestore.Lease {
	t.Helper()
	l, _ := mustAcquire(t, s, chat, msgID)
	mustCommit(t, s, l, "state", time.Hour)
	return l
}

// testHandledBounded: a chat that stays active for days keeps in its
// handled hash about the ids of the last seen TTL, not every id it ever
// handled, and the hash expires a seen TTL after the last one.
func testHandledBounded(t *testing.T, h harness, newStore storeFactory) {
	const (
		chat  = "telegram:busy"
		turns = 8 * 24 // a message an hour for 8 days
		every = time.Hour
	)
	s := newStore()
	handled := s.keys(chat, "").handled
	c := h.client(t)
	ctx := testContext(t)
	live := int64(s.seenTTL/every) + 1 // the ids within one seen TTL
	peak := int64(0)
	for i := range turns {
		commitID(t, s, chat, fmt.Sprintf("%d", 900000000+i))
		n, err := c.HLen(ctx, handled).Result()
		if err != nil {
			t.Fatal(err)
		}
		peak = max(peak, n)
		if n > live+seenSweep {
			t.Fatalf("after %d turns the handled hash has %d ids, want at most %d", i+1, n, live+seenSweep)
		}
		if ttl, err := c.PTTL(ctx, handled).Result(); err != nil || ttl <= 0 || ttl > s.seenTTL {
			t.Fatalf("handled hash TTL %v, %v; want within the seen TTL %v", ttl, err, s.seenTTL)
		}
		h.elapse(every, h.clock)
	}
	t.Logf("%d ids handled, one every %v: the hash held at most %d", turns, every, peak)
	h.elapse(s.seenTTL, h.clock)
	for _, id := range []string{"900000000", fmt.Sprintf("%d", 900000000+turns-1)} {
		l, _ := mustAcquire(t, s, chat, id) // forgotten: not a duplicate
		mustRelease(t, s, l)
	}
}

// testRepeatedCommitAfterSweeps: a commit repeated (by go-redis, after a
// dropped reply) once later turns have swept the handled hash still finds
// its id, with its token, and is committed; another token's is not.
func testRepeatedCommitAfterSweeps(t *testing.T, _ harness, newStore storeFactory) {
	const chat = "whatsapp:5491100000000"
	s := newStore()
	first := commitID(t, s, chat, "wamid.first")
	for i := range 2 * seenSweep {
		commitID(t, s, chat, fmt.Sprintf("wamid.%d", i))
	}
	if err := s.Commit(testContext(t), first, []byte("state"), nil, time.Hour); err != nil {
		t.Fatalf("repeated commit after %d more turns: %v, want nil", 2*seenSweep, err)
	}
	other := first
	other.Token = "0" + first.Token[1:] // differs in the part the hash keeps
	if first.Token[0] == '0' {
		other.Token = "1" + first.Token[1:]
	}
	if err := s.Commit(testContext(t), other, []byte("state"), nil, time.Hour); !errors.Is(err, statestore.ErrLeaseLost) {
		t.Fatalf("commit of another token for the id: %v, want ErrLeaseLost", err)
	}
}

// wamid is a WhatsApp message id, longer than the handled hash keeps raw.
const wamid = "wamid.HBgNNTQ5MTEwMDAwMDAwMBUCABIYFjNFQjBDMEI2RkY0QjJBNTI3RDc0AA=="

// testOldSeenKey: during a rolling upgrade, a message the previous version
// handled (marked by a key of its own, seen:{chat}:<id>, holding the
// token) is still a duplicate here.
func testOldSeenKey(t *testing.T, h harness, newStore storeFactory) {
	for _, id := range []string{"871234567", wamid} {
		t.Run(id, func(t *testing.T) {
			chat := "whatsapp:" + id
			s := newStore()
			old := s.prefix + "seen:{" + chat + "}:" + id
			if err := h.client(t).Set(testContext(t), old, "0123456789abcdef0123456789abcdef", 24*time.Hour).Err(); err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.Acquire(testContext(t), chat, id); !errors.Is(err, statestore.ErrDuplicate) {
				t.Fatalf("Acquire of an id the previous version handled: %v, want ErrDuplicate", err)
			}
			commitID(t, s, chat, id+"2") // another message is not
			if _, _, err := s.Acquire(testContext(t), chat, id+"2"); !errors.Is(err, statestore.ErrDuplicate) {
				t.Fatalf("Acquire of an id this version handled: %v, want ErrDuplicate", err)
			}
		})
	}
}

// footprintChat is a chat of ten messages, with its channel's ids.
type footprintChat struct {
	name, chat string
	id         func(i int) string
}

var footprintChats = []footprintChat{
	{"telegram update ids", "telegram:123456789", func(i int) string { return fmt.Sprint(871234560 + i) }},
	{"whatsapp wamids", "whatsapp:5491100000000",
		func(i int) string {
			return fmt.Sprintf("wamid.HBgNNTQ5MTEwMDAwMDAwMBUCABIYFjNFQjBDMEI2RkY0QjJBNTI3RDc%02dAA==", i)
		}},
}

// TestHandledFootprint measures, on real Redis (MEMORY USAGE), what a chat
// of ten messages keeps: with the previous version's key per handled
// message (written here as it wrote them) against the handled hash, beside
// the chat's state, marker and transcript. Issue 14.4 asks at most 1.5 KB
// for all of an active chat.
func TestHandledFootprint(t *testing.T) {
	const messages = 10
	c := testenv.Redis(t)
	ctx := context.Background()
	usage := func(t *testing.T, keys ...string) int64 {
		t.Helper()
		total := int64(0)
		for _, k := range keys {
			n, err := c.MemoryUsage(ctx, k).Result()
			if err != nil {
				t.Fatalf("MEMORY USAGE %s: %v", k, err)
			}
			total += n
		}
		return total
	}
	for _, fc := range footprintChats {
		t.Run(fc.name, func(t *testing.T) {
			prefix := uniquePrefix(t)
			t.Cleanup(func() { deletePrefix(t, c, prefix) })
			s := New(c, WithPrefix(prefix))
			var old []string
			for i := range messages {
				l, _ := mustAcquire(t, s, fc.chat, fc.id(i))
				turn := [][]byte{fmt.Appendf(nil, "> mensaje %d", i), []byte("< Respuesta del asistente a ese mensaje.")}
				if err := s.Commit(testContext(t), l, []byte(`{"step":"menu","lang":"es"}`), turn, time.Hour); err != nil {
					t.Fatal(err)
				}
				k := prefix + "seen:{" + fc.chat + "}:" + fc.id(i)
				if err := c.Set(ctx, k, l.Token, s.seenTTL).Err(); err != nil {
					t.Fatal(err)
				}
				old = append(old, k)
			}
			k := s.keys(fc.chat, "")
			rest := usage(t, k.state, k.was, k.transcript)
			perKey, hash := usage(t, old...), usage(t, k.handled)
			t.Logf("%d messages: the chat's state, marker and transcript %d B; handled ids: a key each %d B (%d B a chat), one hash %d B (%d B a chat)",
				messages, rest, perKey, rest+perKey, hash, rest+hash)
			if hash > perKey/2 {
				t.Errorf("the handled hash takes %d B, want at most half the %d B of a key each", hash, perKey)
			}
			if enc, err := c.ObjectEncoding(ctx, k.handled).Result(); err != nil || (enc != "listpack" && enc != "ziplist") {
				t.Errorf("the handled hash is encoded as %q (%v), want a listpack", enc, err)
			}
		})
	}
}
