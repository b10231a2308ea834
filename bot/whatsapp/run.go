package whatsapp

import (
	"context"
	"errors"
	"fmt"

	"github.com/clavebot/clavebot/internal/errs"
	"go.mau.fi/whatsmeow"
)

// errPairAgain ends a connection whose pairing codes ran out unused.
var errPairAgain = errors.New("whatsapp: pairing timed out")

// Run connects the device, pairing it first when the database holds no
// session, and serves messages until ctx ends (nil is then returned) or
// the connection cannot go on: another process took the device
// (ErrStreamReplaced), a ban (ErrBanned), an outdated client (ErrOutdated).
// A device unlinked from the phone, or pairing codes left unscanned, start
// a new pairing. whatsmeow reconnects by itself after network drops.
func (w *WhatsApp) Run(ctx context.Context) error {
	if w.container == nil {
		return errs.E(errs.Invalid, "whatsapp.Run", errors.New("no device store: use New"))
	}
	for {
		err := w.connectOnce(ctx)
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, ErrLoggedOut):
			w.log.Warn("device unlinked; pairing again")
		case errors.Is(err, errPairAgain):
			w.log.Info("pairing codes expired; new ones follow")
		default:
			return err
		}
	}
}

// connectOnce runs one whatsmeow client from connection to its end.
func (w *WhatsApp) connectOnce(ctx context.Context) error {
	device, err := w.container.GetFirstDevice(ctx)
	if err != nil {
		return errs.E(errs.Unavailable, "whatsapp.Run", fmt.Errorf("load device: %w", err))
	}
	cli := whatsmeow.NewClient(device, waLogger(w.log, "client"))
	cli.EnableAutoReconnect = true
	cli.InitialAutoReconnect = true
	s := w.newSession(cli)
	w.setSession(s)
	defer w.setSession(nil)
	handler := cli.AddEventHandler(s.handleEvent)
	defer cli.RemoveEventHandler(handler)
	defer cli.Disconnect()

	if cli.Store.ID == nil {
		err = w.pair(ctx, cli)
	} else {
		err = cli.ConnectContext(ctx)
	}
	if err != nil {
		return err
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case err := <-s.stop:
		return err
	}
}
