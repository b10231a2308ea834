package whatsapp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/appstate"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/proto/waSyncAction"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/clavebot/clavebot/bot"
)

var (
	_ bot.Ready          = (*WhatsApp)(nil)
	_ bot.Tracker        = (*WhatsApp)(nil)
	_ bot.Tracker        = (*session)(nil)
	_ bot.OwnCopyDeleter = (*session)(nil)
)

// Ready implements bot.Ready: this process sends through the device only
// while it holds the device's lease and is connected; otherwise its
// messages wait in the outbox for the process that does.
func (w *WhatsApp) Ready() bool {
	if w.opt.held != nil && !w.opt.held() {
		return false
	}
	w.mu.Lock()
	s := w.current
	w.mu.Unlock()
	return s != nil && s.connected.Load()
}

// SendOnce implements bot.Tracker through the live connection.
func (w *WhatsApp) SendOnce(ctx context.Context, chat string, m bot.Message, key string) (string, error) {
	w.mu.Lock()
	s := w.current
	w.mu.Unlock()
	if s == nil || !w.Ready() {
		return "", &bot.SendError{Failure: bot.Retry, Reason: "WhatsApp is not connected in this process", Err: errNotConnected}
	}
	return s.SendOnce(ctx, chat, m, key)
}

var errNotConnected = errors.New("whatsapp: not connected")

// SendOnce implements bot.Tracker. The outbox key becomes the WhatsApp
// message id, so a message sent again after a try that got no answer is
// the same message, which WhatsApp shows once.
func (s *session) SendOnce(ctx context.Context, chat string, m bot.Message, key string) (string, error) {
	jid, err := types.ParseJID(chat)
	if err != nil {
		return "", &bot.SendError{Failure: bot.Refused, Reason: "not a WhatsApp chat", Err: err}
	}
	id := MessageID(key)
	msg := &waE2E.Message{Conversation: proto.String(bot.NumberedText(m))}
	if _, err := s.cli.SendMessage(ctx, jid, msg, whatsmeow.SendRequestExtra{ID: id}); err != nil {
		return "", sendError(err)
	}
	return id, nil
}

// MessageID is the WhatsApp message id of the outbox key: the form
// whatsmeow's own ids take ("3EB0" and hex), fixed by the key.
func MessageID(key string) types.MessageID {
	sum := sha256.Sum256([]byte(key))
	return whatsmeow.WebMessageIDPrefix + strings.ToUpper(hex.EncodeToString(sum[:9]))
}

// sendError classifies whatsmeow's failures for the outbox.
func sendError(err error) *bot.SendError {
	err = noJIDs(err)
	se := &bot.SendError{Failure: bot.Retry, Reason: err.Error(), Err: err}
	switch {
	case errors.Is(err, whatsmeow.ErrNotConnected), errors.Is(err, whatsmeow.ErrNotLoggedIn):
		se.Reason = "WhatsApp is not connected"
	case errors.Is(err, whatsmeow.ErrMessageTimedOut), errors.Is(err, whatsmeow.ErrIQTimedOut), errors.Is(err, context.DeadlineExceeded):
		// WhatsApp may have it; sent again, it keeps its id.
		se.Failure, se.Reason = bot.Unsure, "no answer from WhatsApp"
	case errors.Is(err, whatsmeow.ErrRecipientADJID), errors.Is(err, whatsmeow.ErrUnknownServer), errors.Is(err, whatsmeow.ErrBroadcastListUnsupported):
		se.Failure = bot.Refused
	}
	return se
}

// jidless is an error of whatsmeow's with the JIDs its text names taken
// out: a person's JID is their phone number, and whatsmeow's send errors
// name it ("no LID found for 549…@s.whatsapp.net from server"), which
// reached serve's log through the bot's and the outbox's "send failed"
// lines, the desk and the dead letters (a channels probe).
type jidless struct{ err error }

func (e jidless) Error() string { return jidPattern.ReplaceAllString(e.err.Error(), "<jid>") }
func (e jidless) Unwrap() error { return e.err }

// noJIDs is err without the JIDs in its text, nil for nil.
func noJIDs(err error) error {
	if err == nil {
		return nil
	}
	return jidless{err}
}

// receiptStates maps whatsmeow's receipts to the outbox's states.
var receiptStates = map[types.ReceiptType]bot.State{
	types.ReceiptTypeDelivered: bot.Delivered,
	types.ReceiptTypeRead:      bot.Read,
	types.ReceiptTypePlayed:    bot.Read,
}

// handleReceipt passes a person's receipts of the bot's messages to the
// outbox, off whatsmeow's event loop.
func (s *session) handleReceipt(evt *events.Receipt) {
	st, ok := receiptStates[evt.Type]
	rc := s.w.opt.receipts
	if !ok || rc == nil || evt.IsGroup {
		return
	}
	chat := Name + ":" + evt.Chat.ToNonAD().String()
	// A turn's replies are not the outbox's: their receipts stay here.
	ids := slices.DeleteFunc(slices.Clone(evt.MessageIDs), func(id types.MessageID) bool { return s.w.replies.Has(id) })
	if len(ids) == 0 {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for _, id := range ids {
			if err := rc.Receipt(ctx, bot.Receipt{Chat: chat, ID: id, State: st, At: evt.Timestamp}); err != nil {
				s.w.log.Debug("receipt not recorded", "err", err)
			}
		}
	}()
}

// DeleteOwnCopy implements bot.OwnCopyDeleter: "delete for me" on the
// bot's phone, an app state patch as WhatsApp's own clients send it. The
// person's copy stays: they are asked to delete it for everyone.
func (s *session) DeleteOwnCopy(ctx context.Context, chat, msgID string) error {
	jid, err := types.ParseJID(chat)
	if err != nil {
		return errNotAChat
	}
	ts, ok := s.keyMessages.take(msgID)
	if !ok {
		ts = time.Now()
	}
	patch := appstate.PatchInfo{
		Type: appstate.WAPatchRegularHigh,
		Mutations: []appstate.MutationInfo{{
			Index:   []string{appstate.IndexDeleteMessageForMe, jid.String(), msgID, "0", "0"},
			Version: 3,
			Value: &waSyncAction.SyncActionValue{DeleteMessageForMeAction: &waSyncAction.DeleteMessageForMeAction{
				DeleteMedia: proto.Bool(false), MessageTimestamp: proto.Int64(ts.Unix()),
			}},
		}},
	}
	if err := s.cli.SendAppState(ctx, patch); err != nil {
		return fmt.Errorf("whatsapp: delete for me: %w", noJIDs(err))
	}
	return nil
}

// stamps remembers when recent messages were sent, which a "delete for
// me" needs; bounded, oldest forgotten first.
type stamps struct {
	mu    sync.Mutex
	at    map[string]time.Time
	order []string
}

const maxStamps = 4096

func (s *stamps) put(id string, t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.at == nil {
		s.at = map[string]time.Time{}
	}
	if len(s.order) >= maxStamps {
		delete(s.at, s.order[0])
		s.order = s.order[1:]
	}
	s.at[id] = t
	s.order = append(s.order, id)
}

func (s *stamps) take(id string) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.at[id]
	delete(s.at, id)
	return t, ok
}
