package telegram

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/go-telegram/bot/models"
)

// Telegram adds kinds of content to its updates several times a year (a
// new forward origin, a new kind of paid media), and the library refuses
// a whole update it cannot decode. By webhook it answered 200 and dropped
// the update, the person's message never answered; by long polling the
// whole batch failed and the library asked for it again, for ever, every
// chat of the bot waiting behind it (a channels probe, a forward_origin
// of a type the library does not know). An update the library cannot
// decode is given to it as its essentials, which the bot reads: the
// message's id, date, chat, sender and text, or the tap's id, sender,
// data and message; failing even that, as its id alone, which the bot
// skips.

type essentialMessage struct {
	MessageID int             `json:"message_id"`
	Date      int64           `json:"date"`
	Chat      json.RawMessage `json:"chat"`
	From      json.RawMessage `json:"from,omitempty"`
	Text      string          `json:"text,omitempty"`
	Entities  json.RawMessage `json:"entities,omitempty"`
}

type essentialTap struct {
	ID           string            `json:"id"`
	From         json.RawMessage   `json:"from"`
	ChatInstance string            `json:"chat_instance,omitempty"`
	Data         string            `json:"data,omitempty"`
	Message      *essentialMessage `json:"message,omitempty"`
}

type essentials struct {
	UpdateID      int64             `json:"update_id"`
	Message       *essentialMessage `json:"message,omitempty"`
	CallbackQuery *essentialTap     `json:"callback_query,omitempty"`
}

// readable returns raw, an update, as the library can decode it, and
// whether it had to be cut to its essentials.
func readable(raw json.RawMessage) (json.RawMessage, bool) {
	var u models.Update
	if json.Unmarshal(raw, &u) == nil {
		return raw, false
	}
	return essentialsOf(raw), true
}

// decodeUpdate decodes raw, a webhook's update, once; one the library
// cannot decode is read as its essentials (cut).
func decodeUpdate(raw []byte) (u *models.Update, cut bool) {
	u = &models.Update{}
	if json.Unmarshal(raw, u) == nil {
		return u, false
	}
	u = &models.Update{}
	_ = json.Unmarshal(essentialsOf(raw), u)
	return u, true
}

// essentialsOf is raw, an update the library cannot decode, as its
// essentials, or failing that as its id alone.
func essentialsOf(raw json.RawMessage) json.RawMessage {
	var u models.Update
	var e essentials
	if json.Unmarshal(raw, &e) == nil {
		if out, err := json.Marshal(e); err == nil && json.Unmarshal(out, &u) == nil {
			return out
		}
	}
	var id struct {
		UpdateID int64 `json:"update_id"`
	}
	_ = json.Unmarshal(raw, &id)
	out, _ := json.Marshal(id)
	return out
}

// readableBatch is a getUpdates answer with every update readable; cut
// counts the updates cut to their essentials.
func readableBatch(body []byte) (out []byte, cut int) {
	var env map[string]json.RawMessage
	if json.Unmarshal(body, &env) != nil {
		return body, 0
	}
	var batch []json.RawMessage
	if json.Unmarshal(env["result"], &batch) != nil || len(batch) == 0 {
		return body, 0
	}
	var all []models.Update
	if json.Unmarshal(env["result"], &all) == nil {
		return body, 0 // the usual case: one decoding more
	}
	for i, raw := range batch {
		var was bool
		if batch[i], was = readable(raw); was {
			cut++
		}
	}
	res, err := json.Marshal(batch)
	if err != nil {
		return body, 0
	}
	env["result"] = res
	if out, err = json.Marshal(env); err != nil {
		return body, 0
	}
	return out, cut
}

// readableUpdates rewrites a getUpdates answer the library could not
// decode (see readable). Every answer was decoded here to find out, and
// then again by the library, each update twice on every poll (a channels
// probe): an answer goes to the library as it came, and only when the
// library failed to decode one (t.unreadable, see unreadableBatch) is the
// answer to its asking again, the same batch, rewritten.
func (t transport) readableUpdates(r *http.Request, resp *http.Response) *http.Response {
	if !strings.HasSuffix(r.URL.Path, "/getUpdates") || resp.StatusCode != http.StatusOK ||
		t.unreadable == nil || !t.unreadable.Swap(false) {
		return resp
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errReader{err}))
		return resp
	}
	out, cut := readableBatch(body)
	if cut > 0 && t.cut != nil {
		t.cut(cut)
	}
	resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(out)), int64(len(out))
	resp.Header.Del("Content-Length")
	return resp
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
