package redisstore

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
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
// handled, and the hash expires a seen TTL after the last one, or when
// the marker that the chat had a state ends if later.
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
		// commitID's state lives an hour, its marker a marker TTL more.
		if ttl, err := c.PTTL(ctx, handled).Result(); err != nil || ttl <= 0 || ttl > max(s.seenTTL, time.Hour+s.markerTTL) {
			t.Fatalf("handled hash TTL %v, %v; want within the seen TTL %v or the marker's %v", ttl, err, s.seenTTL, time.Hour+s.markerTTL)
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

// testOldHandledValue: during a rolling upgrade, an id the previous version
// marked in the handled hash, under its field (the id, or "#" and a
// base64 digest of a long one) and as "<16 hex digits of the token>|<expiry
// in unix ms>", is a duplicate until that expiry, and a commit of this
// version sweeps it once it has ended.
func testOldHandledValue(t *testing.T, h harness, newStore storeFactory) {
	for _, tt := range []struct{ id, field string }{
		{"871234567", "871234567"},
		{wamid, "#" + base64.RawStdEncoding.EncodeToString(sha256Of(wamid)[:18])},
	} {
		t.Run(tt.field, func(t *testing.T) {
			chat := "whatsapp:" + tt.field
			s := newStore()
			c := h.client(t)
			ctx := testContext(t)
			handled := s.keys(chat, "").handled
			until := s.now().Add(time.Hour).UnixMilli()
			if err := c.HSet(ctx, handled, tt.field, fmt.Sprintf("0123456789abcdef|%d", until)).Err(); err != nil {
				t.Fatal(err)
			}
			if err := c.PExpire(ctx, handled, 24*time.Hour).Err(); err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.Acquire(ctx, chat, tt.id); !errors.Is(err, statestore.ErrDuplicate) {
				t.Fatalf("Acquire of an id the previous version marked in the hash: %v, want ErrDuplicate", err)
			}
			h.elapse(2*time.Hour, h.clock)
			for i := range seenSweep {
				commitID(t, s, chat, fmt.Sprint(900000000+i))
			}
			if n, err := c.HExists(ctx, handled, tt.field).Result(); err != nil || n {
				t.Errorf("the previous version's ended id is still in the hash after a sweep (%v)", err)
			}
			l, _ := mustAcquire(t, s, chat, tt.id) // ended: not a duplicate
			mustRelease(t, s, l)
		})
	}
}

func sha256Of(s string) []byte {
	sum := sha256.Sum256([]byte(s))
	return sum[:]
}

// testOldMarker: during a rolling upgrade, a chat whose state idled out
// under the previous version, which marked that it had one with a key of
// its own (was:{chat}), is told so here; its next commit deletes that key.
func testOldMarker(t *testing.T, h harness, newStore storeFactory) {
	const chat = "telegram:43"
	s := newStore()
	c := h.client(t)
	ctx := testContext(t)
	was := s.keys(chat, "").was
	if err := c.Set(ctx, was, "1", 24*time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	l, state := mustAcquire(t, s, chat, "m1")
	if state != nil || !l.Expired {
		t.Fatalf("Acquire with the previous version's marker: state %q, expired %v; want none, true", state, l.Expired)
	}
	mustCommit(t, s, l, "fresh", time.Hour)
	if n, err := c.Exists(ctx, was).Result(); err != nil || n != 0 {
		t.Errorf("the previous version's marker is still there after a commit (%d, %v)", n, err)
	}
}

// testMarkerEnds: the marker that a chat had a state ends the marker TTL
// after the state does; a message after that starts a new chat, not told
// that its state idled out.
func testMarkerEnds(t *testing.T, h harness, newStore storeFactory) {
	const chat = "telegram:44"
	s := newStore(WithExpiredMarkerTTL(time.Hour))
	l, _ := mustAcquire(t, s, chat, "m1")
	mustCommit(t, s, l, "a", 50*time.Millisecond)
	l = awaitGone(t, h, s, chat)
	if !l.Expired {
		t.Fatal("Acquire after the state idled out: Expired = false, want true")
	}
	mustRelease(t, s, l)
	h.elapse(2*time.Hour, h.clock)
	l, state := mustAcquire(t, s, chat, "m2")
	if state != nil || l.Expired {
		t.Errorf("Acquire after the marker TTL: state %q, expired %v; want none, false", state, l.Expired)
	}
	mustRelease(t, s, l)
}

// awaitGone polls until chat's state has expired and returns the lease of
// the Acquire that saw it gone.
func awaitGone(t *testing.T, h harness, s *Store, chat string) statestore.Lease {
	t.Helper()
	for range 500 {
		h.elapse(20*time.Millisecond, h.clock)
		l, state := mustAcquire(t, s, chat, "")
		if state == nil {
			return l
		}
		mustRelease(t, s, l)
	}
	t.Fatal("state never expired")
	return statestore.Lease{}
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
// message (written here as it wrote them) against the handled hash (which
// also holds the marker that the chat had a state), beside the chat's
// state and transcript. Issue 14.4 asks at most 1.5 KB for all of an
// active chat: the hash takes at most a quarter of the keys (the hash of
// "<token>|<ms>" values, and the marker's key beside it, took a third).
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
			rest := usage(t, k.state, k.transcript)
			perKey, hash := usage(t, old...), usage(t, k.handled)
			t.Logf("%d messages: the chat's state and transcript %d B; handled ids: a key each %d B (%d B a chat), one hash with the marker %d B (%d B a chat)",
				messages, rest, perKey, rest+perKey, hash, rest+hash)
			if hash > perKey/4 {
				t.Errorf("the handled hash takes %d B, want at most a quarter of the %d B of a key each", hash, perKey)
			}
			if enc, err := c.ObjectEncoding(ctx, k.handled).Result(); err != nil || (enc != "listpack" && enc != "ziplist") {
				t.Errorf("the handled hash is encoded as %q (%v), want a listpack", enc, err)
			}
		})
	}
}

