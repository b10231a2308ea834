package web_test

import (
	"bytes"
	"context"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/web"
)

type pairing struct{ p desk.Pairing }

func (f *pairing) Get(context.Context) (desk.Pairing, error) { return f.p, nil }

func TestWhatsAppPairingOnTheDesk(t *testing.T) {
	src := &pairing{}
	e := newEnv(t, web.WithPairing(src))
	e.makeSupervisor(t, "ana")
	client := signIn(t, e)
	get := func(path string) (int, []byte, string) {
		t.Helper()
		res, err := client.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, b, res.Header.Get("Content-Type")
	}
	if code, body, _ := get("/desk/api/whatsapp"); code != 200 || !bytes.Contains(body, []byte(`"qr":false`)) {
		t.Fatalf("linked device: %d %s", code, body)
	}
	if code, _, _ := get("/desk/api/whatsapp/qr.png"); code != http.StatusNotFound {
		t.Fatalf("QR of a linked device: %d, want 404", code)
	}
	src.p = desk.Pairing{QR: "2@abcdef,ghijkl,mnopqr"}
	code, body, _ := get("/desk/api/whatsapp")
	if code != 200 || !bytes.Contains(body, []byte(`"qr":true`)) || bytes.Contains(body, []byte("abcdef")) {
		t.Fatalf("waiting device: %d %s", code, body)
	}
	code, img, ctype := get("/desk/api/whatsapp/qr.png")
	if code != 200 || ctype != "image/png" {
		t.Fatalf("QR: %d %s", code, ctype)
	}
	if _, err := png.Decode(bytes.NewReader(img)); err != nil {
		t.Fatalf("QR is not a PNG: %v", err)
	}
	// A plain agent is not shown the codes: linking is a supervisor's.
	if err := e.acc.Add(context.Background(), "beto", "clave-de-beto-123", desk.RoleAgent); err != nil {
		t.Fatal(err)
	}
	beto := newClient(t, e)
	beto.signIn("beto", "clave-de-beto-123")
	if code, body := beto.get("/desk/api/whatsapp"); code != 200 || !strings.Contains(body, `"qr":false`) {
		t.Fatalf("an agent is told of the QR code: %d %s", code, body)
	}
	if code, _ := beto.get("/desk/api/whatsapp/qr.png"); code != http.StatusForbidden {
		t.Fatalf("an agent's QR: %d, want 403", code)
	}
	// Signed out, nothing is shown.
	res, err := http.Get(e.srv.URL + "/desk/api/whatsapp/qr.png")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("QR without a session: %d, want 401", res.StatusCode)
	}
}

// signIn returns an HTTP client holding a signed-in agent's session.
func signIn(t *testing.T, e *env) *http.Client {
	t.Helper()
	c := newClient(t, e)
	_, tok := c.page()
	if resp := c.login("ana", agentPassword, tok); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", resp.StatusCode)
	}
	return c.http
}
