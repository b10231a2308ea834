package dialog

import (
	"slices"

	"github.com/clavebot/clavebot/i18n"
)

// entryKeys are the message keys a turn entry of the transcript writes as
// a number, their index here (see entry.go): those of the flows' turns,
// which a chat's every transcript repeats. "ask.first_names" takes 2
// bytes instead of 17.
//
// The list only grows, at its end: an entry written with a number must
// read as the same key in every later version, while the chat's
// transcript lives (a week, at most). TestEntryKeysOnlyGrow holds it to
// testdata/entry-keys.txt. A key that leaves the catalogs stays here.
var entryKeys = [...]i18n.Key{
	"welcome",
	"menu.ask",
	"menu.again",
	"menu.create",
	"menu.recover",
	"menu.change",
	"menu.trouble",
	"menu.faq",
	"menu.handoff",
	"idle.restart",
	"cancel.done",
	"cancel.nothing",
	"rate.ask",
	"rate.thanks",
	"rate.sorry",
	"create.checklist",
	"recover.intro",
	"change.intro",
	"ask.cuil",
	"ask.first_names",
	"ask.last_names",
	"ask.birth_date",
	"ask.dni",
	"ask.dni_tramite",
	"ask.current_key",
	"ask.new_key",
	"ask.confirm_key",
	"create.has_key",
	"key.none_yet",
	"data.mismatch",
	"data.check_cuil",
	"attempts.left",
	"attempts.last",
	"questions.intro",
	"question.dni_issue_date",
	"question.birth_province",
	"question.employer",
	"question.benefit",
	"question.none.dni_issue_date",
	"question.none.birth_province",
	"question.none.employer",
	"question.none.benefit",
	"questions.ok",
	"questions.failed",
	"key.rules",
	"key.rule.length",
	"key.rule.letter",
	"key.rule.digit",
	"key.rule.dni",
	"key.rule.cuil",
	"key.rule.birth_date",
	"key.rule.name",
	"key.rule.common",
	"key.rule.current",
	"key.confirm_mismatch",
	"done.create",
	"done.recover",
	"done.change",
	"done.login",
	"done.tips",
	"change.forgot",
	"change.wrong_key",
	"change.locked",
	"rate_agent.ask",
	"transcript.hidden_key",
	"transcript.media",
	"contacts.offer",
	"transcript.hidden_code",
	"transcript.hidden_answer",
}

// keyCode returns key's number in entryKeys, or -1.
func keyCode(key i18n.Key) int { return slices.Index(entryKeys[:], key) }
