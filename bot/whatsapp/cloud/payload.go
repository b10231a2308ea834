package cloud

import (
	"strconv"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/dialog/convo"
)

// payload is a webhook delivery (Meta: "Webhooks payload reference").
type payload struct {
	Object string `json:"object"`
	Entry  []struct {
		ID      string `json:"id"`
		Changes []struct {
			Field string `json:"field"`
			Value value  `json:"value"`
		} `json:"changes"`
	} `json:"entry"`
}

type value struct {
	MessagingProduct string `json:"messaging_product"`
	Metadata         struct {
		PhoneNumberID string `json:"phone_number_id"`
	} `json:"metadata"`
	Messages []message `json:"messages"`
	// Statuses (sent, delivered, read, failed) of the business's messages
	// arrive here too; they get no answer.
	Statuses []status `json:"statuses"`
}

// status is Meta's word on a message the business sent.
type status struct {
	ID          string `json:"id"`
	Status      string `json:"status"`
	Timestamp   string `json:"timestamp"`
	RecipientID string `json:"recipient_id"`
	Callback    string `json:"biz_opaque_callback_data"`
	Errors      []struct {
		Code      int    `json:"code"`
		Title     string `json:"title"`
		Message   string `json:"message"`
		ErrorData struct {
			Details string `json:"details"`
		} `json:"error_data"`
	} `json:"errors"`
}

// states maps Meta's statuses to the outbox's.
var states = map[string]bot.State{"sent": bot.Sent, "delivered": bot.Delivered, "read": bot.Read, "failed": bot.Failed}

// receipt is s as the outbox reads it; false for what it does not know.
func (s status) receipt() (bot.Receipt, bool) {
	st, ok := states[s.Status]
	if !ok || s.RecipientID == "" || s.ID == "" {
		return bot.Receipt{}, false
	}
	r := bot.Receipt{Chat: Name + ":" + s.RecipientID, Key: s.Callback, ID: s.ID, State: st}
	if sec, err := strconv.ParseInt(s.Timestamp, 10, 64); err == nil {
		r.At = time.Unix(sec, 0)
	}
	if len(s.Errors) > 0 {
		e := s.Errors[0]
		r.Code, r.Reason = strconv.Itoa(e.Code), e.Title
		ge := GraphError{Code: e.Code}
		r.Again = st == bot.Failed && (ge.RateLimited() || ge.Temporary())
		if e.ErrorData.Details != "" {
			r.Reason += ": " + e.ErrorData.Details
		}
	}
	return r, true
}

type message struct {
	From      string `json:"from"`
	ID        string `json:"id"`
	Timestamp string `json:"timestamp"`
	Type      string `json:"type"`
	Text      *struct {
		Body string `json:"body"`
	} `json:"text"`
	Interactive *interactive `json:"interactive"`
	Button      *struct {
		Payload string `json:"payload"`
		Text    string `json:"text"`
	} `json:"button"`
	Image    *captioned `json:"image"`
	Video    *captioned `json:"video"`
	Document *captioned `json:"document"`
}

// captioned is a photo, video or file as the webhook carries it: the
// media's id, and the text sent with it.
type captioned struct {
	Caption string `json:"caption"`
}

// caption is the text sent with the message's media: only checked for a
// key (see convo.Inbound.Caption).
func (m message) caption() string {
	for _, c := range []*captioned{m.Image, m.Video, m.Document} {
		if c != nil && c.Caption != "" {
			return c.Caption
		}
	}
	return ""
}

type interactive struct {
	Type        string `json:"type"`
	ButtonReply *reply `json:"button_reply"`
	ListReply   *reply `json:"list_reply"`
}

type reply struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// values lists the changes to our number, in delivery order, and the
// numbers of the message changes that are to another number (or name
// none): a Meta app may serve several business numbers, and what comes
// for another is not a message to this bot.
func (p payload) values(phoneNumberID string) (ours []value, others []string) {
	for _, e := range p.Entry {
		for _, ch := range e.Changes {
			v := ch.Value
			switch {
			case ch.Field != "messages":
			case v.Metadata.PhoneNumberID != phoneNumberID:
				others = append(others, v.Metadata.PhoneNumberID)
			default:
				ours = append(ours, v)
			}
		}
	}
	return ours, others
}

