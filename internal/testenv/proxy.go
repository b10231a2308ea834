package testenv

import (
	"net"
	"sync"
	"testing"
)

// Proxy forwards TCP connections to a server, and can make the server go
// away as failures do: Cut closes every connection (a restart, a network
// failure) and, asked to, refuses new ones; Hang keeps the connections
// open but lets no byte through, either way (a server that stopped
// answering, its TCP still up). Restore ends both.
type Proxy struct {
	ln     net.Listener
	target string

	mu      sync.Mutex
	refuse  bool
	hung    bool
	resumed chan struct{} // closed when a hang ends
	conns   []net.Conn
}

// NewProxy starts a proxy to target ("host:port") on a port of its own,
// closed with its connections when tb ends.
func NewProxy(tb testing.TB, target string) *Proxy {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &Proxy{ln: ln, target: target, resumed: make(chan struct{})}
	tb.Cleanup(func() {
		ln.Close()
		p.Restore()
		p.Cut(true)
	})
	go p.serve()
	return p
}

// Addr is the proxy's "host:port", in place of the target's.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Cut closes every connection; with refuse, new ones are closed at once
// until Restore.
func (p *Proxy) Cut(refuse bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refuse = refuse
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// Hang lets no byte through, on the connections open and new ones, until
// Restore.
func (p *Proxy) Hang() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.hung = true
}

// Restore lets connections in and bytes through again.
func (p *Proxy) Restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refuse = false
	if p.hung {
		p.hung = false
		close(p.resumed)
		p.resumed = make(chan struct{})
	}
}

func (p *Proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.forward(c)
	}
}

func (p *Proxy) forward(c net.Conn) {
	p.mu.Lock()
	refuse := p.refuse
	p.mu.Unlock()
	if refuse {
		c.Close()
		return
	}
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns = append(p.conns, c, up)
	p.mu.Unlock()
	go p.pipe(up, c)
	go p.pipe(c, up)
}

// pipe copies src to dst, holding what it read while the proxy hangs.
func (p *Proxy) pipe(dst, src net.Conn) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.waitWhileHung()
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *Proxy) waitWhileHung() {
	for {
		p.mu.Lock()
		hung, resumed := p.hung, p.resumed
		p.mu.Unlock()
		if !hung {
			return
		}
		<-resumed
	}
}
