package telegramtest

import "strconv"

// Message is one message of a chat as the fake keeps it, the person's and
// the bot's.
type Message struct {
	ID       int
	FromBot  bool
	Text     string
	Media    string     // the person's non-text message: "sticker", "photo", ...
	Keyboard [][]Button // the inline keyboard under it, nil when none
	Deleted  bool
	Edited   bool
	date     int64
	editDate int64 // when the person last edited it, as Telegram's edit_date
}

// Button is an inline keyboard button.
type Button struct {
	Text string
	Data string // callback_data
	URL  string
}

type chat struct {
	id      int64
	nextMsg int
	msgs    []*Message
}

func (s *Server) chatLocked(id int64) *chat {
	c, ok := s.st.chats[id]
	if !ok {
		c = &chat{id: id}
		s.st.chats[id] = c
	}
	return c
}

// addLocked appends a message with the chat's next id: in a private chat
// the person's and the bot's messages share one sequence.
func (c *chat) add(m *Message) *Message {
	c.nextMsg++
	m.ID = c.nextMsg
	c.msgs = append(c.msgs, m)
	return m
}

func (c *chat) find(id int) *Message {
	for _, m := range c.msgs {
		if m.ID == id && !m.Deleted {
			return m
		}
	}
	return nil
}

// Messages lists a chat's messages in order, deleted ones included.
func (s *Server) Messages(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.st.chats[chatID]
	if !ok {
		return nil
	}
	out := make([]Message, len(c.msgs))
	for i, m := range c.msgs {
		out[i] = *m
	}
	return out
}

// BotMessages lists the texts the bot sent to a chat, in order, as they
// read now (after edits).
func (s *Server) BotMessages(chatID int64) []Message {
	var out []Message
	for _, m := range s.Messages(chatID) {
		if m.FromBot {
			out = append(out, m)
		}
	}
	return out
}

func (s *Server) botUser() map[string]any {
	id, _ := strconv.ParseInt(botID(s.Token), 10, 64)
	return map[string]any{"id": id, "is_bot": true, "first_name": "Clavebot de prueba", "username": "clavebot_prueba_bot"}
}

func person(id int64) map[string]any {
	return map[string]any{"id": id, "is_bot": false, "first_name": "Persona", "language_code": "es"}
}

func privateChat(id int64) map[string]any {
	return map[string]any{"id": id, "type": "private", "first_name": "Persona"}
}

func botID(token string) string {
	for i, r := range token {
		if r == ':' {
			return token[:i]
		}
	}
	return token
}

// messageJSON renders a message the way the Bot API does.
func (s *Server) messageJSON(chatID int64, m *Message) map[string]any {
	out := map[string]any{"message_id": m.ID, "chat": privateChat(chatID), "date": m.date}
	if m.FromBot {
		out["from"] = s.botUser()
	} else {
		out["from"] = person(chatID)
	}
	if m.Text != "" {
		out["text"] = m.Text
	}
	if m.Edited {
		out["edit_date"] = m.editDate
	}
	if len(m.Keyboard) > 0 {
		out["reply_markup"] = map[string]any{"inline_keyboard": keyboardJSON(m.Keyboard)}
	}
	return out
}

func keyboardJSON(kb [][]Button) [][]map[string]any {
	rows := make([][]map[string]any, len(kb))
	for i, row := range kb {
		for _, b := range row {
			btn := map[string]any{"text": b.Text}
			if b.URL != "" {
				btn["url"] = b.URL
			} else {
				btn["callback_data"] = b.Data
			}
			rows[i] = append(rows[i], btn)
		}
	}
	return rows
}