// media names the kinds of content the engine answers without reading.
// An edit of the person's message ("edit", which carries the new text) is
// not read either: the engine says it does not read edits (it was told
// "solo puedo leer texto").
var media = map[string]string{
	"image": "photo", "audio": "voice", "sticker": "sticker", "document": "file",
	"video": "video", "location": "location", "contacts": "contact",
	"edit": convo.MediaEdited,
}

// notMessages are the kinds that are no message of the person's to
// answer: a reaction to one of the bot's, WhatsApp's notice of a changed
// number, a message the person deleted ("revoke": the bot asks them to
// delete one holding their key, and answered "solo puedo leer texto"
// right after they did).
var notMessages = map[string]bool{"reaction": true, "system": true, "revoke": true}

// mediaKind names a message the engine answers without reading. A kind
// Meta cannot carry ("unsupported", error 131051: a view-once photo, a
// poll) or one it adds later is still something the person sent, who
// waits for an answer: they hear what the bot can read.
func mediaKind(typ string) string {
	if k, ok := media[typ]; ok {
		return k
	}
	if typ == "" || notMessages[typ] {
		return ""
	}
	return typ
}

// openingWord is what the engine reads when a person opens the chat, as
// Telegram's /start (see bot/telegram's commands).
const openingWord = "menú"

// kinds of inbound message, for the turn to run.
const (
	kindMessage = iota // an ordinary message
	kindTap            // a tap on a button or list row of the bot's
	kindReopen         // a tap on the template's quick reply
)

// inbound is what the engine reads. A chosen button or list row reads as
// the option's number, with the question it belongs to.
func (m message) inbound() (in convo.Inbound, kind int, question string, ok bool) {
	// From is the number Meta delivered the message from (the webhook is
	// signed): the engine may take it as the person's verified phone.
	in = convo.Inbound{Chat: Name + ":" + m.From, ID: m.ID, Channel: Name, From: convo.SenderPhone(m.From)}
	// Meta's time of the message, kept by a redelivery: the outbox counts
	// its arrival once.
	if sec, err := strconv.ParseInt(m.Timestamp, 10, 64); err == nil && sec > 0 {
		in.At = time.Unix(sec, 0)
	}
	switch {
	case m.From == "" || m.ID == "":
		return in, 0, "", false
	case m.Type == "text":
		if m.Text != nil {
			in.Text = m.Text.Body
		}
	case m.Type == "interactive" && m.Interactive != nil:
		if q, n, ok := bot.ParseOptionID(m.Interactive.choice()); ok {
			in.Text = strconv.Itoa(n)
			return in, kindTap, q, true
		}
		// Not one of ours (a WhatsApp Flow's answer, a button of another
		// sender on the number): its title, if it has one, is what the
		// person chose; else it is answered as what the bot cannot read.
		// It was dropped, and the person heard nothing (found by a
		// regression probe).
		if in.Text = m.Interactive.title(); in.Text == "" {
			in.Media = "interactive"
		}
	case m.Type == "button" && m.Button != nil && m.Button.Text != "":
		in.Text = m.Button.Text
		return in, kindReopen, "", true
	case m.Type == "request_welcome":
		// The person opened the chat for the first time (WhatsApp
		// Manager's welcome message on): Telegram's /start, the menu. It
		// was answered as media: "Por ahora solo puedo leer texto".
		in.Text = openingWord
	default:
		in.Media = mediaKind(m.Type)
		if in.Media != "" {
			in.Caption = m.caption()
		}
	}
	return in, kindMessage, "", in.Text != "" || in.Media != ""
}

func (i *interactive) title() string {
	switch {
	case i.ButtonReply != nil:
		return i.ButtonReply.Title
	case i.ListReply != nil:
		return i.ListReply.Title
	}
	return ""
}

func (i *interactive) choice() string {
	switch {
	case i.Type == "button_reply" && i.ButtonReply != nil:
		return i.ButtonReply.ID
	case i.Type == "list_reply" && i.ListReply != nil:
		return i.ListReply.ID
	}
	return ""
}
