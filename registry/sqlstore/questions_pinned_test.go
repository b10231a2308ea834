package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	"github.com/clavebot/clavebot/registry"
	"github.com/clavebot/clavebot/registry/registrytest"
)

// pinnedQuestions is the digest of the question sets testQuestionsPinned
// draws, the same on every dialect: what a record, secret and registry
// draw is stored and compared across replicas and versions, so a faster
// way of reading donors must give exactly the same questions.
const pinnedQuestions = "902fa8e9c75e71d97d9f0fab50e2bdba675f6158b7ab9a7591ef872d31d350a3"

// testQuestionsPinned draws every kind for 100 people of a registry of
// 600, a third of whose rows lend their lists from the tables (imported
// before migration 0009), and compares the digest of the sets stored.
func testQuestionsPinned(t *testing.T, url string) {
	d := openStore(t, url)
	ctx := context.Background()
	cs := registrytest.Generate(600, 41, synthNow)
	importCitizens(t, d, cs)
	_, err := d.db.ExecContext(ctx, d.db.Rebind(`UPDATE citizens SET lent_employers = NULL, lent_benefits = NULL WHERE cuil < ?`), string(cs[200].CUIL))
	mustNotFail(t, err)
	policy := registry.DefaultPolicy()
	policy.Questions = 4
	svc := registry.NewService(d, nil, policy, 9, registry.WithClock(func() time.Time { return synthNow }))
	sum := sha256.New()
	for _, c := range cs[:100] {
		qs, err := svc.Questions(ctx, c)
		mustNotFail(t, err)
		set, err := d.QuestionSet(ctx, c.CUIL)
		mustNotFail(t, err)
		b, err := json.Marshal([]any{c.CUIL, qs, set})
		mustNotFail(t, err)
		sum.Write(b)
	}
	if got := hex.EncodeToString(sum.Sum(nil)); got != pinnedQuestions {
		t.Errorf("the questions drawn changed: digest %s, want %s", got, pinnedQuestions)
	}
}
