package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestRightToLeftMessagesReadAsWritten: a person writing in Hebrew or
// Arabic had their message laid out left to right on the agent's page,
// its end punctuation on the wrong side («!שלום» read as «שלום!»), and
// a message mixing it with numbers reordered (found by a desk probe).
// Each message's text takes the direction of its own words; the
// Spanish ones stay left to right.
func TestRightToLeftMessagesReadAsWritten(t *testing.T) {
	e := newEnv(t)
	ctx := browser(t)
	const person = "rtl1"
	for _, text := range []string{"hablar con una persona", "שלום, אני צריך עזרה עם הסיסמה!", "مرحبا، أحتاج مساعدة؟", "hola, ¿me ayudás?"} {
		e.say(t, person, text)
	}
	item := `#queue li[data-chat="rest:rtl1"]`
	err := chromedp.Do(ctx,
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(item),
		clickLive(item),
		textIn(`#messages`, "me ayudás"),
	)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ text, dir string }{
		{"שלום", "rtl"},
		{"مرحبا", "rtl"},
		{"me ayudás", "ltr"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			// The direction of the element that holds the message's words.
			js := `(() => {
  const w = document.createTreeWalker(document.getElementById("messages"), NodeFilter.SHOW_TEXT);
  for (let n; (n = w.nextNode());) if (n.nodeValue.includes(` + quote(tt.text) + `)) return n.parentElement.matches(":dir(rtl)") ? "rtl" : "ltr";
  return "none";
})()`
			var got string
			if err := chromedp.Do(ctx, into(&got, chromedp.Evaluate[string](js))); err != nil {
				t.Fatal(err)
			}
			if got != tt.dir {
				t.Errorf("%q is laid out %s, want %s", tt.text, got, tt.dir)
			}
		})
	}
}
