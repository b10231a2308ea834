package sqlstore

import (
	"database/sql"
	"testing"
	"time"

	"github.com/clavebot/clavebot/internal/testenv"
	"github.com/clavebot/clavebot/registry"
)

// TestQuestionSetSavedWithoutWaitingForTheFlush: the questions turn's
// commits waited twice for PostgreSQL's WAL flush, once for the attempt
// reserved and once for the set drawn. The set (a draw that the same
// registry draws again alike) is saved without waiting; the reservation,
// which counts failed validations, still waits. Triggers note the
// synchronous_commit each write commits under.
func TestQuestionSetSavedWithoutWaitingForTheFlush(t *testing.T) {
	url := testenv.PostgresDatabase(t)
	pg := openStore(t, url)
	cs := importSynth(t, pg, 300, 6)
	raw, err := sql.Open("postgres", url)
	mustNotFail(t, err)
	t.Cleanup(func() { raw.Close() })
	_, err = raw.ExecContext(t.Context(), `CREATE TABLE seen (tbl TEXT, op TEXT, sync TEXT);
		CREATE FUNCTION note_sync() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			INSERT INTO seen VALUES (TG_TABLE_NAME, TG_OP, current_setting('synchronous_commit'));
			RETURN NEW;
		END $$;
		CREATE TRIGGER note_sync BEFORE INSERT OR UPDATE ON question_sets FOR EACH ROW EXECUTE FUNCTION note_sync();
		CREATE TRIGGER note_sync BEFORE INSERT OR UPDATE ON lockouts FOR EACH ROW EXECUTE FUNCTION note_sync();
		CREATE TRIGGER note_sync BEFORE INSERT OR UPDATE ON attempts FOR EACH ROW EXECUTE FUNCTION note_sync();`)
	mustNotFail(t, err)
	svc := registry.NewService(pg, nil, registry.DefaultPolicy(), 1, registry.WithClock(func() time.Time { return synthNow }))
	r, err := svc.BeginQuestions(t.Context(), cs[0], false)
	mustNotFail(t, err)
	if r.Attempt.Status != registry.AttemptReserved || len(r.Questions) == 0 {
		t.Fatalf("the first round: %+v", r)
	}
	set, err := pg.QuestionSet(t.Context(), cs[0].CUIL)
	mustNotFail(t, err)
	saved, err := pg.SaveQuestionSet(t.Context(), cs[0].CUIL, set, set.Version) // a repair's save
	mustNotFail(t, err)
	if !saved {
		t.Fatal("the repair's save was not made")
	}
	want := map[string]string{"question_sets INSERT": "off", "question_sets UPDATE": "off",
		"lockouts INSERT": "on", "attempts INSERT": "on"}
	rows, err := raw.QueryContext(t.Context(), `SELECT tbl || ' ' || op, sync FROM seen`)
	mustNotFail(t, err)
	defer rows.Close()
	got := map[string]string{}
	for rows.Next() {
		var what, sync string
		mustNotFail(t, rows.Scan(&what, &sync))
		got[what] = sync
	}
	mustNotFail(t, rows.Err())
	for what, sync := range want {
		if got[what] != sync {
			t.Errorf("%s committed with synchronous_commit %q, want %q", what, got[what], sync)
		}
	}
}
