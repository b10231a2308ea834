package web_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestRemovedAgentPageSignsOut: the page of an agent who is removed goes
// back to the sign-in form by itself, and so does one that signs out.
func TestRemovedAgentPageSignsOut(t *testing.T) {
	e := newEnv(t)
	ctx := browser(t)
	signIn := chromedp.Do(ctx,
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(`#queue`),
		chromedp.Poll[chromedp.Void](`document.body.dataset.live === "1"`),
	)
	if signIn != nil {
		t.Fatal(signIn)
	}
	e.listening(t, 1)
	if err := e.acc.Remove(context.Background(), "ana"); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(`#signin`)); err != nil {
		t.Fatalf("the removed agent's page stayed: %v", err)
	}
}
