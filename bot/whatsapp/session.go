package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/dialog/convo"
)

// Why a connection ended for good.
var (
	ErrStreamReplaced = errors.New("whatsapp: another process connected this device")
	ErrLoggedOut      = errors.New("whatsapp: device unlinked from the phone")
	ErrBanned         = errors.New("whatsapp: account temporarily banned")
	ErrOutdated       = errors.New("whatsapp: client version outdated; update whatsmeow")
)

// session is one whatsmeow client's connection: it receives its events and
// is the bot.Channel its replies go through. It is not a bot.Deleter:
// WhatsApp does not let the bot delete a person's message for everyone,
// so bot.Turn deletes the bot's own copy (bot.OwnCopyDeleter) and asks
// the person to delete theirs for everyone.
type session struct {
	w           *WhatsApp
	cli         Client
	stop        chan error // the first reason the connection cannot go on
	connected   atomic.Bool
	keyMessages stamps // when people's messages were sent, for "delete for me"
}

var (
	_ bot.Channel = (*session)(nil)
	_ bot.Typer   = (*session)(nil)
)

func (w *WhatsApp) newSession(cli Client) *session {
	return &session{w: w, cli: cli, stop: make(chan error, 1)}
}

// handleEvent runs on whatsmeow's single event loop: it must not block on
// the network, so messages are queued and everything else only logged.
func (s *session) handleEvent(evt any) {
	switch evt := evt.(type) {
	case *events.Message:
		s.handleMessage(evt)
	case *events.Connected:
		s.w.log.Info("connected")
		s.connected.Store(true)
		s.w.setQR("")
		go s.available()
	case *events.Disconnected:
		s.connected.Store(false)
		s.w.log.Warn("disconnected; reconnecting")
	case *events.Receipt:
		s.handleReceipt(evt)
	case *events.KeepAliveTimeout:
		s.w.log.Warn("keepalive timeout", "errors", evt.ErrorCount)
	case *events.PairSuccess:
		s.w.log.Info("paired", "jid", evt.ID.String(), "platform", evt.Platform)
	case *events.StreamReplaced:
		s.end(ErrStreamReplaced)
	case *events.LoggedOut:
		s.end(fmt.Errorf("%w (%s)", ErrLoggedOut, evt.Reason))
	case *events.TemporaryBan:
		s.end(fmt.Errorf("%w: %s", ErrBanned, evt.String()))
	case *events.ClientOutdated:
		s.end(ErrOutdated)
	}
}

// available marks the account online, which WhatsApp wants before it shows
// the bot's "typing…" to people.
func (s *session) available() {
	ctx, cancel := context.WithTimeout(context.Background(), s.w.opt.turnTimeout)
	defer cancel()
	if err := s.cli.SendPresence(ctx, types.PresenceAvailable); err != nil {
		s.w.log.Debug("presence failed", "err", err)
	}
}

func (s *session) end(err error) {
	s.connected.Store(false)
	s.w.log.Error("connection ended", "err", err)
	select {
	case s.stop <- err:
	default:
	}
}

func (s *session) handleMessage(evt *events.Message) {
	chat, ok := person(evt.Info)
	if !ok {
		return
	}
	in, ok := inbound(evt, chat)
	if !ok {
		return
	}
	if !s.w.seen.Add(in.Chat + "/" + in.ID) {
		s.w.log.Debug("duplicate message dropped", "id", in.ID)
		return
	}
	info := evt.Info
	s.keyMessages.put(info.ID, info.Timestamp)
	s.w.seq.Do(in.Chat, func() { s.turn(chat, info, in) })
}

// turn answers one message, on the chat's sequencer worker. It has its own
// deadline: the turn must finish even if the connection's context ends.
func (s *session) turn(chat types.JID, info types.MessageInfo, in convo.Inbound) {
	ctx, cancel := context.WithTimeout(context.Background(), s.w.opt.turnTimeout)
	defer cancel()
	if err := s.cli.MarkRead(ctx, []types.MessageID{info.ID}, info.Timestamp, info.Chat, info.Sender); err != nil {
		s.w.log.Debug("mark read failed", "err", noJIDs(err))
	}
	s.w.bot.Turn(ctx, s, chat.String(), in)
}

// Name implements bot.Channel.
func (s *session) Name() string { return Name }

// SendText implements bot.Channel; options come numbered in the text.
func (s *session) SendText(ctx context.Context, chat, text string) error {
	jid, err := types.ParseJID(chat)
	if err != nil {
		return errNotAChat
	}
	resp, err := s.cli.SendMessage(ctx, jid, &waE2E.Message{Conversation: proto.String(text)})
	if err != nil {
		return fmt.Errorf("whatsapp: send: %w", noJIDs(err))
	}
	s.w.replies.Add(resp.ID)
	return nil
}

// Typing implements bot.Typer with the "composing" chat presence.
func (s *session) Typing(ctx context.Context, chat string) error {
	jid, err := types.ParseJID(chat)
	if err != nil {
		return errNotAChat
	}
	return noJIDs(s.cli.SendChatPresence(ctx, jid, types.ChatPresenceComposing, types.ChatPresenceMediaText))
}

// errNotAChat is a chat id that is not a JID. It does not quote the id:
// errors are logged, and a chat id is a phone number.
var errNotAChat = errors.New("whatsapp: not a chat id")
