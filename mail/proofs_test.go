package mail_test

import (
	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/mail"
)

// The Sender is a CodeSender of the engine: proved in a test, so that
// mail does not import the engine.
var _ dialog.CodeSender = (*mail.Sender)(nil)
