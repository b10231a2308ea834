// Package apiclient makes the HTTP transport of a channel that calls one
// platform API (Telegram's Bot API, Meta's Graph API) from many senders at
// once.
package apiclient

import (
	"net/http"
	"time"
)

// Transport keeps up to conns connections to each host open between
// calls. net/http's default keeps 2: a channel sending with more workers
// than that to its one API host opens (and, on HTTPS, handshakes) a new
// connection for almost every call under load, and closes one after it,
// which is most of the CPU a send costs. The rest is
// http.DefaultTransport's (proxy from the environment, dial and TLS
// timeouts, HTTP/2 when the server offers it).
func Transport(conns int) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	conns = max(conns, 2)
	t.MaxIdleConns = 2 * conns
	t.MaxIdleConnsPerHost = conns
	t.IdleConnTimeout = 90 * time.Second
	return t
}
