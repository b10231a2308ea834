package telegramtest

import (
	"errors"
	"strconv"
)

// ErrNoButton is returned by Tap when the message shows no such button.
var ErrNoButton = errors.New("telegramtest: no such button on that message")

// Tap has the person press the inline button with callback data data under
// the bot's message msgID, and returns the callback query id. Only buttons
// the chat still shows can be pressed.
func (s *Server) Tap(chatID int64, msgID int, data string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.chatLocked(chatID).find(msgID)
	if m == nil || !m.FromBot || !hasButton(m.Keyboard, data) {
		return "", ErrNoButton
	}
	return s.tapLocked(chatID, person(chatID), s.messageJSON(chatID, m), data), nil
}

// TapData has the person press a button with callback data data under
// the bot's message msgID, whatever buttons it shows: what a modified
// client, or an update forged on its way, sends.
func (s *Server) TapData(chatID int64, msgID int, data string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.chatLocked(chatID).find(msgID)
	if m == nil || !m.FromBot {
		return "", ErrNoButton
	}
	return s.tapLocked(chatID, person(chatID), s.messageJSON(chatID, m), data), nil
}

// TapInGroup has the person forward the bot's message msgID, its buttons
// with it, to the group chat group (a negative id), where member presses
// its n-th button: Telegram keeps a bot's inline keyboard on a forwarded
// copy, and sends the tap to the bot with the copy, in the group.
func (s *Server) TapInGroup(chatID int64, msgID, n int, group, member int64) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.chatLocked(chatID).find(msgID)
	var data string
	if m != nil && m.FromBot {
		data = nthButton(m.Keyboard, n)
	}
	if data == "" {
		return "", ErrNoButton
	}
	fwd := s.chatLocked(group).add(&Message{Text: m.Text, Keyboard: m.Keyboard, date: s.Now().Unix()})
	msg := map[string]any{
		"message_id": fwd.ID, "date": fwd.date, "text": fwd.Text, "from": person(chatID),
		"chat":           map[string]any{"id": group, "type": "group", "title": "Familia"},
		"forward_origin": map[string]any{"type": "user", "date": m.date, "sender_user": s.botUser()},
		"reply_markup":   map[string]any{"inline_keyboard": keyboardJSON(m.Keyboard)},
	}
	return s.tapLocked(group, person(member), msg, data), nil
}

// tapLocked pushes the callback query of a tap by from on the message
// msg of chat, and returns its id.
func (s *Server) tapLocked(chat int64, from, msg map[string]any, data string) string {
	s.st.nextQuery++
	id := strconv.FormatInt(4309872340000000000+s.st.nextQuery, 10)
	s.st.queries[id] = false
	s.pushLocked(chat, "callback_query", map[string]any{
		"id":            id,
		"from":          from,
		"message":       msg,
		"chat_instance": "-" + strconv.FormatInt(chat*7919, 10),
		"data":          data,
	})
	return id
}

func hasButton(kb [][]Button, data string) bool {
	for _, row := range kb {
		for _, b := range row {
			if b.Data == data {
				return true
			}
		}
	}
	return false
}

// Answered reports whether the bot answered the callback query id.
func (s *Server) Answered(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.queries[id]
}

// TapOption has the person press the n-th (1-based) button under the
// bot's message msgID, whatever its callback data, as a person picks the
// option they read; it returns the callback query id.
func (s *Server) TapOption(chatID int64, msgID int, n int) (string, error) {
	s.mu.Lock()
	m := s.chatLocked(chatID).find(msgID)
	var data string
	if m != nil && m.FromBot {
		data = nthButton(m.Keyboard, n)
	}
	s.mu.Unlock()
	if data == "" {
		return "", ErrNoButton
	}
	return s.Tap(chatID, msgID, data)
}

func nthButton(kb [][]Button, n int) string {
	for _, row := range kb {
		for _, b := range row {
			if n--; n == 0 {
				return b.Data
			}
		}
	}
	return ""
}
