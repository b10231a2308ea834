package loadtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"
)

// Serve is a `clavebot serve` process the tool started.
type Serve struct {
	URL       string // its HTTP server
	PprofURL  string // its profiler, when asked for
	LogPath   string // its standard error
	cmd       *exec.Cmd
	exited    chan struct{}
	exitError error
}

// FreeAddr returns a loopback address with a port nobody listens on now.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// StartServe runs `bin serve` listening on addr with args, its standard
// error in logPath, and waits until it answers /healthz.
func StartServe(ctx context.Context, bin, addr string, args []string, env []string, logPath string, pprof bool) (*Serve, error) {
	log, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer log.Close()
	s := &Serve{URL: "http://" + addr, LogPath: logPath, exited: make(chan struct{})}
	full := append([]string{"serve", "--http-addr", addr}, args...)
	if pprof {
		paddr, err := FreeAddr()
		if err != nil {
			return nil, err
		}
		full = append(full, "--pprof-addr", paddr)
		s.PprofURL = "http://" + paddr
	}
	s.cmd = exec.Command(bin, full...)
	s.cmd.Stderr, s.cmd.Stdout = log, log
	s.cmd.Env = append(os.Environ(), env...)
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s serve: %w", bin, err)
	}
	go func() { s.exitError = s.cmd.Wait(); close(s.exited) }()
	if err := s.waitHealthy(ctx); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

func (s *Serve) waitHealthy(ctx context.Context) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return fmt.Errorf("serve exited at start (%v): see %s", s.exitError, s.LogPath)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		resp, err := http.Get(s.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return errors.New("serve did not answer /healthz within a minute: see " + s.LogPath)
}

// PID is the process id.
func (s *Serve) PID() string { return strconv.Itoa(s.cmd.Process.Pid) }

// Exited reports whether the process has ended: before Stop, that it
// died on its own.
func (s *Serve) Exited() bool {
	select {
	case <-s.exited:
		return true
	default:
		return false
	}
}

// Stop asks the process to end (SIGTERM, a graceful shutdown) and waits,
// killing it after 20 seconds.
func (s *Serve) Stop() error {
	select {
	case <-s.exited:
		return nil
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(20 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
	return nil
}
