package redisstore

import (
	"context"
	"errors"

	"github.com/redis/go-redis/v9"
)

// followTopology has a cluster client reload its map of the cluster when
// a command fails other than by a server's answer: a primary killed, a
// network cut, a server that does not answer in time. go-redis reloads
// the map on the MOVED and READONLY answers, which a dead primary never
// sends, and otherwise a minute after its last load: a replica of the bot
// kept sending to a primary killed and failed over, every turn of the
// chats in its slots answered with the apology, for up to that minute
// after the cluster had promoted the primary's replica in seconds (a
// resilience probe). The reload runs in the background, one at a time,
// and the turn that failed is answered as before.
type followTopology struct{ c *redis.ClusterClient }

var _ redis.Hook = followTopology{}

func (f followTopology) DialHook(next redis.DialHook) redis.DialHook { return next }

func (f followTopology) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd)
		f.failed(ctx, err)
		return err
	}
}

func (f followTopology) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		err := next(ctx, cmds)
		f.failed(ctx, err)
		return err
	}
}

// failed reloads the map after err, unless err is none, a server's
// answer (redis.Nil among them) or the caller giving up.
func (f followTopology) failed(ctx context.Context, err error) {
	var answer redis.Error
	if err == nil || errors.As(err, &answer) || errors.Is(err, context.Canceled) {
		return
	}
	f.c.ReloadState(ctx)
}
