package cloud

import "github.com/clavebot/clavebot/dialog"

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
	// Statuses (sent, delivered, read, failed) arrive here too; they get
	// no answer, so they are not even decoded.
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

// messages lists the people's messages to our number, in delivery order.
func (p payload) messages(phoneNumberID string) []message {
	var out []message
	for _, e := range p.Entry {
		for _, ch := range e.Changes {
			v := ch.Value
			if ch.Field != "messages" || (v.Metadata.PhoneNumberID != "" && v.Metadata.PhoneNumberID != phoneNumberID) {
				continue
			}
			out = append(out, v.Messages...)
		}
	}
	return out
}

// media names the kinds of content the engine answers without reading.
var media = map[string]string{
	"image": "photo", "audio": "voice", "sticker": "sticker", "document": "file",
	"video": "video", "location": "location", "contacts": "contact",
}

// inbound is what the engine reads; a chosen button or list row is its id,
// the option's number, which the engine takes as the choice.
func (m message) inbound() (dialog.Inbound, bool) {
	// From is the number Meta delivered the message from (the webhook is
	// signed): the engine may take it as the person's verified phone.
	in := dialog.Inbound{Chat: Name + ":" + m.From, ID: m.ID, Channel: Name, From: dialog.SenderPhone(m.From)}
	switch {
	case m.From == "" || m.ID == "":
		return in, false
	case m.Type == "text" && m.Text != nil:
		in.Text = m.Text.Body
	case m.Type == "interactive" && m.Interactive != nil:
		in.Text = m.Interactive.choice()
	case m.Type == "button" && m.Button != nil:
		in.Text = m.Button.Text
	default:
		in.Media = media[m.Type]
	}
	return in, in.Text != "" || in.Media != ""
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
