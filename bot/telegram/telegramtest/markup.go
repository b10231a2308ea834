package telegramtest

import (
	"encoding/json"
	"unicode/utf8"
)

// The button fields of which, says the Bot API, exactly one must be used.
var buttonActions = []string{
	"url", "callback_data", "web_app", "login_url", "switch_inline_query",
	"switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
	"copy_text", "callback_game", "pay",
}

// readMarkup parses reply_markup. It returns the inline keyboard (nil for
// none, or for the other kinds of markup) and whether reply_markup was sent.
func readMarkup(p map[string]string) ([][]Button, bool, *apiError) {
	raw, ok := p["reply_markup"]
	if !ok || raw == "" {
		return nil, false, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return nil, true, badRequest("can't parse reply keyboard markup JSON object")
	}
	rowsRaw, inline := m["inline_keyboard"]
	if !inline {
		if _, ok := m["keyboard"]; ok {
			return nil, true, nil
		}
		if _, ok := m["remove_keyboard"]; ok {
			return nil, true, nil
		}
		if _, ok := m["force_reply"]; ok {
			return nil, true, nil
		}
		return nil, true, badRequest("can't parse reply keyboard markup JSON object")
	}
	var rows [][]map[string]json.RawMessage
	if err := json.Unmarshal(rowsRaw, &rows); err != nil {
		return nil, true, badRequest("can't parse inline keyboard markup: field \"inline_keyboard\" must be an Array of Arrays")
	}
	kb := make([][]Button, 0, len(rows))
	for _, row := range rows {
		var out []Button
		for _, b := range row {
			btn, e := readButton(b)
			if e != nil {
				return nil, true, e
			}
			out = append(out, btn)
		}
		kb = append(kb, out)
	}
	return kb, true, nil
}

func readButton(b map[string]json.RawMessage) (Button, *apiError) {
	var btn Button
	if json.Unmarshal(b["text"], &btn.Text) != nil || btn.Text == "" {
		return btn, badRequest("can't parse inline keyboard button: Field \"text\" must be of type String")
	}
	used := 0
	for _, f := range buttonActions {
		if v, ok := b[f]; ok && string(v) != "null" {
			used++
		}
	}
	switch {
	case used == 0:
		return btn, badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
	case used > 1:
		return btn, badRequest("can't parse inline keyboard button: exactly one of the optional fields must be used")
	}
	if raw, ok := b["callback_data"]; ok {
		if json.Unmarshal(raw, &btn.Data) != nil || btn.Data == "" || len(btn.Data) > 64 {
			return btn, badRequest("BUTTON_DATA_INVALID")
		}
	}
	if raw, ok := b["url"]; ok {
		_ = json.Unmarshal(raw, &btn.URL)
	}
	return btn, nil
}

// textLen counts as the Bot API does, in UTF-16 code units.
func textLen(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func checkText(text string) *apiError {
	switch {
	case text == "":
		return badRequest("message text is empty")
	case !utf8.ValidString(text):
		return badRequest("strings must be encoded in UTF-8")
	case textLen(text) > 4096:
		return badRequest("message is too long")
	}
	return nil
}
