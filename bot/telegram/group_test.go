package telegram_test

import (
	"strings"
	"testing"

	"github.com/clavebot/clavebot/bot"
)

// TestTapOnAQuestionForwardedToAGroup: a person forwards the bot's question,
// its buttons with it (Telegram keeps a bot's inline keyboard on a
// forwarded copy), to a family group, where a relative taps an option.
// The conversation asks for personal data and keys, and is served in
// private chats only: the tap must start nothing in the group, and leave
// the person's own question to the person.
func TestTapOnAQuestionForwardedToAGroup(t *testing.T) {
	h, _ := newHarness(t, newFakeEngine())
	stop := h.runUntilStop(t)
	const person, group, relative = 1001, -5001, 2002
	h.api.Text(person, "opciones")
	h.waitReplies(t, person, 1)
	question := h.api.BotMessages(person)[0]

	qid, err := h.api.TapInGroup(person, question.ID, 1, group, relative)
	if err != nil {
		t.Fatal(err)
	}
	h.api.Text(person, "hola") // taken after the tap, on one worker
	h.waitReplies(t, person, 2)
	h.waitFor(t, "the tap answered", func() bool { return h.api.Answered(qid) })
	stop() // the lanes end what they took before Run returns

	if got := h.texts("sendMessage", group); len(got) > 0 {
		t.Errorf("the bot wrote to the group: %q", got)
	}
	if in := h.eng.inbound("telegram:" + itoa(group)); len(in) > 0 {
		t.Errorf("the group's tap reached the engine: %+v", in)
	}
	if got := h.api.BotMessages(person)[0]; len(got.Keyboard) == 0 {
		t.Errorf("the person's question lost its buttons to the group's tap: %+v", got)
	}
}

// TestForgedTapData: callback data no button of the message shows (a
// modified client, an update forged on its way) gets no more than typing
// would: another question's is an earlier question's, a number off the
// list reaches the engine as that number typed, the label unknown, and
// what is no option is answered (the spinner stops) and dropped.
func TestForgedTapData(t *testing.T) {
	tests := []struct {
		name string
		data func(question string) string
		want string // the bot's next message, "" for none
	}{
		{"another question's", func(string) string { return "zzzzzzzz.1" }, "mensaje anterior"},
		{"off the list", func(q string) string { return q + ".9" }, "eco: 9"},
		{"no option", func(q string) string { return q + ".x" }, ""},
		{"garbage", func(string) string { return "';drop table" }, ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := start(t)
			chat := int64(3001 + i)
			h.api.Text(chat, "opciones")
			h.waitReplies(t, chat, 1)
			question := h.api.BotMessages(chat)[0]
			q, _, _ := bot.ParseOptionID(question.Keyboard[0][0].Data)
			qid, err := h.api.TapData(chat, question.ID, tt.data(q))
			if err != nil {
				t.Fatal(err)
			}
			h.waitFor(t, "the tap answered", func() bool { return h.api.Answered(qid) })
			h.api.Text(chat, "hola") // after the tap, in the chat's lane
			got := h.waitReplies(t, chat, 2)
			for !strings.HasPrefix(got[len(got)-1], "eco: hola") {
				got = h.waitReplies(t, chat, len(got)+1)
			}
			between := got[1 : len(got)-1]
			if tt.want == "" && len(between) > 0 || tt.want != "" && (len(between) != 1 || !strings.Contains(between[0], tt.want)) {
				t.Errorf("forged tap %q answered %q, want %q", tt.data(q), between, tt.want)
			}
		})
	}
}
