package whatsapp

import (
	"context"
	"fmt"

	"github.com/mdp/qrterminal/v3"
	"go.mau.fi/whatsmeow"
)

// pair connects a new device and shows QR codes (or asks for a phone code)
// until the phone links it. The QR channel must exist before Connect.
func (w *WhatsApp) pair(ctx context.Context, cli *whatsmeow.Client) error {
	qrs, err := cli.GetQRChannel(ctx)
	if err != nil {
		return fmt.Errorf("whatsapp: qr channel: %w", err)
	}
	if err := cli.ConnectContext(ctx); err != nil {
		return fmt.Errorf("whatsapp: connect: %w", err)
	}
	defer w.setQR("")
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case item, ok := <-qrs:
			if !ok {
				return ctx.Err()
			}
			if done, err := w.pairStep(ctx, cli, item); done {
				return err
			}
		}
	}
}

// pairStep handles one item of the QR channel; done is true on its last.
func (w *WhatsApp) pairStep(ctx context.Context, cli *whatsmeow.Client, item whatsmeow.QRChannelItem) (done bool, err error) {
	switch item.Event {
	case whatsmeow.QRChannelEventCode:
		if w.opt.phone != "" && w.PairingCode() == "" {
			return w.pairPhone(ctx, cli)
		}
		if w.opt.phone == "" {
			w.showQR(item.Code)
		}
		return false, nil
	case whatsmeow.QRChannelSuccess.Event:
		w.log.Info("pairing done")
		return true, nil
	case whatsmeow.QRChannelTimeout.Event:
		return true, errPairAgain
	case whatsmeow.QRChannelScannedWithoutMultidevice.Event:
		w.log.Warn("QR scanned by a phone without multi-device; enable it and scan again")
		return false, nil
	case whatsmeow.QRChannelEventError:
		return true, fmt.Errorf("whatsapp: pairing failed: %w", item.Error)
	}
	return true, fmt.Errorf("whatsapp: pairing ended: %s", item.Event)
}

// pairPhone asks for a code to type on the phone (WhatsApp > Linked
// devices > Link with phone number). It is asked once the first QR code
// shows the login connection is up, as whatsmeow recommends.
func (w *WhatsApp) pairPhone(ctx context.Context, cli *whatsmeow.Client) (bool, error) {
	code, err := cli.PairPhone(ctx, w.opt.phone, true, whatsmeow.PairClientChrome, "Chrome (Linux)")
	if err != nil {
		return true, fmt.Errorf("whatsapp: phone pairing: %w", err)
	}
	w.mu.Lock()
	w.code = code
	w.mu.Unlock()
	w.log.Info("phone pairing code ready; type it on the phone", "code", code)
	if w.opt.onCode != nil {
		w.opt.onCode(code)
	}
	if w.opt.qrOut != nil {
		fmt.Fprintf(w.opt.qrOut, "WhatsApp pairing code: %s\n", code)
	}
	return false, nil
}

func (w *WhatsApp) showQR(code string) {
	w.setQR(code)
	w.log.Info("scan the QR code with WhatsApp > Linked devices")
	if w.opt.qrOut != nil {
		qrterminal.GenerateHalfBlock(code, qrterminal.L, w.opt.qrOut)
	}
}

// setQR records the code to scan ("" when none) and tells the caller.
func (w *WhatsApp) setQR(code string) {
	w.mu.Lock()
	changed := w.qr != code
	w.qr = code
	if code == "" {
		w.code = ""
	}
	w.mu.Unlock()
	if changed && w.opt.onQR != nil {
		w.opt.onQR(code)
	}
}
