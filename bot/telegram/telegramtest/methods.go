package telegramtest

import (
	"encoding/json"
	"regexp"
	"strings"
)

type method func(p map[string]string) (any, *apiError)

// methods are the Bot API methods the fake knows, by lower-case name; they
// run with s.mu held. getUpdates, which blocks, is served apart.
func (s *Server) methods() map[string]method {
	return map[string]method{
		"getme":                  func(map[string]string) (any, *apiError) { return s.getMe(), nil },
		"sendmessage":            s.sendMessage,
		"deletemessage":          s.deleteMessage,
		"sendchataction":         s.sendChatAction,
		"answercallbackquery":    s.answerCallbackQuery,
		"editmessagetext":        s.editMessageText,
		"editmessagereplymarkup": s.editMessageReplyMarkup,
		"setmycommands":          s.setMyCommands,
		"getmycommands":          s.getMyCommands,
		"setwebhook":             s.setWebhook,
		"deletewebhook":          s.deleteWebhook,
		"getwebhookinfo":         s.getWebhookInfo,
	}
}

func (s *Server) getMe() map[string]any {
	u := s.botUser()
	u["can_join_groups"] = true
	u["can_read_all_group_messages"] = false
	u["supports_inline_queries"] = false
	return u
}

// knownChat finds the chat of chat_id. A bot can only write to a person
// who wrote to it first.
func (s *Server) knownChat(p map[string]string) (*chat, *apiError) {
	id, e := intParam(p, "chat_id")
	if e != nil {
		return nil, e
	}
	c, ok := s.st.chats[id]
	if !ok {
		return nil, badRequest("chat not found")
	}
	if s.st.blocked[id] {
		return nil, &apiError{code: 403, desc: "Forbidden: bot was blocked by the user"}
	}
	return c, nil
}

func (s *Server) sendMessage(p map[string]string) (any, *apiError) {
	c, e := s.knownChat(p)
	if e != nil {
		return nil, e
	}
	if e := checkText(p["text"]); e != nil {
		return nil, e
	}
	kb, _, e := readMarkup(p)
	if e != nil {
		return nil, e
	}
	m := c.add(&Message{FromBot: true, Text: p["text"], Keyboard: kb, date: s.Now().Unix()})
	return s.messageJSON(c.id, m), nil
}

func (s *Server) deleteMessage(p map[string]string) (any, *apiError) {
	c, e := s.knownChat(p)
	if e != nil {
		return nil, e
	}
	id, e := intParam(p, "message_id")
	if e != nil {
		return nil, e
	}
	m := c.find(int(id))
	if m == nil {
		return nil, badRequest("message to delete not found")
	}
	m.Deleted = true
	return true, nil
}

var chatActions = map[string]bool{
	"typing": true, "upload_photo": true, "record_video": true, "upload_video": true,
	"record_voice": true, "upload_voice": true, "upload_document": true, "choose_sticker": true,
	"find_location": true, "record_video_note": true, "upload_video_note": true,
}

func (s *Server) sendChatAction(p map[string]string) (any, *apiError) {
	if _, e := s.knownChat(p); e != nil {
		return nil, e
	}
	if !chatActions[p["action"]] {
		return nil, badRequest("wrong parameter action in request")
	}
	return true, nil
}

func (s *Server) answerCallbackQuery(p map[string]string) (any, *apiError) {
	answered, ok := s.st.queries[p["callback_query_id"]]
	if !ok || answered {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	if textLen(p["text"]) > 200 {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	s.st.queries[p["callback_query_id"]] = true
	return true, nil
}

// editable finds the bot's own message named by chat_id and message_id.
func (s *Server) editable(p map[string]string) (*chat, *Message, *apiError) {
	c, e := s.knownChat(p)
	if e != nil {
		return nil, nil, e
	}
	id, e := intParam(p, "message_id")
	if e != nil {
		return nil, nil, e
	}
	m := c.find(int(id))
	if m == nil {
		return nil, nil, badRequest("message to edit not found")
	}
	if !m.FromBot {
		return nil, nil, badRequest("message can't be edited")
	}
	return c, m, nil
}

// editMessageText replaces the text; without reply_markup the inline
// keyboard goes away.
func (s *Server) editMessageText(p map[string]string) (any, *apiError) {
	c, m, e := s.editable(p)
	if e != nil {
		return nil, e
	}
	if e := checkText(p["text"]); e != nil {
		return nil, e
	}
	kb, _, e := readMarkup(p)
	if e != nil {
		return nil, e
	}
	if p["text"] == m.Text && sameKeyboard(kb, m.Keyboard) {
		return nil, notModified()
	}
	m.Text, m.Keyboard, m.Edited = p["text"], kb, true
	return s.messageJSON(c.id, m), nil
}

func (s *Server) editMessageReplyMarkup(p map[string]string) (any, *apiError) {
	c, m, e := s.editable(p)
	if e != nil {
		return nil, e
	}
	kb, _, e := readMarkup(p)
	if e != nil {
		return nil, e
	}
	if sameKeyboard(kb, m.Keyboard) {
		return nil, notModified()
	}
	m.Keyboard, m.Edited = kb, true
	return s.messageJSON(c.id, m), nil
}

func notModified() *apiError {
	return badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
}

func sameKeyboard(a, b [][]Button) bool {
	ja, _ := json.Marshal(keyboardJSON(a))
	jb, _ := json.Marshal(keyboardJSON(b))
	return string(ja) == string(jb)
}

var commandPattern = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

func (s *Server) setMyCommands(p map[string]string) (any, *apiError) {
	var cmds []struct {
		Command     string `json:"command"`
		Description string `json:"description"`
	}
	if err := json.Unmarshal([]byte(p["commands"]), &cmds); err != nil {
		return nil, badRequest("can't parse commands JSON object")
	}
	for _, c := range cmds {
		if !commandPattern.MatchString(c.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := textLen(strings.TrimSpace(c.Description)); n < 1 || n > 256 {
			return nil, badRequest("command description must be 1-256 characters")
		}
	}
	s.st.commands = json.RawMessage(p["commands"])
	return true, nil
}

func (s *Server) getMyCommands(map[string]string) (any, *apiError) {
	if s.st.commands == nil {
		return []any{}, nil
	}
	return s.st.commands, nil
}

// Commands is the command list the bot registered, as "command" →
// "description".
func (s *Server) Commands() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var cmds []struct{ Command, Description string }
	_ = json.Unmarshal(s.st.commands, &cmds)
	out := map[string]string{}
	for _, c := range cmds {
		out[c.Command] = c.Description
	}
	return out
}
