package telegramtest

import (
	"context"
	"slices"
)

// Calls lists the calls made, of the given methods only when any are
// named, in order, failed ones included.
func (s *Server) Calls(methods ...string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.st.calls {
		if len(methods) == 0 || slices.Contains(methods, c.Method) {
			out = append(out, c)
		}
	}
	return out
}

// OK lists the calls of method that succeeded, in order.
func (s *Server) OK(method string) []Call {
	var out []Call
	for _, c := range s.Calls(method) {
		if c.Status == 200 {
			out = append(out, c)
		}
	}
	return out
}

// WaitUntil returns when cond holds, checking it after every change on
// the server (a call, an update, a delivery), or ctx's error when ctx ends
// first. cond may call the Server's methods.
func (s *Server) WaitUntil(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		changed := s.st.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
