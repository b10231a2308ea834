package web_test

import (
	"io"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/clavebot/clavebot/desk/web"
	"github.com/clavebot/clavebot/i18n"
)

// words is what the page says for key in lang, from the catalogue: the
// tests expect the page's words through it, never written out.
func words(t *testing.T, lang i18n.Lang, key i18n.Key, kv ...any) string {
	t.Helper()
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c.Printer(lang).Sprint(i18n.M(key, kv...))
}

// es is words in Spanish, the desk's language unless configured.
func es(t *testing.T, key i18n.Key, kv ...any) string {
	t.Helper()
	return words(t, i18n.ES, key, kv...)
}

// TestPageSpeaksTheBotsLanguage: the page's words (the sign-in form, the
// line, a chat, the server's notices) were Spanish written into its
// templates and scripts, whatever --lang the bot spoke. They come from
// the catalogue, in the bot's language: Spanish by default, English with
// --lang en.
func TestPageSpeaksTheBotsLanguage(t *testing.T) {
	for _, tc := range []struct {
		lang i18n.Lang
		opts []web.Option
	}{
		{i18n.ES, nil},
		{i18n.EN, []web.Option{web.WithLanguage(mustCatalog(t), i18n.EN)}},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			e := newEnv(t, tc.opts...)
			c := newClient(t, e)
			_, csrf := c.page()
			resp, err := c.http.PostForm(e.srv.URL+"/desk/login", map[string][]string{"name": {"ana"}, "password": {"incorrecta-123"}, "csrf": {csrf}})
			if err != nil {
				t.Fatal(err)
			}
			form, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			for _, want := range []string{`<html lang="` + string(tc.lang) + `">`, words(t, tc.lang, "deskpage.wrong_password"), words(t, tc.lang, "deskpage.signin")} {
				if !strings.Contains(string(form), want) {
					t.Errorf("the refused sign-in's form lacks %q:\n%s", want, form)
				}
			}

			e.say(t, "idioma", "hablar con una persona")
			ctx := browser(t)
			item := `#queue li[data-chat="rest:idioma"]`
			var lang string
			err = chromedp.Do(ctx,
				signInPage(e.srv.URL, "ana"),
				chromedp.WaitVisible(item),
				textIn(`#empty`, words(t, tc.lang, "deskpage.empty")),
				textIn(item, words(t, tc.lang, "deskpage.reason.requested")),
				clickLive(item),
				textIn(`#chat-status`, words(t, tc.lang, "deskpage.status.waiting")),
				textIn(`#chat-validated`, words(t, tc.lang, "deskpage.not_validated")),
				textIn(`#take`, words(t, tc.lang, "deskpage.take")),
				into(&lang, chromedp.Evaluate[string](`document.documentElement.lang`)),
			)
			if err != nil {
				t.Fatal(err)
			}
			if lang != string(tc.lang) {
				t.Errorf("the page's lang is %q, want %q", lang, tc.lang)
			}
		})
	}
}

func mustCatalog(t *testing.T) *i18n.Catalog {
	t.Helper()
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// esBefore is the Spanish words of key up to its first placeholder, for a
// text whose figures (a time, a wait) the test does not know.
func esBefore(t *testing.T, key i18n.Key) string {
	t.Helper()
	head, _, _ := strings.Cut(es(t, key), "{")
	return strings.TrimSpace(head)
}
