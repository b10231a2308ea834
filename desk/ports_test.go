package desk_test

import (
	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/dialog"
)

// The desk meets the engine's ports, and the engine the desk's: proved
// here, in a test, so that the desk imports neither the engine nor the
// registry behind it (.ci/run checks it).
var (
	_ dialog.Desk     = (*desk.Desk)(nil)
	_ dialog.Recorder = (*desk.Funnel)(nil)
	_ desk.Engine     = (*dialog.Engine)(nil)
)
