package telegramtest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"
)

type update struct {
	id   int64
	chat int64
	kind string // "message", "edited_message", "callback_query", "my_chat_member"
	body map[string]any
}

func (u update) json() map[string]any {
	return map[string]any{"update_id": u.id, u.kind: u.body}
}

// pushLocked queues an update. Kinds the bot did not ask for (through
// allowed_updates) are never created, as on the real server.
func (s *Server) pushLocked(chat int64, kind string, body map[string]any) int64 {
	if len(s.st.allowed) > 0 && !slices.Contains(s.st.allowed, kind) {
		return 0
	}
	s.st.nextUpd++
	s.st.updates = append(s.st.updates, update{id: s.st.nextUpd, chat: chat, kind: kind, body: body})
	s.notifyLocked()
	return s.st.nextUpd
}

// Pending is how many updates are not yet confirmed by the bot.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.st.updates)
}

func optInt(p map[string]string, name string, def int64) (int64, *apiError) {
	if p[name] == "" {
		return def, nil
	}
	return intParam(p, name)
}

// getUpdates confirms the updates before offset and returns the next ones,
// waiting up to timeout seconds for one to arrive. A newer getUpdates
// call ends a waiting one with 409, as when two bots poll one token.
func (s *Server) getUpdates(r *http.Request, p map[string]string) (any, *apiError) {
	offset, e := optInt(p, "offset", 0)
	if e != nil {
		return nil, e
	}
	limit, e := optInt(p, "limit", 100)
	if e != nil {
		return nil, e
	}
	timeout, e := optInt(p, "timeout", 0)
	if e != nil {
		return nil, e
	}
	limit = min(max(limit, 1), 100)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.hook.url != "" {
		return nil, &apiError{code: 409, desc: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	}
	if raw := p["allowed_updates"]; raw != "" {
		_ = json.Unmarshal([]byte(raw), &s.st.allowed)
	}
	s.st.pollGen++
	gen := s.st.pollGen
	s.notifyLocked()
	s.confirmLocked(offset)
	deadline := time.Now().Add(time.Duration(timeout) * time.Second)
	for {
		if s.st.pollGen != gen {
			return nil, &apiError{code: 409, desc: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
		}
		out := s.pendingLocked(int(limit))
		wait := time.Until(deadline)
		if len(out) > 0 || wait <= 0 {
			return out, nil
		}
		changed := s.st.changed
		s.mu.Unlock()
		t := time.NewTimer(wait)
		select {
		case <-changed:
		case <-t.C:
		case <-r.Context().Done():
		}
		t.Stop()
		s.mu.Lock()
		if r.Context().Err() != nil {
			return []any{}, nil
		}
	}
}

// confirmLocked forgets the updates before offset.
func (s *Server) confirmLocked(offset int64) {
	if offset <= 0 {
		return
	}
	s.st.updates = slices.DeleteFunc(s.st.updates, func(u update) bool { return u.id < offset })
}

func (s *Server) pendingLocked(limit int) []map[string]any {
	out := []map[string]any{}
	for _, u := range s.st.updates {
		if len(out) == limit {
			break
		}
		out = append(out, u.json())
	}
	return out
}

// Text sends text from the person of chatID (who is also the chat) and
// returns the message id. Text starting with "/" is marked as a command.
func (s *Server) Text(chatID int64, text string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unblockLocked(chatID) // writing to a blocked bot unblocks it
	c := s.chatLocked(chatID)
	m := c.add(&Message{Text: text, date: s.Now().Unix()})
	body := s.messageJSON(chatID, m)
	if len(text) > 1 && text[0] == '/' {
		n := textLen(text)
		for i, r := range text {
			if r == ' ' {
				n = textLen(text[:i])
				break
			}
		}
		body["entities"] = []map[string]any{{"offset": 0, "length": n, "type": "bot_command"}}
	}
	s.pushLocked(chatID, "message", body)
	return m.ID
}

// Forwarded sends text the person forwarded from elsewhere, its origin of
// the given type ("user", "hidden_user", "chat", "channel", or a type
// Telegram may add later), and returns the message id.
func (s *Server) Forwarded(chatID int64, text, origin string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chatID)
	m := c.add(&Message{Text: text, date: s.Now().Unix()})
	body := s.messageJSON(chatID, m)
	body["forward_origin"] = map[string]any{"type": origin, "date": s.Now().Add(-time.Hour).Unix(), "sender_user_name": "Alguien"}
	s.pushLocked(chatID, "message", body)
	return m.ID
}

// Media sends a non-text message from the person: kind is one of sticker,
// photo, voice, audio, video, video_note, animation, document, location,
// contact. It returns the message id.
func (s *Server) Media(chatID int64, kind string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chatID)
	m := c.add(&Message{Media: kind, date: s.Now().Unix()})
	body := s.messageJSON(chatID, m)
	for k, v := range mediaFields(kind, chatID, m.ID) {
		body[k] = v
	}
	s.pushLocked(chatID, "message", body)
	return m.ID
}

