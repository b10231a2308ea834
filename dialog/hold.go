package dialog

import (
	"context"
	"errors"
	"fmt"

	"github.com/clavebot/clavebot/dialog/statestore"
)

// hold keeps lease's lock while the turn runs, when the store's locks
// expire unless renewed (statestore.Holder): a lock then needs to outlive
// no turn, only bound how long a chat waits for a process that died. The
// returned context ends when the lock is lost; stop ends the renewals.
func (e *Engine) hold(ctx context.Context, lease Lease) (context.Context, func()) {
	if h, ok := e.store.(statestore.Holder); ok {
		return h.Hold(ctx, lease)
	}
	return ctx, func() {}
}

// leaseLost is err, or, when the turn's lock was lost meanwhile (the
// context's cause), why: the turn failed for that, whatever call noticed
// the context's end.
func leaseLost(ctx context.Context, err error) error {
	if cause := context.Cause(ctx); errors.Is(cause, statestore.ErrLeaseLost) {
		return fmt.Errorf("%w (%v)", cause, err)
	}
	return err
}
