// Package whatsapp connects clavebot to WhatsApp as a linked device, through
// whatsmeow: the device session lives in the service's database, pairing is
// by QR code or phone code, and each chat's messages go through the bot one
// at a time, in order. WhatsApp lets a linked device hold one connection
// only: run it under bot/lease when several processes serve.
package whatsapp

import (
	"context"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/appstate"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/whatsapp/internal/recent"
	"github.com/clavebot/clavebot/internal/errs"
)

// Client is what a connected session needs of whatsmeow to answer people.
type Client interface {
	SendMessage(ctx context.Context, to types.JID, msg *waE2E.Message, extra ...whatsmeow.SendRequestExtra) (whatsmeow.SendResponse, error)
	MarkRead(ctx context.Context, ids []types.MessageID, ts time.Time, chat, sender types.JID, receiptType ...types.ReceiptType) error
	SendChatPresence(ctx context.Context, jid types.JID, state types.ChatPresence, media types.ChatPresenceMedia) error
	SendPresence(ctx context.Context, state types.Presence) error
	SendAppState(ctx context.Context, patch appstate.PatchInfo) error
}

var _ Client = (*whatsmeow.Client)(nil)

// Name is the channel's name in Inbound.Channel and chat ids.
const Name = "whatsapp"

// WhatsApp is the whatsmeow channel.
type WhatsApp struct {
	bot       *bot.Bot
	container *sqlstore.Container // nil in tests that need no connection
	seq       *bot.Sequencer
	seen      *recent.Set
	// replies are the ids of the last turn replies sent: their receipts
	// are nothing to the outbox, which never sent them.
	replies *recent.Set
	log     *slog.Logger
	opt     options

	mu      sync.Mutex
	current *session // the live connection, for messages sent outside a turn
	qr      string   // the QR code to scan now, "" when none
	code    string   // the phone pairing code to type now, "" when none
}

type options struct {
	phone       string
	qrOut       io.Writer
	onQR        func(code string)
	onCode      func(code string)
	workers     int
	depth       int
	remember    int
	turnTimeout time.Duration
	held        func() bool  // whether this process holds the device's lease
	receipts    bot.Receipts // where delivered and read receipts go
}

// Option changes a default of New.
type Option func(*options)

// WithPhone pairs by phone code instead of QR: the international number
// (digits, e.g. 5491123456789) of the WhatsApp account to link.
func WithPhone(number string) Option { return func(o *options) { o.phone = number } }

// WithQRWriter is where pairing QR codes and codes are drawn (default
// os.Stdout; nil draws nothing).
func WithQRWriter(w io.Writer) Option { return func(o *options) { o.qrOut = w } }

// WithOnQR is called with each new QR code ("" once paired), e.g. for the
// desk to show it.
func WithOnQR(fn func(code string)) Option { return func(o *options) { o.onQR = fn } }

// WithOnPairingCode is called with the phone pairing code when one is
// issued (see WithPhone), e.g. for the desk to show it.
func WithOnPairingCode(fn func(code string)) Option { return func(o *options) { o.onCode = fn } }

// WithWorkers sets how many chats are served in parallel (default 16).
func WithWorkers(n int) Option { return func(o *options) { o.workers = n } }

// WithLeaseHeld tells whether this process holds the device's lease
// (bot/lease's Held): the channel is Ready only then, so messages sent
// from other processes, or after the lease moved, go to the holder.
func WithLeaseHeld(held func() bool) Option { return func(o *options) { o.held = held } }

// WithReceipts passes the person's delivered and read receipts of the
// outbox's messages to r.
func WithReceipts(r bot.Receipts) Option { return func(o *options) { o.receipts = r } }

func newWhatsApp(b *bot.Bot, log *slog.Logger, opts ...Option) *WhatsApp {
	o := options{qrOut: os.Stdout, workers: 16, depth: 64, remember: 4096, turnTimeout: 2 * time.Minute}
	for _, fn := range opts {
		fn(&o)
	}
	return &WhatsApp{
		bot:     b,
		seq:     bot.NewSequencer(o.workers, o.depth),
		seen:    recent.New(o.remember),
		replies: recent.New(o.remember),
		log:     log.With("component", "whatsapp"),
		opt:     o,
	}
}

// QR is the pairing QR code to scan now, "" when there is none.
func (w *WhatsApp) QR() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.qr
}

// PairingCode is the phone pairing code to type now, "" when there is none.
func (w *WhatsApp) PairingCode() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.code
}

var _ bot.Channel = (*WhatsApp)(nil) // Ready and Tracker: deliver.go

func (w *WhatsApp) setSession(s *session) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.current = s
}

// Name implements bot.Channel.
func (w *WhatsApp) Name() string { return Name }

// SendText implements bot.Channel through the live connection.
func (w *WhatsApp) SendText(ctx context.Context, chat, text string) error {
	w.mu.Lock()
	s := w.current
	w.mu.Unlock()
	if s == nil {
		return errs.E(errs.Unavailable, "whatsapp send", errNotConnected)
	}
	return s.SendText(ctx, chat, text)
}

// Close waits for the queued turns. Call it after Run has returned.
func (w *WhatsApp) Close() { w.seq.Close() }