// testCountsKept: the counts field lives in the handled hash for its
// window, whatever else the hash holds: a chat forgotten by a commit
// without a message id (nothing else keeps the hash) keeps it until the
// window's end, and the sweep of expired ids leaves it alone.
func testCountsKept(t *testing.T, h harness, newStore storeFactory) {
	const chat = "telegram:45"
	ctx := testContext(t)
	s := newStore(WithSeenTTL(time.Minute), WithExpiredMarkerTTL(time.Minute))
	counts := map[string]statestore.Count{"cuil": {N: 4, Ends: s.now().Add(2 * time.Hour)}}
	l, _ := mustAcquire(t, s, chat, "")
	l.Counts = counts
	if err := s.Commit(ctx, l, nil, nil, 0); err != nil {
		t.Fatal(err)
	}
	rdb := h.client(t)
	key := s.keys(chat, "").handled
	if ttl := rdb.PTTL(ctx, key).Val(); ttl < 119*time.Minute {
		t.Fatalf("handled hash's TTL with only the counts: %v, want about 2h", ttl)
	}
	// More commits than a sweep's period, each id ended by the next (the
	// seen TTL is a minute): every sweep finds expired ids, never the
	// counts.
	for i := range 2 * seenSweep {
		l, _ := mustAcquire(t, s, chat, fmt.Sprintf("m%d", i))
		if got := l.Counts["cuil"]; got.N != 4 {
			t.Fatalf("commit %d: counts %v, want cuil 4", i, l.Counts)
		}
		mustCommit(t, s, l, "a", time.Minute)
		h.clock.add(65 * time.Second)
	}
	if n := rdb.HLen(ctx, key).Val(); n > seenSweep+2 {
		t.Fatalf("handled hash has %d fields after sweeps, want at most %d", n, seenSweep+2)
	}
}

// testRepliesKept: a turn's replies live ReplayTTL in a key of their own
// (the handled hash lives a day), and a long id, kept by its digest, gets
// them back.
func testRepliesKept(t *testing.T, h harness, newStore storeFactory) {
	const chat = "rest:46"
	ctx := testContext(t)
	s := newStore()
	id := strings.Repeat("x", 80) // longer than maxRawID
	l, _ := mustAcquire(t, s, chat, id)
	l.Replies = []byte(`{"r":[]}`)
	if err := s.Commit(ctx, l, []byte("a"), nil, time.Hour); err != nil {
		t.Fatal(err)
	}
	ttl := h.client(t).PTTL(ctx, s.keys(chat, "").replies).Val()
	if ttl <= statestore.ReplayTTL-time.Minute || ttl > statestore.ReplayTTL {
		t.Errorf("replies key's TTL %v, want about %v", ttl, statestore.ReplayTTL)
	}
	dup, _, err := s.Acquire(ctx, chat, id)
	if !errors.Is(err, statestore.ErrDuplicate) || string(dup.Replies) != `{"r":[]}` {
		t.Errorf("repeated long id = %+v, %v; want ErrDuplicate with the replies", dup, err)
	}
}
