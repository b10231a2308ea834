package web

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/netip"
	"time"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/clientip"
)

// Sign-in limits. An outsider who knows an agent's name must not be able
// to lock the agent out, so nothing is limited per account alone:
//
//   - one account from one address: 5 attempts, then each waits 1 s after
//     the previous one, doubling up to 15 min (a day's window);
//   - one address, any account: 30 attempts, then the same doubling (an
//     hour's window), so guessing across names is slowed too;
//   - one account from browsers it never signed in on: 100 attempts a day,
//     then up to a minute between attempts. Only many addresses at once (a
//     botnet) reach this; the agent's own browser, which carries a device
//     cookie from an earlier sign-in, is not counted nor held back by it.
//
// Each is reserved before the password is checked, so concurrent attempts
// cannot all slip in before a failure is counted; a right password gives
// the address's and the account's reservation back.
var (
	defaultPairLimit    = desk.Backoff{Free: 5, Base: time.Second, Max: 15 * time.Minute, Window: 24 * time.Hour}
	defaultAddressLimit = desk.Backoff{Free: 30, Base: time.Second, Max: 15 * time.Minute, Window: time.Hour}
	defaultAccountLimit = desk.Backoff{Free: 100, Base: time.Second, Max: time.Minute, Window: 24 * time.Hour}
)

// deviceTTL is how long a browser is remembered after a sign-in.
const deviceTTL = 180 * 24 * time.Hour

func withLimits(cfg config) config {
	if cfg.PairLimit == (desk.Backoff{}) {
		cfg.PairLimit = defaultPairLimit
	}
	if cfg.AddressLimit == (desk.Backoff{}) {
		cfg.AddressLimit = defaultAddressLimit
	}
	if cfg.AccountLimit == (desk.Backoff{}) {
		cfg.AccountLimit = defaultAccountLimit
	}
	return cfg
}

// attempt is one sign-in attempt: who it claims to be, from where.
type attempt struct {
	name  string
	addr  netip.Addr
	known bool // from a browser this account signed in on before
}

func (a attempt) pairKey() string    { return "pair:" + clip(a.name) + "|" + clientip.Key(a.addr) }
func (a attempt) addressKey() string { return "addr:" + clientip.Key(a.addr) }
func (a attempt) accountKey() string { return "account:" + clip(a.name) }

// clip bounds a typed name used in a key; real names have at most 40
// characters.
func clip(name string) string {
	if len(name) > 64 {
		return name[:64]
	}
	return name
}

func (h *Handler) attempt(r *http.Request, name string) attempt {
	a := attempt{name: name, addr: h.cfg.TrustedProxies.Addr(r)}
	if !h.cfg.TrustedProxies.TrustsAny() && r.Header.Get("X-Forwarded-For") != "" {
		h.proxyHint.Do(func() {
			h.cfg.Log.Warn("desk sign-ins come through a proxy (X-Forwarded-For) but --trusted-proxies is not set: all its clients share the proxy's limits",
				"proxy", a.addr.String())
		})
	}
	if c, err := r.Cookie(deviceCookie); err == nil && c.Value != "" {
		agent, err := h.sessions.DeviceAgent(r.Context(), c.Value)
		a.known = err == nil && agent != "" && agent == name
	}
	return a
}

// admit reserves the attempt under its limits and returns 0, or returns
// how long it must wait. The account's limit is reserved too, for an
// attempt from a browser the account never signed in on: peeked at, then
// counted after the password failed, it let every address of a botnet
// through at once (an attack probe: 300 addresses had 134 passwords judged
// where the day allows 100, and a burst a minute after that). A
// reservation an attempt does not use, held back by the pair's or the
// address's limit, is given back.
func (h *Handler) admit(ctx context.Context, a attempt) (time.Duration, error) {
	now := h.cfg.Now()
	if !a.known {
		if wait, err := h.limiter.Reserve(ctx, a.accountKey(), h.cfg.AccountLimit, now); err != nil || wait > 0 {
			return wait, err
		}
	}
	wait, err := h.limiter.Reserve(ctx, a.pairKey(), h.cfg.PairLimit, now)
	if err == nil && wait == 0 {
		wait, err = h.limiter.Reserve(ctx, a.addressKey(), h.cfg.AddressLimit, now)
	}
	if (err != nil || wait > 0) && !a.known {
		h.refund(ctx, a.accountKey())
	}
	return wait, err
}

// succeeded clears the account's count from this address and gives the
// address, and the account, the attempt back, so colleagues behind one
// address are not held back by each other's sign-ins.
func (h *Handler) succeeded(ctx context.Context, a attempt) {
	if err := h.limiter.Reset(ctx, a.pairKey()); err != nil {
		h.cfg.Log.Warn("sign-in limit not reset", "err", err)
	}
	h.refund(ctx, a.addressKey())
	if !a.known {
		h.refund(ctx, a.accountKey())
	}
}

func (h *Handler) refund(ctx context.Context, key string) {
	if err := h.limiter.Refund(ctx, key); err != nil {
		h.cfg.Log.Warn("sign-in limit not refunded", "err", err)
	}
}

// spell says a wait the way a person reads it.
func spell(secs int) i18n.Message {
	if secs < 120 {
		return i18n.M("deskpage.wait_seconds", "n", secs)
	}
	return i18n.M("deskpage.wait_minutes", "n", (secs+59)/60)
}

// rememberDevice gives the browser a device cookie for agent: its later
// sign-ins are not held back by attempts on the account from elsewhere.
func (h *Handler) rememberDevice(w http.ResponseWriter, r *http.Request, agent string) {
	tok := rand.Text() + rand.Text()
	if err := h.sessions.RememberDevice(r.Context(), tok, agent, deviceTTL); err != nil {
		h.cfg.Log.Warn("device not remembered", "err", err)
		return
	}
	http.SetCookie(w, h.cookie(r, deviceCookie, tok, int(deviceTTL.Seconds())))
}
