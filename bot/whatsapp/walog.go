package whatsapp

import (
	"context"
	"fmt"
	"log/slog"

	waLog "go.mau.fi/whatsmeow/util/log"
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
func (l slogger) out(level slog.Level, msg string, args []any) {
	if !l.log.Enabled(context.Background(), level) {
		return
	}
	l.log.Log(context.Background(), level, fmt.Sprintf(msg, args...))
}
