// Package logid keeps people's chat ids (a Telegram user id, a WhatsApp
// phone number) out of the logs. A call site logs a chat as Chat(id); the
// Handler writes it as the chat's channel and a keyed hash (HMAC-SHA256,
// 12 hex digits), so one chat's lines can still be followed and a chat an
// operator knows can be found (Handler.Pseudonym), but a log that leaks
// does not list who talked to the bot. Without the Handler only the
// channel is written.
package logid

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"strings"
)

// Chat is a channel-qualified chat id ("telegram:12345") to be logged.
type Chat string

// LogValue implements slog.LogValuer: without the Handler, only the
// chat's channel.
func (c Chat) LogValue() slog.Value { return slog.StringValue(channel(string(c)) + ":-") }

func channel(chat string) string {
	if ch, _, ok := strings.Cut(chat, ":"); ok {
		return ch
	}
	return "?"
}

// Handler writes every Chat attribute as its pseudonym, then hands the
// record to the next handler.
type Handler struct {
	next slog.Handler
	key  []byte
}

var _ slog.Handler = (*Handler)(nil)

// NewHandler wraps next. An empty key draws a random one: the
// pseudonyms then hold for the process only; a configured key keeps them
// across processes and replicas.
func NewHandler(next slog.Handler, key []byte) *Handler {
	if len(key) == 0 {
		key = make([]byte, 32)
		_, _ = rand.Read(key)
	}
	return &Handler{next: next, key: key}
}

// Pseudonym is how chat appears in the log.
func (h *Handler) Pseudonym(chat string) string {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte(chat))
	return channel(chat) + ":" + hex.EncodeToString(m.Sum(nil)[:6])
}

// Enabled implements slog.Handler.
func (h *Handler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

// Handle implements slog.Handler.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

// WithAttrs implements slog.Handler.
func (h *Handler) WithAttrs(as []slog.Attr) slog.Handler {
	out := make([]slog.Attr, len(as))
	for i, a := range as {
		out[i] = h.attr(a)
	}
	return &Handler{next: h.next.WithAttrs(out), key: h.key}
}

// WithGroup implements slog.Handler.
func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{next: h.next.WithGroup(name), key: h.key}
}

func (h *Handler) attr(a slog.Attr) slog.Attr {
	switch a.Value.Kind() {
	case slog.KindLogValuer:
		if c, ok := a.Value.Any().(Chat); ok {
			return slog.String(a.Key, h.Pseudonym(string(c)))
		}
	case slog.KindGroup:
		as := a.Value.Group()
		out := make([]any, len(as))
		for i, g := range as {
			out[i] = h.attr(g)
		}
		return slog.Group(a.Key, out...)
	}
	return a
}
