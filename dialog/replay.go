package dialog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/clavebot/clavebot/i18n"
)

// A client that reads the replies from the answer to its request (the
// REST chat: Inbound.Replay) and lost that answer sends the same message
// id again. The id is handled once, so without more it got nothing back
// and the person saw no answer; the store keeps the last turn's replies
// for a while (statestore.ReplayTTL) and a repeated id gets them again,
// as they were. Channels that deliver replies by sending them (Telegram,
// WhatsApp) leave Replay unset: a platform's redelivery of a message
// already answered must not send the answer twice.
//
// The replies are kept as keys and arguments, rendered again in the
// chat's language by the channel as the first time, in the transcript's
// compact form (entry.go): [secret, [expect, message, option...]...],
// secret 1 when the person's message was a key. The menu's answer takes
// about 60 bytes instead of 300 as encoding/json wrote it, and issue 14
// counts a chat's bytes in Redis (TestRedisFootprint).

func encodeReplay(res Result) ([]byte, error) {
	buf := make([]byte, 0, 64*len(res.Replies))
	buf = append(buf, "[0"...)
	if res.Secret {
		buf[1] = '1'
	}
	var err error
	for _, r := range res.Replies {
		buf = appendString(append(buf, ",["...), string(r.Expect))
		if buf, err = appendSaid(append(buf, ','), r.Msg, fromBot); err != nil {
			return nil, fmt.Errorf("encode replies: %w", err)
		}
		for _, o := range r.Options {
			if buf, err = appendSaid(append(buf, ','), o, fromBot); err != nil {
				return nil, fmt.Errorf("encode replies: %w", err)
			}
		}
		buf = append(buf, ']')
	}
	return append(buf, ']'), nil
}

func decodeReplay(raw []byte) (Result, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return Result{}, fmt.Errorf("decode replies: %w", err)
	}
	if len(items) == 0 {
		return Result{}, errors.New("decode replies: empty")
	}
	res := Result{Secret: string(bytes.TrimSpace(items[0])) == "1", Replies: make([]Reply, 0, len(items)-1)}
	for _, it := range items[1:] {
		var parts []json.RawMessage
		if err := json.Unmarshal(it, &parts); err != nil || len(parts) < 2 {
			return Result{}, fmt.Errorf("decode replies: reply %s", it)
		}
		var r Reply
		if err := json.Unmarshal(parts[0], &r.Expect); err != nil {
			return Result{}, fmt.Errorf("decode replies: expect: %w", err)
		}
		msgs := make([]i18n.Message, len(parts)-1)
		for i, p := range parts[1:] {
			m, err := decodeMessage(bytes.TrimSpace(p), fromBot)
			if err != nil {
				return Result{}, fmt.Errorf("decode replies: %w", err)
			}
			msgs[i] = m
		}
		r.Msg = msgs[0]
		if len(msgs) > 1 {
			r.Options = msgs[1:]
		}
		res.Replies = append(res.Replies, r)
	}
	return res, nil
}
