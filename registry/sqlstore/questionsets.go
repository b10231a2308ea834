package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

// QuestionSet returns the identity questions stored for cuil, or NotFound.
func (d *DB) QuestionSet(ctx context.Context, cuil registry.CUIL) (registry.QuestionSet, error) {
	const op = "get question set"
	var row struct {
		Version   int    `db:"version"`
		Questions string `db:"questions"`
	}
	err := d.get(ctx, nil, &row, `SELECT version, questions FROM question_sets WHERE cuil = ?`, string(cuil))
	if errors.Is(err, sql.ErrNoRows) {
		return registry.QuestionSet{}, errs.E(errs.NotFound, op, errors.New("no questions for CUIL "+cuil.Masked()))
	}
	if err != nil {
		return registry.QuestionSet{}, d.fail(op, err)
	}
	set, err := parseQuestionSet(row.Version, row.Questions)
	if err != nil {
		return registry.QuestionSet{}, errs.E(errs.Other, op, err)
	}
	return set, nil
}

// parseQuestionSet reads a stored set's questions column.
func parseQuestionSet(version int, questions string) (registry.QuestionSet, error) {
	var set registry.QuestionSet
	if err := json.Unmarshal([]byte(questions), &set); err != nil {
		return registry.QuestionSet{}, fmt.Errorf("question set: %w", err)
	}
	set.Version = version
	return set, nil
}

// SaveQuestionSet stores set as cuil's with version prev+1 when the stored
// version is still prev (0: none stored), and reports whether it did. The
// check and the write are one statement, so of two processes saving at
// once one wins and the other reads what it stored.
//
// On PostgreSQL the save does not wait for the WAL's flush (see
// lazyCommit): it is the second commit of the turn that asks the first
// questions, after the reservation's, and waiting for both flushes was
// most of that turn's time on a busy server (issue 14).
func (d *DB) SaveQuestionSet(ctx context.Context, cuil registry.CUIL, set registry.QuestionSet, prev int) (bool, error) {
	const op = "save question set"
	b, err := json.Marshal(set)
	if err != nil {
		return false, errs.E(errs.Other, op, err)
	}
	now := d.instant(d.now())
	lazy := d.lazyCommit()
	var res sql.Result
	if prev == 0 {
		// SQLite's upsert takes VALUES (a SELECT with no WHERE before ON
		// CONFLICT does not parse there).
		row := `VALUES (?, 1, ?, ?)`
		if lazy != "" {
			row = `SELECT ?, 1, ?, ?` + lazy
		}
		res, err = d.exec(ctx, nil, `INSERT INTO question_sets (cuil, version, questions, updated_at) `+row+`
			ON CONFLICT (cuil) DO NOTHING`, string(cuil), string(b), now)
	} else {
		res, err = d.exec(ctx, nil, `UPDATE question_sets SET version = version + 1, questions = ?, updated_at = ?`+lazy+`
			WHERE cuil = ? AND version = ?`, string(b), now, string(cuil), prev)
	}
	if err != nil {
		return false, d.fail(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, d.fail(op, err)
	}
	return n == 1, nil
}

// lazyCommit returns a FROM clause that lets the one statement's own
// transaction commit without waiting for the WAL's flush on PostgreSQL:
// synchronous_commit off for that transaction alone (set_config's third
// argument), set in the statement itself, so the write still costs one
// round trip and the connection's other transactions wait as before. Only
// for writes whose loss in a crash of the database server (the last few
// hundred milliseconds of them; never a corruption, nor a half-written
// row) is redone alike: a question set is drawn from the CUIL's seeds and
// the registry, so the same registry draws it again the same, and the
// round that showed it keeps its questions in the chat's state. Never for
// what counts attempts, failures, keys or locks, which must survive any
// crash. Empty on SQLite, which has no such wait to skip.
func (d *DB) lazyCommit() string {
	if d.dialect != Postgres {
		return ""
	}
	return ` FROM (SELECT set_config('synchronous_commit', 'off', true)) AS lazy_commit`
}
