package metrics

import (
	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/dialog"
)

// The measured engine is the engine the channels call, and the engine is
// the Handler it measures: proved in a test, so that metrics does not
// import the channels' edge.
var (
	_ bot.Engine = (*Engine)(nil)
	_ Handler    = (*dialog.Engine)(nil)
)
