package main

import (
	"context"

	"github.com/clavebot/clavebot/bot/relay"
	"github.com/clavebot/clavebot/desk"
)

// deliveryHooks tell the desk what the outbox learns: a chat whose person
// blocked the bot leaves the queue, and every change of a message's state
// refreshes the agents' pages.
func (c *deskCore) deliveryHooks() []relay.Option {
	return []relay.Option{
		relay.WithOnStop(func(ctx context.Context, chat, reason string) {
			if err := c.desk.Stopped(ctx, chat, reason); err != nil {
				c.log.Warn("desk not told of a stopped chat", "err", err)
			}
		}),
		relay.WithOnChange(func(ctx context.Context, chat string) {
			if err := c.queue.Publish(ctx, desk.Event{Kind: "delivery", Chat: chat}); err != nil {
				c.log.Debug("delivery event not published", "err", err)
			}
		}),
	}
}
