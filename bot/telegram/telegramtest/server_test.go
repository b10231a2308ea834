package telegramtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

type answer struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

func post(t *testing.T, s *Server, method, contentType, body string) (int, answer) {
	t.Helper()
	resp, err := http.Post(s.URL+"/bot"+s.Token+"/"+method, contentType, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a answer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, a
}

func TestProtocol(t *testing.T) {
	s := New("1:abc")
	defer s.Close()
	form := "application/x-www-form-urlencoded"
	tests := []struct {
		name, method, ct, body string
		status                 int
		desc                   string
	}{
		{"unknown chat", "sendMessage", "application/json", `{"chat_id":5,"text":"hola"}`, 400, "Bad Request: chat not found"},
		{"unknown method", "fly", form, "", 404, "Not Found"},
		{"empty text", "sendMessage", form, url.Values{"chat_id": {"7"}}.Encode(), 400, "Bad Request: message text is empty"},
		{"button without action", "sendMessage", form, url.Values{"chat_id": {"7"}, "text": {"x"}, "reply_markup": {`{"inline_keyboard":[[{"text":"a"}]]}`}}.Encode(), 400, "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"},
		{"callback data too long", "sendMessage", form, url.Values{"chat_id": {"7"}, "text": {"x"}, "reply_markup": {`{"inline_keyboard":[[{"text":"a","callback_data":"` + strings.Repeat("d", 65) + `"}]]}`}}.Encode(), 400, "Bad Request: BUTTON_DATA_INVALID"},
		{"sent", "sendMessage", "application/json", `{"chat_id":7,"text":"hola"}`, 200, ""},
	}
	s.Text(7, "hola")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, a := post(t, s, tt.method, tt.ct, tt.body)
			if status != tt.status || a.Description != tt.desc || a.OK != (status == 200) {
				t.Errorf("got %d %+v", status, a)
			}
		})
	}
	t.Run("wrong token", func(t *testing.T) {
		resp, err := http.Post(s.URL+"/bot1:zzz/getMe", form, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 {
			t.Errorf("status %d", resp.StatusCode)
		}
	})
}

func TestGetUpdatesOffsetAndThrottle(t *testing.T) {
	s := New("1:abc")
	defer s.Close()
	s.Text(7, "uno")
	s.Text(7, "dos")
	form := "application/x-www-form-urlencoded"
	_, a := post(t, s, "getUpdates", form, "")
	var ups []struct {
		ID      int64 `json:"update_id"`
		Message struct {
			Text string `json:"text"`
		} `json:"message"`
	}
	if err := json.Unmarshal(a.Result, &ups); err != nil || len(ups) != 2 {
		t.Fatalf("updates %s (%v)", a.Result, err)
	}
	_, a = post(t, s, "getUpdates", form, url.Values{"offset": {itoa(ups[0].ID + 1)}}.Encode())
	if err := json.Unmarshal(a.Result, &ups); err != nil || len(ups) != 1 || ups[0].Message.Text != "dos" {
		t.Errorf("after confirming the first: %s", a.Result)
	}
	if s.Pending() != 1 {
		t.Errorf("%d pending, want 1", s.Pending())
	}

	s.FailNext("getMe", 1, 1)
	status, a := post(t, s, "getMe", form, "")
	if status != 429 || a.ErrorCode != 429 || a.Parameters.RetryAfter != 1 || a.Description != "Too Many Requests: retry after 1" {
		t.Errorf("throttled answer %d %+v", status, a)
	}
	if status, _ := post(t, s, "getMe", form, ""); status != 200 {
		t.Errorf("second getMe %d", status)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestWebhookConnections: with SetWebhookConnections(4) the webhook gets
// updates of several chats at once (chat 1's is answered only once chat
// 2's has arrived, which one at a time would never deliver), while each
// chat's updates still arrive one at a time and in order.
func TestWebhookConnections(t *testing.T) {
	var mu sync.Mutex
	got := map[int64][]string{}
	inFlight := map[int64]int{}
	overlap, alone := false, false
	second := make(chan struct{})
	var once sync.Once
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var u struct {
			Message struct {
				Text string `json:"text"`
				Chat struct {
					ID int64 `json:"id"`
				} `json:"chat"`
			} `json:"message"`
		}
		json.NewDecoder(r.Body).Decode(&u)
		chat := u.Message.Chat.ID
		mu.Lock()
		inFlight[chat]++
		overlap = overlap || inFlight[chat] > 1
		got[chat] = append(got[chat], u.Message.Text)
		mu.Unlock()
		switch chat {
		case 1:
			select {
			case <-second:
			case <-time.After(5 * time.Second):
				mu.Lock()
				alone = true // chat 2's never came while this one waited
				mu.Unlock()
			}
		case 2:
			once.Do(func() { close(second) })
		}
		mu.Lock()
		inFlight[chat]--
		mu.Unlock()
	}))
	defer hook.Close()
	s := New("1:abc")
	defer s.Close()
	s.SetWebhookConnections(4)
	for i := range 3 {
		s.Text(1, "uno "+strconv.Itoa(i))
		s.Text(2, "dos "+strconv.Itoa(i))
	}
	start := time.Now()
	if status, a := post(t, s, "setWebhook", "application/json", `{"url":"`+hook.URL+`"}`); status != 200 || !a.OK {
		t.Fatalf("setWebhook: %d %+v", status, a)
	}
	for s.Pending() > 0 {
		if time.Since(start) > 20*time.Second {
			t.Fatalf("%d updates still pending", s.Pending())
		}
		time.Sleep(5 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if alone {
		t.Error("chat 2's update did not arrive while chat 1's was in flight: the updates were sent one at a time")
	}
	want := map[int64][]string{1: {"uno 0", "uno 1", "uno 2"}, 2: {"dos 0", "dos 1", "dos 2"}}
	if overlap || !reflect.DeepEqual(got, want) {
		t.Errorf("webhook got %v (two of one chat at once: %v), want %v in order", got, overlap, want)
	}
}
