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
