package desk_test

import (
	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/registry"
)

// The desk meets the engine's ports, and the engine, the outbox and the
// registry's hasher the desk's: proved here, in a test, so that the desk
// imports neither the engine nor the registry (.ci/run checks it).
var (
	_ dialog.Desk     = (*desk.Handoffs)(nil)
	_ dialog.Recorder = (*desk.Funnel)(nil)
	_ desk.Engine     = (*dialog.Engine)(nil)
	_ desk.Deliverer  = (*bot.Outbox)(nil)
	_ desk.Hasher     = (*registry.Hasher)(nil)
)
