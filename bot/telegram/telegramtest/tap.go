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
	c := s.chatLocked(chatID)
	m := c.find(msgID)
	if m == nil || !m.FromBot || !hasButton(m.Keyboard, data) {
		return "", ErrNoButton
	}
	s.st.nextQuery++
	id := strconv.FormatInt(4309872340000000000+s.st.nextQuery, 10)
	s.st.queries[id] = false
	s.pushLocked(chatID, "callback_query", map[string]any{
		"id":            id,
		"from":          person(chatID),
		"message":       s.messageJSON(chatID, m),
		"chat_instance": "-" + strconv.FormatInt(chatID*7919, 10),
		"data":          data,
	})
	return id, nil
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
