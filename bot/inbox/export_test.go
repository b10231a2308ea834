package inbox

import "context"

// Tick runs one of Run's ticks now.
func (b *Inbox) Tick(ctx context.Context, redo func(id string, msg []byte)) error {
	return b.tick(ctx, redo)
}
