package mail

import (
	"errors"
	"net/smtp"
)

// loginAuth is AUTH LOGIN (draft-murchison-sasl-login): the user name,
// then the password, each as the relay asks. Like net/smtp's PlainAuth it
// sends them only over TLS, or to a relay on this machine.
type loginAuth struct {
	user, pass, host string
	step             int
}

var _ smtp.Auth = (*loginAuth)(nil)

func (a *loginAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if !server.TLS && !isLoopback(server.Name) {
		return "", nil, errors.New("unencrypted connection")
	}
	if server.Name != a.host {
		return "", nil, errors.New("wrong host name")
	}
	a.step = 0
	return "LOGIN", nil, nil
}

// Next answers the relay's prompts in order ("Username:", "Password:");
// their words vary between relays, so only their order counts.
func (a *loginAuth) Next(_ []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	a.step++
	switch a.step {
	case 1:
		return []byte(a.user), nil
	case 2:
		return []byte(a.pass), nil
	}
	return nil, errors.New("unexpected AUTH LOGIN prompt")
}
