package convo

import (
	"strings"
	"time"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/phone"
)

// Inbound is one message from a person.
type Inbound struct {
	Chat    string // channel-qualified chat id, e.g. "telegram:12345"
	ID      string // the channel's message id; a repeated id is ignored ("" disables)
	Text    string
	Media   string // non-text content: "sticker", "photo", "voice", "file", ...; Text is then empty
	Channel string // telegram, whatsapp, rest, console
	// Caption is the text sent with a photo, a video or a file (Media).
	// It is never read as an answer, shown or kept; it is only checked
	// for a key, so that the message is deleted where the channel can (a
	// key typed as a photo's caption stayed in the chat, nobody asked to
	// delete it).
	Caption string
	// Source is who sends it beyond the chat, where a channel's chat ids
	// are not people: the client's address on REST. "" when the chat is
	// the person (Telegram, WhatsApp). Limits count per chat and per source.
	Source string
	// From is the sender's phone number in E.164 (see SenderPhone), set
	// only by a channel that proves it (WhatsApp, whose messages come from
	// the number): it registers a verified phone without a code, and a
	// message from a verified phone is the second factor of a recovery.
	// "" elsewhere.
	From string
	// Replay is set by a channel whose client reads the replies from the
	// answer to its request (the REST chat): the same ID sent again, by a
	// client that lost that answer, gets the same replies again. Channels
	// that send the replies (Telegram, WhatsApp) leave it false: a
	// platform's redelivery of a message already answered gets nothing,
	// and nothing is sent twice.
	Replay bool
	// StaleTap is set by the bot for a tap on an option of a message
	// whose question is no longer asked, when no question with options is
	// on screen either (Redis emptied, a text question asked since): the
	// engine asks its current question again, or, with no conversation,
	// starts over. Text is then the option, read as nothing.
	StaleTap bool
	// At is when the person sent it, by the platform's clock, where the
	// platform says (WhatsApp Cloud); zero elsewhere. A redelivery keeps
	// it, so what the message changes besides the turn (the 24-hour
	// window, a stop) is changed once.
	At time.Time
}

// MediaEdited is the Media of a person's edit of a message they sent
// earlier: the bot does not read it (its answer to the original is given,
// the conversation moved on), and says so rather than nothing. The edited
// text is never passed on.
const MediaEdited = "edited"

// SenderPhone is the E.164 form of a number a channel delivered a message
// from, as digits with the country code ("5491123456789"), for
// Inbound.From; "" when it is not a phone number.
func SenderPhone(digits string) string {
	p, ok := phone.Parse("+" + strings.TrimPrefix(digits, "+"))
	if !ok {
		return ""
	}
	return p
}

// Expect names the input the bot waits for (CONTRACT §3).
type Expect string

// The inputs the bot can wait for.
const (
	ExpectMenu       Expect = "menu"
	ExpectChoice     Expect = "choice"
	ExpectCUIL       Expect = "cuil"
	ExpectFirstNames Expect = "first_names"
	ExpectLastNames  Expect = "last_names"
	ExpectBirthDate  Expect = "birth_date"
	ExpectDNI        Expect = "dni"
	ExpectTramite    Expect = "dni_tramite"
	ExpectCurrentKey Expect = "current_key"
	ExpectNewKey     Expect = "new_key"
	ExpectConfirmKey Expect = "confirm_key"
	ExpectEmail      Expect = "email"
	ExpectPhone      Expect = "phone"
	ExpectCode       Expect = "code" // a one-time code sent to the person's e-mail or phone
	ExpectText       Expect = "text"
)

// Secret reports whether an answer to e is a key: channels delete it where
// they can, and nothing logs, stores or shows it.
func (e Expect) Secret() bool {
	return e == ExpectCurrentKey || e == ExpectNewKey || e == ExpectConfirmKey
}

// Reply is one message from the bot. Options, when present, can be answered
// by their label or their 1-based number. Expect is set on every reply; the
// last reply's is what the bot waits for.
type Reply struct {
	Msg     i18n.Message
	Options []i18n.Message
	Expect  Expect
}

// Result is what one inbound message produced.
type Result struct {
	Replies []Reply
	// Secret is true when the inbound text was a key: the channel deletes
	// the person's message where it can, or asks them to.
	Secret bool
}
