package i18n

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The engine's tests speak message keys; what a person reads is held
// here: the commands the help names, the figures each message quotes, and
// the only links the bot sends.

func TestHelpNamesTheCommands(t *testing.T) {
	c := loadEmbedded(t)
	commands := map[Lang][]string{
		ES: {"«menú»", "«cancelar»", "«volver»", "«hablar con una persona»"},
		EN: {"menu", "cancel", "back", "talk to a person"},
	}
	for lang, want := range commands {
		help := c.Printer(lang).Sprint(M("help"))
		for _, w := range want {
			if !strings.Contains(help, w) {
				t.Errorf("%s help does not name %s: %q", lang, w, help)
			}
		}
	}
}

// Every message the engine fills in quotes what it is given: a key's
// length comes from the policy in force, a lockout's end from the
// registry, never a figure written into the text.
func TestMessagesQuoteTheirFigures(t *testing.T) {
	c := loadEmbedded(t)
	want := map[Key][]string{
		"key.rules":                     {"{min}", "{max}"},
		"key.rule.length":               {"{min}", "{max}"},
		"faq.answer.key.password_rules": {"{min}", "{max}"},
		"question.dni_issue_date":       {"{n}", "{total}"},
		"question.birth_province":       {"{n}", "{total}"},
		"question.employer":             {"{n}", "{total}"},
		"question.benefit":              {"{n}", "{total}"},
		"questions.intro":               {"{n}"},
		"attempts.left":                 {"{n}"},
		"change.wrong_key":              {"{n}"},
		"lock.validation":               {"{until}"},
		"lock.why":                      {"{until}", "{validations}", "{validation_hours}"},
		"faq.answer.error.blocked":      {"{keys}", "{key_minutes}", "{validations}", "{validation_hours}"},
		"reminder.set":                  {"{until}"},
		"change.locked":                 {"{until}"},
		"check.key_locked":              {"{until}"},
		"handoff.queued":                {"{position}"},
		"idle.restart":                  {"{minutes}"},
		"done.login":                    {"{cuil}"},
		"offer.switch":                  {"{what}"},
		"data.taken":                    {"{what}"},
		"list.and":                      {"{head}", "{last}"},
		"list.comma":                    {"{head}", "{last}"},
		"handoff.agent_message":         {"{agent}", "{text}"},
		"reminder.try_again":            {"{cuil}"},
		"choice.invalid":                {"{n}"},
	}
	for _, lang := range shipped {
		for key, phs := range want {
			got := placeholders(c.msgs[lang][key])
			for _, p := range phs {
				if !slices.Contains(got, p) {
					t.Errorf("%s %s lacks %s: %q", lang, key, p, c.msgs[lang][key])
				}
			}
		}
	}
}

var domainRE = regexp.MustCompile(`(?i)\b(?:[a-z0-9-]+\.)+(?:gob\.ar|gov\.ar|com\.ar|com|org|net|ar)\b`)

// The bot sends no link but anses.gob.ar (CONVERSATION.md).
func TestOnlyANSESLinks(t *testing.T) {
	c := loadEmbedded(t)
	for _, lang := range c.Langs() {
		for _, k := range c.Keys(lang) {
			for _, d := range domainRE.FindAllString(c.msgs[lang][k], -1) {
				if !strings.EqualFold(d, "anses.gob.ar") {
					t.Errorf("%s %s links to %s", lang, k, d)
				}
			}
		}
	}
}

// The key's rules are said alike wherever they are said: the FAQ's answer
// left out "sin espacios" when the key step had it (a regression probe),
// and a person who followed it was refused.
func TestKeyRulesSayNoSpaces(t *testing.T) {
	c := loadEmbedded(t)
	want := map[Lang]string{ES: "sin espacios", EN: "no spaces"}
	for lang, w := range want {
		for _, key := range []Key{"key.rules", "faq.answer.key.password_rules"} {
			if s := c.Printer(lang).Sprint(M(key, "min", 8, "max", 15)); !strings.Contains(s, w) {
				t.Errorf("%s %s does not say %q: %q", lang, key, w, s)
			}
		}
	}
}

// The English bot calls the clave a password, as its menu does ("Create
// my password"), quotes with “”, and writes email: the FAQ's answers and
// the message after a key was created said "key", "tax key", «» and
// "e-mail" (a probe).
func TestEnglishWordsAlike(t *testing.T) {
	c := loadEmbedded(t)
	placeholder := regexp.MustCompile(`\{[a-z_]+\}`)
	unlike := regexp.MustCompile(`(?i)\bkeys?\b|«|»|\be-mail`)
	for _, k := range c.Keys(EN) {
		text := placeholder.ReplaceAllString(c.msgs[EN][k], "")
		if w := unlike.FindString(text); w != "" {
			t.Errorf("en %s says %q: %q", k, w, c.msgs[EN][k])
		}
	}
}
