package web_test

import (
	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/web"
)

var _ web.Accounts = (*desk.Accounts)(nil)
