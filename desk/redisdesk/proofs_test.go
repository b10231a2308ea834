package redisdesk_test

import (
	"github.com/clavebot/clavebot/desk/redisdesk"
	"github.com/clavebot/clavebot/desk/web"
)

// What the agents' page needs of the desk's Redis: proved in a test, so
// that redisdesk does not import the page (and the channels behind it).
var (
	_ web.Sessions      = (*redisdesk.Sessions)(nil)
	_ web.Limiter       = (*redisdesk.Limiter)(nil)
	_ web.PairingSource = (*redisdesk.Pairing)(nil)
	_ web.Events        = (*redisdesk.Queue)(nil)
)
