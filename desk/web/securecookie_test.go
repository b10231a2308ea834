package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/desk/web"
)

// TestCookiesSecureBehindHTTPS: behind an https ingress whose operator
// did not turn on --desk-secure-cookie, the desk's cookies (the sign-in
// form's token, the session) went without Secure, and a browser sent the
// session in clear to any http:// address of the host. A request that
// came over https (TLS here, or a trusted proxy's X-Forwarded-Proto)
// gets Secure cookies; a client's own X-Forwarded-Proto is not believed.
func TestCookiesSecureBehindHTTPS(t *testing.T) {
	for _, tc := range []struct {
		name    string
		proxies string
		proto   string
		secure  bool
	}{
		{"trusted proxy, https", "127.0.0.1/32", "https", true},
		{"trusted proxy, http", "127.0.0.1/32", "http", false},
		{"untrusted, says https", "", "https", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var opts []web.Option
			if tc.proxies != "" {
				opts = append(opts, web.WithTrustedProxies(trusted(t, tc.proxies)))
			}
			e := newEnv(t, opts...)
			req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/desk/", nil)
			req.Header.Set("X-Forwarded-Proto", tc.proto)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			set := resp.Header.Get("Set-Cookie")
			if set == "" || strings.Contains(set, "; Secure") != tc.secure {
				t.Fatalf("Set-Cookie %q, want Secure %v", set, tc.secure)
			}
		})
	}
}
