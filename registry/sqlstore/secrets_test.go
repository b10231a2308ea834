package sqlstore

import (
	"context"
	"testing"
)

// testServiceSecret: drawn once, the same for every process on the
// database (a reopen), different between databases.
func testServiceSecret(t *testing.T, url string) {
	ctx := context.Background()
	a := openStore(t, url)
	first, err := a.ServiceSecret(ctx, "question_seed")
	if err != nil || len(first) < 40 {
		t.Fatalf("secret %q, %v", first, err)
	}
	b := openStore(t, url)
	if again, err := b.ServiceSecret(ctx, "question_seed"); err != nil || again != first {
		t.Fatalf("another process read %q, %v; want %q", again, err, first)
	}
	if other, err := a.ServiceSecret(ctx, "another"); err != nil || other == first {
		t.Fatalf("another name: %q, %v", other, err)
	}
}
