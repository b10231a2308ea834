package whatsapp

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"

	waLog "go.mau.fi/whatsmeow/util/log"

	"github.com/clavebot/clavebot/internal/logid"
)

// slogger feeds whatsmeow's logger into slog.
type slogger struct{ log *slog.Logger }

var _ waLog.Logger = slogger{}

func waLogger(log *slog.Logger, module string) waLog.Logger {
	return slogger{log: log.With("module", module)}
}

func (l slogger) Errorf(msg string, args ...any) { l.out(slog.LevelError, msg, args) }
func (l slogger) Warnf(msg string, args ...any)  { l.out(slog.LevelWarn, msg, args) }
func (l slogger) Infof(msg string, args ...any)  { l.out(slog.LevelInfo, msg, args) }
func (l slogger) Debugf(msg string, args ...any) { l.out(slog.LevelDebug, msg, args) }

func (l slogger) Sub(module string) waLog.Logger {
	return slogger{log: l.log.With("sub", module)}
}

// out formats only when the level is on: whatsmeow's debug output is large.
// The JIDs whatsmeow names (a person's is their phone number) are taken
// out of the text and logged by pseudonym (see logid).
func (l slogger) out(level slog.Level, msg string, args []any) {
	if !l.log.Enabled(context.Background(), level) {
		return
	}
	var attrs []any
	text := jidPattern.ReplaceAllStringFunc(fmt.Sprintf(msg, args...), func(jid string) string {
		user, server, _ := strings.Cut(jid, "@")
		user, _, _ = strings.Cut(user, ":")
		user, _, _ = strings.Cut(user, ".")
		attrs = append(attrs, "jid", logid.Chat(Name+":"+user+"@"+server))
		return "<jid>"
	})
	l.log.Log(context.Background(), level, text, attrs...)
}

// jidPattern is a WhatsApp JID: user (a phone number or a LID), an
// optional agent and device, and the server.
var jidPattern = regexp.MustCompile(`\+?\d{5,20}(?:\.\d+)?(?::\d+)?@(?:s\.whatsapp\.net|lid|c\.us|g\.us|broadcast|newsletter)`)
