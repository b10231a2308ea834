package redisdesk_test

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/redisdesk"
	"github.com/clavebot/clavebot/internal/testenv"
)

// between runs f once, before the first command or pipeline of the
// client that reads a key holding match.
type between struct {
	match string
	once  sync.Once
	f     func()
}

func (b *between) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) { return next(ctx, network, addr) }
}

func (b *between) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { b.check(cmd); return next(ctx, cmd) }
}

func (b *between) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		for _, c := range cmds {
			b.check(c)
		}
		return next(ctx, cmds)
	}
}

func (b *between) check(cmd redis.Cmder) {
	if cmd.Name() == "hgetall" && strings.Contains(cmd.String(), b.match) {
		b.once.Do(b.f)
	}
}

// TestListIsNeverHalfMoved: the board (List) read each set of the queue,
// then each conversation: a chat given back to the line in between (its
// agent gone) was listed waiting without a place, and the page showed it
// in the line with none, or a test waiting for it at the head read place
// 0 (seen in the desk's tests on a loaded machine). A conversation that
// moved while the queue was read is listed where it was, or left for the
// next read, which its move's event asks for: never half-moved.
func TestListIsNeverHalfMoved(t *testing.T) {
	ctx, now := context.Background(), time.Now
	plain := testenv.Redis(t)
	prefix := testenv.Prefix(t, plain, "desk")
	other := redisdesk.New(plain, prefix)
	hooked := testenv.Redis(t)
	for _, tt := range []struct {
		name string
		move func(chat string) error
	}{
		{"given back", func(chat string) error {
			_, err := other.Return(ctx, chat, "ana", desk.Message{From: desk.FromBot, Text: "[volvió a la fila]"})
			return err
		}},
		{"taken", func(chat string) error {
			if _, err := other.Return(ctx, chat, "ana", desk.Message{From: desk.FromBot, Text: "[volvió a la fila]"}); err != nil {
				return err
			}
			_, err := other.Take(ctx, chat, "beto", now())
			return err
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			chat := "rest:" + strings.ReplaceAll(tt.name, " ", "-")
			if _, err := other.Put(ctx, desk.Conversation{ID: chat, Chat: chat, Status: desk.Waiting, Enqueued: now()}, nil); err != nil {
				t.Fatal(err)
			}
			if _, err := other.Take(ctx, chat, "ana", now()); err != nil {
				t.Fatal(err)
			}
			var moved error
			hooked.AddHook(&between{match: "conv:" + chat, f: func() { moved = tt.move(chat) }})
			list, err := redisdesk.New(hooked, prefix).List(ctx)
			if err != nil || moved != nil {
				t.Fatal(err, moved)
			}
			for _, c := range list {
				if c.Chat == chat && (c.Status == desk.Waiting && c.Position == 0 || c.Status == desk.Active && c.Agent == "") {
					t.Fatalf("listed half-moved: %+v", c)
				}
			}
			if _, err := other.Remove(ctx, chat); err != nil {
				t.Fatal(err)
			}
		})
	}
}
