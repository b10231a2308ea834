package whatsapp

import (
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/clavebot/clavebot/dialog/convo"
)

// person is the one-to-one chat a message came from, or false for groups,
// broadcasts, status updates, newsletters, bots and the bot's own messages.
func person(info types.MessageInfo) (types.JID, bool) {
	chat := info.Chat.ToNonAD()
	switch {
	case info.IsFromMe, info.IsGroup, chat.IsBot():
		return types.JID{}, false
	case chat.Server != types.DefaultUserServer && chat.Server != types.HiddenUserServer:
		return types.JID{}, false // status@broadcast, lists, newsletters, groups
	}
	return chat, true
}

// engineChat names the person for the engine. WhatsApp may address one
// person by phone number or by a hidden id (LID); the phone number is
// preferred when known so both land in the same conversation.
func engineChat(info types.MessageInfo, chat types.JID) string {
	if chat.Server == types.HiddenUserServer && info.SenderAlt.Server == types.DefaultUserServer {
		chat = info.SenderAlt.ToNonAD()
	}
	return Name + ":" + chat.String()
}

// sender is the phone number the message came from, in E.164: WhatsApp
// delivers it from that number, which is what lets the engine take it as
// verified. "" when WhatsApp hides the number (a LID without its phone).
func sender(info types.MessageInfo, chat types.JID) string {
	if chat.Server == types.HiddenUserServer {
		chat = info.SenderAlt.ToNonAD()
	}
	if chat.Server != types.DefaultUserServer || chat.User == "" {
		return ""
	}
	return convo.SenderPhone(chat.User)
}

// inbound turns a message into what the engine reads; false for what gets
// no answer (reactions, revocations, polls, unknown kinds). An edit is
// answered, not read (convo.MediaEdited): the person got nothing.
func inbound(evt *events.Message, chat types.JID) (convo.Inbound, bool) {
	in := convo.Inbound{Chat: engineChat(evt.Info, chat), ID: evt.Info.ID, Channel: Name, From: sender(evt.Info, chat)}
	if isEdit(evt) {
		// Under an id of its own: an unwrapped edit may carry the
		// original's, already handled.
		in.ID, in.Media = "edit:"+evt.Info.ID, convo.MediaEdited
		return in, true
	}
	if evt.Message == nil || evt.Message.GetProtocolMessage() != nil {
		return convo.Inbound{}, false
	}
	in.Text = text(evt.Message)
	if in.Text == "" {
		in.Media, in.Caption = media(evt.Message), caption(evt.Message)
	}
	return in, in.Text != "" || in.Media != ""
}

// isEdit: the person edited a message they sent, which WhatsApp delivers
// unwrapped (IsEdit) or as a protocol message carrying the new content.
func isEdit(evt *events.Message) bool {
	return evt.IsEdit || evt.Message.GetProtocolMessage().GetType() == waE2E.ProtocolMessage_MESSAGE_EDIT
}

func text(m *waE2E.Message) string {
	if t := m.GetConversation(); t != "" {
		return t
	}
	return m.GetExtendedTextMessage().GetText()
}

func media(m *waE2E.Message) string {
	switch {
	case m.GetStickerMessage() != nil:
		return "sticker"
	case m.GetImageMessage() != nil:
		return "photo"
	case m.GetAudioMessage() != nil:
		return "voice"
	case m.GetVideoMessage() != nil, m.GetPtvMessage() != nil:
		return "video"
	case m.GetDocumentMessage() != nil:
		return "file"
	case m.GetLocationMessage() != nil, m.GetLiveLocationMessage() != nil:
		return "location"
	case m.GetContactMessage() != nil, m.GetContactsArrayMessage() != nil:
		return "contact"
	}
	return ""
}

// caption is the text sent with a photo, a video or a file: only checked
// for a key (see convo.Inbound.Caption).
func caption(m *waE2E.Message) string {
	switch {
	case m.GetImageMessage() != nil:
		return m.GetImageMessage().GetCaption()
	case m.GetVideoMessage() != nil:
		return m.GetVideoMessage().GetCaption()
	case m.GetDocumentMessage() != nil:
		return m.GetDocumentMessage().GetCaption()
	}
	return ""
}
