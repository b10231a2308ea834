package telegramtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
)

// readParams reads a method's parameters the ways the Bot API accepts
// them: the query string, application/x-www-form-urlencoded,
// application/json and multipart/form-data (uploaded files are recorded by
// their file name).
func readParams(r *http.Request) (map[string]string, error) {
	p := map[string]string{}
	for k, v := range r.URL.Query() {
		p[k] = v[0]
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "multipart/form-data":
		// The Go client sends parameterless calls (getMe) as a multipart
		// body with no parts at all; Telegram takes that as no parameters.
		body, err := io.ReadAll(r.Body)
		if err != nil || len(body) == 0 {
			return p, err
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if err := r.ParseMultipartForm(32 << 20); err != nil {
			return p, fmt.Errorf("can't parse multipart body: %w", err)
		}
		for k, v := range r.MultipartForm.Value {
			p[k] = v[0]
		}
		for k, f := range r.MultipartForm.File {
			p[k] = "file:" + f[0].Filename
		}
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return p, fmt.Errorf("can't parse form body: %w", err)
		}
		for k, v := range r.PostForm {
			p[k] = v[0]
		}
	case "application/json":
		return p, readJSON(r, p)
	}
	return p, nil
}

func readJSON(r *http.Request, p map[string]string) error {
	var body map[string]json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		return fmt.Errorf("can't parse JSON body: %w", err)
	}
	for k, raw := range body {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			p[k] = s
		} else {
			p[k] = string(raw)
		}
	}
	return nil
}

// intParam reads a required integer parameter.
func intParam(p map[string]string, name string) (int64, *apiError) {
	v, ok := p[name]
	if !ok || v == "" {
		return 0, badRequest("%s is empty", name)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, badRequest("invalid %s specified", name)
	}
	return n, nil
}
