package sqlstore

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/clavebot/clavebot/internal/testenv"
	"github.com/clavebot/clavebot/registry"
)

// TestCodeGuessesAtOnceOverTwoReplicas is an attacker who passed the
// identity questions and now guesses the second factor's code: 200
// different codes at once, half through each of two replicas (two
// Services on one PostgreSQL), then every code it has not tried. No more
// than the policy's failed validations are judged before the lock, and
// nothing after it: the right code is not found. Nor is the code judged
// for another CUIL, whose chat has its reference.
func TestCodeGuessesAtOnceOverTwoReplicas(t *testing.T) {
	ctx := context.Background()
	url := testenv.PostgresDatabase(t)
	d1, d2 := openStore(t, url), openStore(t, url)
	importLines(t, d1, citizenLine(31456789, nil), citizenLine(31456790, nil))
	cuil, other := cuilOf(31456789), cuilOf(31456790)
	params := registry.HashParams{Memory: 16 * 1024, Time: 1, Threads: 1}
	policy := registry.DefaultPolicy()
	replicas := []*registry.Service{
		registry.NewService(d1, registry.NewHasher(params, 2), policy, 7),
		registry.NewService(d2, registry.NewHasher(params, 2), policy, 7),
	}
	to := registry.Contact{Kind: registry.ContactEmail, Value: "lucia@gmail.com"}
	if err := replicas[0].SetContact(ctx, cuil, to.Kind, to.Value, true, "test"); err != nil {
		t.Fatal(err)
	}
	code, err := replicas[0].IssueCode(ctx, cuil, registry.CodeFactor, to)
	if err != nil || code.Ref == "" {
		t.Fatalf("IssueCode: %+v, %v", code, err)
	}
	if res, err := replicas[1].CheckCode(ctx, other, code.Ref, code.Value, "test"); err != nil || res.Status != registry.CodeExpired {
		t.Fatalf("the code for another CUIL: %+v, %v; want expired, nothing judged", res, err)
	}
	if l, err := replicas[1].Lockout(ctx, other, registry.LockValidation); err != nil || l.Failures != 0 {
		t.Fatalf("the other CUIL's count after the code: %+v, %v", l, err)
	}
	const guesses = 200
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		status = map[registry.CodeStatus]int{}
	)
	for i := range guesses {
		guess := fmt.Sprintf("%06d", i)
		if guess == code.Value {
			guess = fmt.Sprintf("%06d", guesses+i)
		}
		wg.Go(func() {
			res, err := replicas[i%2].CheckCode(ctx, cuil, code.Ref, guess, "test")
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			status[res.Status]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if status[registry.CodeWrong] > policy.Validation.Max || status[registry.CodePassed] > 0 {
		t.Errorf("%d guesses at once over two replicas: %v; at most %d may be judged", guesses, status, policy.Validation.Max)
	}
	for i, r := range replicas {
		res, err := r.CheckCode(ctx, cuil, code.Ref, code.Value, "test")
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != registry.CodeLocked {
			t.Errorf("the right code on replica %d after the guesses: %+v, want locked", i+1, res)
		}
	}
	t.Logf("guesses: %v", status)
}
