package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

// ClaimCodeSend claims the sending of a code to dest in one statement: the
// upsert changes the row only when the last claim is gap old, so of two
// claims at once one wins, on either dialect.
func (d *DB) ClaimCodeSend(ctx context.Context, cuil registry.CUIL, dest string, now time.Time, gap time.Duration) (bool, time.Time, error) {
	const op = "claim code send"
	res, err := d.exec(ctx, nil, `INSERT INTO code_sends (cuil, dest, sent_at) VALUES (?, ?, ?)
		ON CONFLICT (cuil, dest) DO UPDATE SET sent_at = excluded.sent_at WHERE code_sends.sent_at <= ?`,
		string(cuil), dest, d.instant(now), d.instant(now.Add(-gap)))
	if err != nil {
		return false, time.Time{}, d.fail(op, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err == nil, time.Time{}, d.failIf(op, err)
	}
	var last dbTime
	err = d.get(ctx, nil, &last, `SELECT sent_at FROM code_sends WHERE cuil = ? AND dest = ?`, string(cuil), dest)
	if err != nil {
		return false, time.Time{}, d.fail(op, err)
	}
	return false, last.Add(gap), nil
}

// ReleaseCodeSend deletes the claim made at at, unless a later one took
// its place.
func (d *DB) ReleaseCodeSend(ctx context.Context, cuil registry.CUIL, dest string, at time.Time) error {
	_, err := d.exec(ctx, nil, `DELETE FROM code_sends WHERE cuil = ? AND dest = ? AND sent_at = ?`,
		string(cuil), dest, d.instant(at))
	return d.failIf("release code send", err)
}

// SaveCode stores rec, and deletes cuil's codes that have expired.
func (d *DB) SaveCode(ctx context.Context, rec registry.CodeRecord) error {
	const op = "save code"
	_, err := d.exec(ctx, nil, `DELETE FROM contact_codes WHERE cuil = ? AND expires_at <= ?`,
		string(rec.CUIL), d.instant(rec.SentAt))
	if err != nil {
		return d.fail(op, err)
	}
	_, err = d.exec(ctx, nil, `INSERT INTO contact_codes (id, cuil, purpose, kind, value, hash, sent_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		rec.ID, string(rec.CUIL), string(rec.Purpose), string(rec.To.Kind), rec.To.Value, rec.Hash,
		d.instant(rec.SentAt), d.instant(rec.Expires))
	return d.failIf(op, err)
}

// Code returns cuil's code id.
func (d *DB) Code(ctx context.Context, cuil registry.CUIL, id string) (registry.CodeRecord, error) {
	const op = "get code"
	var r struct {
		Purpose string `db:"purpose"`
		Kind    string `db:"kind"`
		Value   string `db:"value"`
		Hash    string `db:"hash"`
		SentAt  dbTime `db:"sent_at"`
		Expires dbTime `db:"expires_at"`
	}
	err := d.get(ctx, nil, &r, `SELECT purpose, kind, value, hash, sent_at, expires_at FROM contact_codes WHERE id = ? AND cuil = ?`, id, string(cuil))
	if errors.Is(err, sql.ErrNoRows) {
		return registry.CodeRecord{}, errs.E(errs.NotFound, op, errors.New("no such code"))
	}
	if err != nil {
		return registry.CodeRecord{}, d.fail(op, err)
	}
	return registry.CodeRecord{
		ID: id, CUIL: cuil, Purpose: registry.CodePurpose(r.Purpose),
		To:   registry.Contact{Kind: registry.ContactKind(r.Kind), Value: r.Value},
		Hash: r.Hash, SentAt: r.SentAt.Time, Expires: r.Expires.Time,
	}, nil
}

// UseCode deletes the code when its hash matches; the delete decides
// between two uses at once.
func (d *DB) UseCode(ctx context.Context, cuil registry.CUIL, id, hash string) (bool, error) {
	const op = "use code"
	res, err := d.exec(ctx, nil, `DELETE FROM contact_codes WHERE id = ? AND cuil = ? AND hash = ?`, id, string(cuil), hash)
	if err != nil {
		return false, d.fail(op, err)
	}
	n, err := res.RowsAffected()
	return n == 1, d.failIf(op, err)
}

// DeleteExpiredCodes deletes the codes expired before before, and the
// send claims older than it, for the retention job. It returns how many
// rows it deleted.
func (d *DB) DeleteExpiredCodes(ctx context.Context, before time.Time) (int64, error) {
	var total int64
	for _, q := range []string{`DELETE FROM contact_codes WHERE expires_at < ?`, `DELETE FROM code_sends WHERE sent_at < ?`} {
		res, err := d.db.ExecContext(ctx, d.db.Rebind(q), d.instant(before))
		if err != nil {
			return total, d.fail("delete expired codes", err)
		}
		n, _ := res.RowsAffected()
		total += n
	}
	return total, nil
}

// failIf is fail for a possibly nil error.
func (d *DB) failIf(op string, err error) error {
	if err == nil {
		return nil
	}
	return d.fail(op, err)
}
