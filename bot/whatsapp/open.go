package whatsapp

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"go.mau.fi/whatsmeow/store/sqlstore"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/internal/errs"
)

// New keeps the device session in db (the registry's database) and
// upgrades its tables (whatsmeow_*). dialect is "postgres" (lib/pq) or
// "sqlite" (modernc; the DSN must enable foreign keys:
// _pragma=foreign_keys(1)). New does not connect: Run does.
func New(ctx context.Context, db *sql.DB, dialect string, b *bot.Bot, log *slog.Logger, opts ...Option) (*WhatsApp, error) {
	const op = "whatsapp.New"
	if dialect != "postgres" && dialect != "sqlite" {
		return nil, errs.E(errs.Invalid, op, fmt.Errorf("unknown database dialect %q", dialect))
	}
	w := newWhatsApp(b, log, opts...)
	w.container = sqlstore.NewWithDB(db, dialect, waLogger(w.log, "store"))
	if err := w.container.Upgrade(ctx); err != nil {
		w.Close()
		return nil, errs.E(errs.Unavailable, op, fmt.Errorf("upgrade device store: %w", err))
	}
	return w, nil
}
