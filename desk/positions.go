package desk

import (
	"context"

	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
)

// tellPositions tells each waiting person whose place got better their new
// place. The queue remembers what each was told, so two processes moving
// the queue at once tell nobody twice.
func (d *Handoffs) tellPositions(ctx context.Context) {
	d.tell.Lock()
	defer d.tell.Unlock()
	moved, err := d.q.Moves(ctx)
	if err != nil {
		d.cfg.Log.Warn("queue positions", "err", err)
		return
	}
	for _, m := range moved {
		d.deliver(ctx, m.Chat, positionKey(), convo.Reply{
			Msg: i18n.M("desk.position", "position", m.Position), Expect: convo.ExpectText,
		})
	}
}

// positionsVoid takes back the places in the line chat was told and has
// not read (a REST client's mailbox): they no longer hold once the person
// left the line or an agent took the chat (found by a replay: back at the
// menu, a person read "ahora estás en el lugar 2", then "lugar 1").
func (d *Handoffs) positionsVoid(ctx context.Context, chat string) {
	w, ok := d.out.(Withdrawer)
	if !ok {
		return
	}
	if err := w.Withdraw(ctx, chat, "position"); err != nil {
		d.cfg.Log.Warn("places in the line not taken back", "channel", channelOf(chat), "err", err)
	}
}
