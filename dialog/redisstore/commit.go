package redisstore

import (
	"context"
	"fmt"
	"time"

	"github.com/clavebot/clavebot/dialog/statestore"
	"github.com/clavebot/clavebot/internal/errs"
)

// Commit stores state with the idle TTL ttl (none when ttl <= 0), appends
// lines to the chat's transcript (keeping its newest
// statestore.TranscriptLines, with the state's TTL), stores the lease's
// counts, marks the lease's message id as handled, keeps the lease's
// replies for it, and releases the lock, in one atomic step. A nil or empty
// state deletes the chat's state and transcript (the chat starts over,
// without being told it expired). It returns statestore.ErrLeaseLost when the
// lock is no longer the lease's: it expired, and another turn may have
// taken it or even committed since.
func (s *Store) Commit(ctx context.Context, l statestore.Lease, state []byte, lines [][]byte, ttl time.Duration) error {
	k := s.keys(l.Chat, l.MsgID)
	stateMS, markerMS := int64(0), millis(s.markerTTL)
	if ttl > 0 {
		// The marker outlives the state by markerTTL, so the chat's next
		// message within that time learns that its state idled out.
		stateMS = millis(ttl)
		markerMS += stateMS
	}
	// Older lines than the list keeps would only be trimmed; leaving them
	// out also bounds the script's arguments.
	lines = lines[max(0, len(lines)-statestore.TranscriptLines):]
	now := s.now()
	counts, countsMS, err := encodeCounts(l.Counts, now)
	if err != nil {
		return errs.E(errs.Invalid, "redisstore commit", err)
	}
	field, replies := handledField(l.MsgID), ""
	if l.MsgID != "" && len(l.Replies) > 0 {
		replies = replyValue(field, l.Replies)
	}
	keys := k.list()
	arm, giveBack := "", ""
	if l.Arm {
		arm = "1"
	}
	if l.Armed.Counted && !l.Spent {
		// The use reserved when the chat was taken, not spent.
		giveBack = "1"
		keys = append(keys, s.limitKey(l.Armed.Key))
	}
	args := make([]any, 0, 16+len(lines))
	args = append(args, l.Token, state, stateMS, markerMS, millis(s.seenTTL), field,
		now.UnixMilli(), seenSweep, statestore.TranscriptLines, leaseMark(l.Token), counts, countsMS,
		replies, millis(statestore.ReplayTTL), arm, giveBack)
	for _, line := range lines {
		args = append(args, line)
	}
	ok, err := s.commit.Run(ctx, s.client, keys, args...).Int64()
	if err != nil {
		return errs.E(errs.Unavailable, "redisstore commit", err)
	}
	if ok != 1 {
		return fmt.Errorf("redisstore: commit chat: %w", statestore.ErrLeaseLost)
	}
	return nil
}

// Release gives up the lease's lock without touching the state or marking
// the message id, so the same message can be tried again. Releasing a lock
// that has already expired, or an empty lease, does nothing.
func (s *Store) Release(ctx context.Context, l statestore.Lease) error {
	if l.Token == "" {
		return nil
	}
	k := s.keys(l.Chat, l.MsgID)
	if err := s.release.Run(ctx, s.client, k.list()[:1], l.Token).Err(); err != nil {
		return errs.E(errs.Unavailable, "redisstore release", err)
	}
	return nil
}

// Transcript returns the chat's transcript lines, oldest first, in one
// round trip; none when the chat has no state.
func (s *Store) Transcript(ctx context.Context, chat string) ([][]byte, error) {
	raw, err := s.client.LRange(ctx, s.keys(chat, "").transcript, 0, -1).Result()
	if err != nil {
		return nil, errs.E(errs.Unavailable, "redisstore transcript", err)
	}
	lines := make([][]byte, len(raw))
	for i, r := range raw {
		lines[i] = []byte(r)
	}
	return lines, nil
}
