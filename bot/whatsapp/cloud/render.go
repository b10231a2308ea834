package cloud

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/i18n"
)

// Meta's limits for interactive messages.
const (
	maxButtons     = 3
	maxButtonTitle = 20
	maxRows        = 10
	maxRowTitle    = 24
	maxRowDesc     = 72
	maxListButton  = 20
	maxBodyText    = 1024
)

// outgoing is a message for the Graph API's /messages endpoint.
type outgoing struct {
	MessagingProduct string       `json:"messaging_product"`
	RecipientType    string       `json:"recipient_type"`
	To               string       `json:"to"`
	Type             string       `json:"type"`
	Text             *textBody    `json:"text,omitempty"`
	Interactive      *interactOut `json:"interactive,omitempty"`
	Template         *templateOut `json:"template,omitempty"`
	// Callback is the outbox key, or turnReply; Meta echoes it in the
	// statuses.
	Callback string `json:"biz_opaque_callback_data,omitempty"`
}

// turnReply marks the replies sent within a turn. Meta posts two or three
// statuses for every message; those of a turn's replies are nothing to
// the outbox (it never sent them) unless the turn handed the reply to it
// (see bot.KeyedSender). A reply with options carries its question after
// a colon ("turn:<question>"), and a reply the outbox would keep under a
// key carries it after a bar ("turn:<question>|<key>", "turn|<key>"); no
// outbox key is of kind "turn".
const turnReply = "turn"

// turnCallback marks a turn's reply asking question (or none), kept by
// the outbox under key if its send fails.
func turnCallback(question, key string) string {
	s := turnReply
	if question != "" {
		s += ":" + question
	}
	if key != "" {
		s += "|" + key
	}
	return s
}

// turnQuestion reports whether callback marks a turn's reply, the
// question it asked, if any, and its key in the outbox, if any.
func turnQuestion(callback string) (question, key string, ok bool) {
	mark, key, _ := strings.Cut(callback, "|")
	if mark == turnReply {
		return "", key, true
	}
	question, ok = strings.CutPrefix(mark, turnReply+":")
	if !ok {
		return "", "", false
	}
	return question, key, true
}

type templateOut struct {
	Name     string `json:"name"`
	Language struct {
		Code string `json:"code"`
	} `json:"language"`
}

func templateMessage(to, name, lang, key string) outgoing {
	t := &templateOut{Name: name}
	t.Language.Code = lang
	return outgoing{MessagingProduct: "whatsapp", RecipientType: "individual", To: to, Type: "template", Template: t, Callback: key}
}

type textBody struct {
	PreviewURL bool   `json:"preview_url"`
	Body       string `json:"body"`
}

type interactOut struct {
	Type string `json:"type"` // "button" or "list"
	Body struct {
		Text string `json:"text"`
	} `json:"body"`
	Action action `json:"action"`
}

type action struct {
	Buttons  []button  `json:"buttons,omitempty"`
	Button   string    `json:"button,omitempty"`
	Sections []section `json:"sections,omitempty"`
}

type button struct {
	Type  string `json:"type"`
	Reply reply  `json:"reply"`
}

type section struct {
	Rows []row `json:"rows"`
}

type row struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
}

func textMessage(to, text string) outgoing {
	return outgoing{MessagingProduct: "whatsapp", RecipientType: "individual", To: to, Type: "text",
		Text: &textBody{Body: text}}
}

// render picks how m's options are shown: reply buttons when up to three
// short labels, a list when up to ten labels fit a row, numbered text
// otherwise. Option ids are the question's id and the option's number
// (bot.OptionID), so a tap names the question it answers.
func render(to string, m bot.Message, listButton string) outgoing {
	switch {
	case runes(m.Text) == 0 || runes(m.Text) > maxBodyText:
		return textMessage(to, bot.NumberedText(m))
	case fitButtons(m.Options):
		return interactiveMessage(to, m.Text, action{Buttons: buttons(m.Question, m.Options)}, "button")
	case fitList(m.Options):
		return interactiveMessage(to, m.Text, action{Button: listButton, Sections: []section{{Rows: rows(m.Question, m.Options)}}}, "list")
	}
	return textMessage(to, bot.NumberedText(m))
}

// optionID is option i's id (0-based) under question.
func optionID(question string, i int) string {
	if question == "" {
		return strconv.Itoa(i + 1)
	}
	return bot.OptionID(question, i+1)
}

func interactiveMessage(to, body string, a action, kind string) outgoing {
	in := &interactOut{Type: kind, Action: a}
	in.Body.Text = body
	return outgoing{MessagingProduct: "whatsapp", RecipientType: "individual", To: to, Type: "interactive", Interactive: in}
}

func fitButtons(opts []string) bool {
	return len(opts) >= 1 && len(opts) <= maxButtons && allFit(opts, maxButtonTitle)
}

func fitList(opts []string) bool {
	return len(opts) >= 1 && len(opts) <= maxRows && allFit(opts, maxRowDesc)
}

func allFit(opts []string, n int) bool {
	for _, o := range opts {
		if l := runes(o); l == 0 || l > n {
			return false
		}
	}
	return true
}

func buttons(question string, opts []string) []button {
	out := make([]button, len(opts))
	for i, o := range opts {
		out[i] = button{Type: "reply", Reply: reply{ID: optionID(question, i), Title: o}}
	}
	return out
}

// rows puts a label too long for a row title in the description, under a
// shortened title.
func rows(question string, opts []string) []row {
	out := make([]row, len(opts))
	for i, o := range opts {
		out[i] = row{ID: optionID(question, i), Title: o}
		if runes(o) > maxRowTitle {
			out[i].Title = shorten(o, maxRowTitle)
			out[i].Description = o
		}
	}
	return out
}

// shorten cuts s to at most n runes, at a word when one ends late enough,
// and marks the cut with "…".
func shorten(s string, n int) string {
	if runes(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:(") + "…"
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// listButtonKey labels the button that opens a list.
const listButtonKey i18n.Key = "whatsapp.list_button"

func (c *Cloud) listButton() string {
	label := c.bot.Printer().Sprint(i18n.M(listButtonKey))
	if label == string(listButtonKey) {
		label = "Opciones"
	}
	return shorten(label, maxListButton)
}
