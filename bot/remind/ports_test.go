package remind

import (
	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/dialog"
)

// The Scheduler is the engine's Reminders, and the outbox its Deliverer:
// proved in a test, so that the package imports neither the engine (and
// the registry behind it) nor the outbox.
var (
	_ dialog.Reminders = (*Scheduler)(nil)
	_ Deliverer        = (*bot.Outbox)(nil)
)
