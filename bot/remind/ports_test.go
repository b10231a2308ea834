package remind

import "github.com/clavebot/clavebot/dialog"

// The Scheduler is the engine's Reminders: proved in a test, so that the
// package does not import the engine (and the registry behind it).
var _ dialog.Reminders = (*Scheduler)(nil)
