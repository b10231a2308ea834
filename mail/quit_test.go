package mail_test

import (
	"bufio"
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/errs"
	cbmail "github.com/clavebot/clavebot/mail"
)

// A relay that took the message (250 after DATA) and then hung up, or
// never answered QUIT, has the code on its way to the person: the send is
// no failure. The person was told "No pudimos enviar el código", its
// minute given back, and asked to request another, with the first one
// already in their inbox (a resilience probe: a relay dropping the
// connection at QUIT). A relay that hangs up before answering the
// message's end may not have taken it: that stays a failure.
func TestRelayThatTookTheMessage(t *testing.T) {
	tests := []struct {
		name   string
		atQuit string // what the relay does at QUIT: "hangup", "silence"
		atData string // at the message's end: "hangup" or "" (250)
		sent   bool
	}{
		{"hangs up at QUIT", "hangup", "", true},
		{"never answers QUIT", "silence", "", true},
		{"hangs up before answering the message's end", "hangup", "hangup", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr, got := scriptedRelay(t, tt.atData, tt.atQuit)
			s, err := cbmail.New("smtp://"+addr, "a@b.com", printer(t, i18n.ES), cbmail.WithTimeout(5*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			err = s.SendCode(context.Background(), code("lucia@gmail.com"))
			if tt.sent && err != nil {
				t.Fatalf("SendCode: %v, want nil: the relay took the message (%d)", err, got())
			}
			if !tt.sent && !errs.Is(errs.Unavailable, err) {
				t.Fatalf("SendCode: %v, want errs.Unavailable", err)
			}
			if d := time.Since(start); tt.sent && d > 3*time.Second {
				t.Errorf("SendCode took %v: a taken message waited for QUIT's answer", d)
			}
		})
	}
}

// scriptedRelay is an SMTP relay without TLS or AUTH that answers each
// command, and at the message's end and at QUIT does as told. It returns
// its address and the number of messages it took.
func scriptedRelay(t *testing.T, atData, atQuit string) (string, func() int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	taken := 0
	done := make(chan struct{})
	t.Cleanup(func() { close(done); ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r := bufio.NewReader(c)
				say := func(s string) { c.Write([]byte(s + "\r\n")) }
				say("220 relay")
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					switch cmd := strings.ToUpper(strings.TrimSpace(line)); {
					case strings.HasPrefix(cmd, "EHLO"):
						say("250-relay")
						say("250 8BITMIME")
					case cmd == "DATA":
						say("354 go on")
						for {
							l, err := r.ReadString('\n')
							if err != nil {
								return
							}
							if strings.TrimRight(l, "\r\n") == "." {
								break
							}
						}
						if atData == "hangup" {
							return
						}
						mu.Lock()
						taken++
						mu.Unlock()
						say("250 queued")
					case cmd == "QUIT":
						if atQuit == "silence" {
							<-done
						}
						return
					default:
						say("250 ok")
					}
				}
			}()
		}
	}()
	return ln.Addr().String(), func() int { mu.Lock(); defer mu.Unlock(); return taken }
}
