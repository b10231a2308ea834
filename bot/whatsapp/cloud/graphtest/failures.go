package graphtest

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// Failure is an error answer of the Graph API, as Meta sends it.
type Failure struct {
	Status     int    // HTTP status
	Code       int    // Graph error code
	Subcode    int    // error.error_subcode, when Meta gives one
	Message    string // error.message
	Title      string // the title statuses webhooks carry
	Details    string // error.error_data.details
	RetryAfter string // a Retry-After header, when set
	// Taken: Meta took the message (it goes out, its statuses follow)
	// but the bot gets this error instead of the answer: a failure
	// mid-send.
	Taken bool
	// Drop closes the connection without any answer (with Taken: after
	// Meta took the message).
	Drop bool
	// Hang takes the request and never answers, for as long as the bot
	// waits (a Graph API that stalls); nothing is sent.
	Hang bool
}

// Meta's errors (Cloud API "Error codes").
var (
	// ReEngagement: more than 24 hours since the person last wrote.
	ReEngagement = Failure{Status: 400, Code: 131047, Message: "(#131047) Re-engagement message", Title: "Re-engagement message",
		Details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number."}
	// RateLimit: the business number's throughput was exceeded.
	RateLimit = Failure{Status: 400, Code: 130429, Message: "(#130429) Rate limit hit", Title: "Rate limit hit",
		Details: "Cloud API message throughput has been reached."}
	// AccountRateLimit: too many calls for the business account (Graph's
	// own rate limiting; Meta marks it transient).
	AccountRateLimit = Failure{Status: 400, Code: 80007, Message: "(#80007) There have been too many calls to this WhatsApp Business account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting."}
	// PairRateLimit: too many messages to the same person too fast.
	PairRateLimit = Failure{Status: 400, Code: 131056, Message: "(#131056) (Business Account, Consumer Account) pair rate limit hit",
		Title: "(Business Account, Consumer Account) pair rate limit hit", Details: "Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time."}
	// Temporary: the service is down or overloaded (code 2).
	Temporary = Failure{Status: 503, Code: 2, Message: "(#2) Service temporarily unavailable", Title: "Service temporarily unavailable"}
	// ServerError: Meta failed on its side.
	ServerError = Failure{Status: 500, Code: 131000, Message: "(#131000) Something went wrong", Title: "Something went wrong",
		Details: "Message failed to send due to an unknown error."}
	// ServiceUnavailable: one of Meta's services is down for a while.
	ServiceUnavailable = Failure{Status: 503, Code: 131016, Message: "(#131016) Service unavailable", Title: "Service unavailable",
		Details: "A service is temporarily unavailable."}
	// PolicyBlock: Meta restricted the business account for a policy
	// violation, for a while; every send is refused until it lifts or an
	// appeal succeeds (HTTP 403).
	PolicyBlock = Failure{Status: 403, Code: 368, Message: "(#368) Temporarily blocked for policies violations", Title: "Temporarily blocked for policies violations",
		Details: "The WhatsApp Business Account associated with the app has been restricted or disabled for violating a platform policy."}
	// AccountLocked: the business account is locked until an operator
	// resolves it with Meta (HTTP 403).
	AccountLocked = Failure{Status: 403, Code: 131031, Message: "(#131031) Business Account locked", Title: "Business Account locked",
		Details: "The WhatsApp Business Account associated with the app has been locked."}
	// PaymentIssue: the business's payment method failed; nothing is
	// sent until an operator fixes it.
	PaymentIssue = Failure{Status: 400, Code: 131042, Message: "(#131042) Business eligibility payment issue", Title: "Business eligibility payment issue",
		Details: "Message failed to send because there were one or more errors related to your payment method."}
	// TokenExpired: the access token expired or was revoked (HTTP 401).
	TokenExpired = Failure{Status: 401, Code: 190, Subcode: 463, Message: "Error validating access token: Session has expired."}
	// NotRegistered: the business number is not registered on the Cloud
	// API (deregistered, or moved to another platform); nothing is sent
	// until an operator registers it again.
	NotRegistered = Failure{Status: 400, Code: 133010, Message: "(#133010) Account not registered", Title: "Account not registered",
		Details: "Phone number not registered on the Whatsapp Business Platform."}
	// PermissionDenied: the token lost the app's WhatsApp permission
	// (HTTP 403).
	PermissionDenied = Failure{Status: 403, Code: 10, Message: "(#10) Application does not have permission for this action"}
	// Undeliverable: the person cannot get messages (not on WhatsApp,
	// an old app, or they blocked the business).
	Undeliverable = Failure{Status: 400, Code: 131026, Message: "(#131026) Message Undeliverable.", Title: "Message undeliverable",
		Details: "Message Undeliverable."}
)

// graphError is the error object of Graph's envelope.
type graphError struct {
	Message   string         `json:"message"`
	Type      string         `json:"type"`
	Code      int            `json:"code"`
	Subcode   int            `json:"error_subcode,omitempty"`
	ErrorData map[string]any `json:"error_data,omitempty"`
	TraceID   string         `json:"fbtrace_id"`
}

func (f Failure) graph() graphError {
	g := graphError{Message: f.Message, Code: f.Code, Subcode: f.Subcode}
	if f.Details != "" {
		g.ErrorData = map[string]any{"messaging_product": "whatsapp", "details": f.Details}
	}
	return g
}

func writeError(w http.ResponseWriter, status int, g graphError) {
	if g.Type == "" {
		g.Type = "OAuthException"
	}
	g.TraceID = "AbCdEfGh" + strconv.Itoa(g.Code)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": g})
}

// answer writes f, or drops the connection.
func (f Failure) answer(w http.ResponseWriter) int {
	if f.Drop {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return 0
			}
		}
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	writeError(w, f.Status, f.graph())
	return f.Status
}

// statusError is a failure as a statuses webhook carries it.
func (f Failure) statusError() map[string]any {
	title := f.Title
	if title == "" {
		title = f.Message
	}
	e := map[string]any{"code": f.Code, "title": title, "message": title,
		"href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"}
	if f.Details != "" {
		e["error_data"] = map[string]any{"details": f.Details}
	}
	return e
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