// Captioned sends a photo, video or document (kind) from the person with
// caption, and returns the message id.
func (s *Server) Captioned(chatID int64, kind, caption string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chatID)
	m := c.add(&Message{Media: kind, Text: caption, date: s.Now().Unix()})
	body := s.messageJSON(chatID, m)
	delete(body, "text")
	body["caption"] = caption
	for k, v := range mediaFields(kind, chatID, m.ID) {
		body[k] = v
	}
	s.pushLocked(chatID, "message", body)
	return m.ID
}

func mediaFields(kind string, chatID int64, id int) map[string]any {
	file := func(extra map[string]any) map[string]any {
		f := map[string]any{"file_id": "AgAD" + strconv.Itoa(id), "file_unique_id": "u" + strconv.Itoa(id), "file_size": 20480}
		for k, v := range extra {
			f[k] = v
		}
		return f
	}
	switch kind {
	case "sticker":
		return map[string]any{"sticker": file(map[string]any{"type": "regular", "width": 512, "height": 512, "is_animated": false, "is_video": false, "emoji": "👍"})}
	case "photo":
		return map[string]any{"photo": []any{file(map[string]any{"width": 90, "height": 90}), file(map[string]any{"width": 1280, "height": 1280})}}
	case "voice":
		return map[string]any{"voice": file(map[string]any{"duration": 4, "mime_type": "audio/ogg"})}
	case "audio":
		return map[string]any{"audio": file(map[string]any{"duration": 180, "mime_type": "audio/mpeg"})}
	case "video":
		return map[string]any{"video": file(map[string]any{"width": 640, "height": 480, "duration": 7})}
	case "video_note":
		return map[string]any{"video_note": file(map[string]any{"length": 240, "duration": 5})}
	case "animation":
		a := file(map[string]any{"width": 320, "height": 240, "duration": 2, "file_name": "risa.mp4", "mime_type": "video/mp4"})
		return map[string]any{"animation": a, "document": a}
	case "document":
		return map[string]any{"document": file(map[string]any{"file_name": "dni.pdf", "mime_type": "application/pdf"})}
	case "location":
		return map[string]any{"location": map[string]any{"latitude": -34.6037, "longitude": -58.3816}}
	case "contact":
		return map[string]any{"contact": map[string]any{"phone_number": "+5491122334455", "first_name": "Persona", "user_id": chatID}}
	}
	return nil
}

// Edit has the person edit one of their text messages.
func (s *Server) Edit(chatID int64, msgID int, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chatID)
	m := c.find(msgID)
	if m == nil || m.FromBot {
		return
	}
	m.Text, m.Edited, m.editDate = text, true, s.Now().Unix()
	s.pushLocked(chatID, "edited_message", s.messageJSON(chatID, m))
}

// MoveLocation has the live location the person shares in msgID move:
// Telegram sends it as an edit of that message, every few seconds while
// the sharing lasts.
func (s *Server) MoveLocation(chatID int64, msgID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chatID)
	m := c.find(msgID)
	if m == nil || m.FromBot || m.Media != "location" {
		return
	}
	m.Edited, m.editDate = true, s.Now().Unix()
	body := s.messageJSON(chatID, m)
	body["location"] = map[string]any{"latitude": -34.6040, "longitude": -58.3820, "live_period": 900}
	s.pushLocked(chatID, "edited_message", body)
}
