package telegram_test

import (
	"github.com/clavebot/clavebot/bot/lease"
	"github.com/clavebot/clavebot/bot/telegram"
)

// The Redis lease is the channel's Leaser: proved in a test, so that
// neither package imports the other.
var _ telegram.Leaser = (*lease.Lease)(nil)
