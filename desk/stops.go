package desk

import "context"

// Stops carries to the hand-overs the chats the outbox stopped because
// nothing reaches the person any more (they blocked the bot). The outbox's
// relay learns of them, and is built before the hand-overs, which tell
// waiting people their place through it: so the relay reports each stop
// here, and Run passes them on.
type Stops struct{ ch chan stop }

type stop struct{ chat, reason string }

// NewStops returns an empty Stops.
func NewStops() *Stops { return &Stops{ch: make(chan stop, 64)} }

// Report hands a stopped chat over (relay.WithOnStop). It waits while 64
// stops wait for Run, or until ctx ends.
func (s *Stops) Report(ctx context.Context, chat, reason string) {
	select {
	case s.ch <- stop{chat, reason}:
	case <-ctx.Done():
	}
}

// Run takes each reported chat off the desk through h, until ctx ends.
func (s *Stops) Run(ctx context.Context, h *Handoffs) {
	for {
		select {
		case <-ctx.Done():
			return
		case st := <-s.ch:
			if err := h.Stopped(context.WithoutCancel(ctx), st.chat, st.reason); err != nil {
				h.cfg.Log.Warn("desk not told of a stopped chat", "err", err)
			}
		}
	}
}
