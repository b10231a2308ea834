package main

import (
	"context"
	"fmt"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/redisdesk"
	"github.com/clavebot/clavebot/internal/errs"
)

// agentRemove deletes the agent. The desk servers check every request
// against the database, so the agent's sessions are dead once this
// returns; with --redis-url, the servers are also told at once to close
// the agent's open pages, which they otherwise notice within a second.
func (m *Main) agentRemove(ctx context.Context, acc *desk.Accounts, name string) error {
	cfg, stdout, stderr := &m.Config, m.stdout, m.stderr
	if err := acc.Remove(ctx, name); errs.Is(errs.NotFound, err) {
		return &exitError{code: 1, msg: "clavebot: agent remove: no agent named " + name}
	} else if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "removed agent %s\n", name)
	if cfg.RedisURL == "" {
		return nil
	}
	rdb, closeRedis, err := openRedis(ctx, cfg)
	if err == nil {
		m.Redis = rdb
		m.onClose("redis", closeRedis)
		err = redisdesk.NewSessions(rdb, keyPrefix).EndAgent(ctx, name)
	}
	if err != nil {
		fmt.Fprintf(stderr, "clavebot: the desk servers were not told at once (%v); they close %s's pages at their next check\n", err, name)
	}
	return nil
}
