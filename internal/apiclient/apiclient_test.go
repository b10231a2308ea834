package apiclient

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
)

// TestTransportKeepsItsConnections: 16 senders making 400 calls to one
// host open about 16 connections, not one a call as with net/http's
// default of 2 idle connections a host (checked here too, so the test
// shows the difference it guards).
func TestTransportKeepsItsConnections(t *testing.T) {
	var opened atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			opened.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	calls := func(tr http.RoundTripper) int64 {
		opened.Store(0)
		client := &http.Client{Transport: tr}
		var wg sync.WaitGroup
		for range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 25 {
					resp, err := client.Get(srv.URL)
					if err != nil {
						t.Error(err)
						return
					}
					resp.Body.Close()
				}
			}()
		}
		wg.Wait()
		client.CloseIdleConnections()
		return opened.Load()
	}
	if n := calls(Transport(16)); n > 32 {
		t.Errorf("Transport(16): %d connections for 400 calls of 16 senders, want about 16", n)
	}
	if n := calls(http.DefaultTransport.(*http.Transport).Clone()); n <= 32 {
		t.Logf("the default transport opened only %d connections this time", n)
	}
}
