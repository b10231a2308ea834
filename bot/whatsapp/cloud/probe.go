package cloud

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
)

// probeLoop reads the phone number every ProbeEvery until ctx ends.
func (c *Cloud) probeLoop(ctx context.Context) {
	t := time.NewTicker(c.cfg.ProbeEvery)
	defer t.Stop()
	for {
		c.probe(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// probe reads the phone number once; a refusal of the account is counted
// and logged at error, as a send's is; any other failure only logged.
func (c *Cloud) probe(ctx context.Context) {
	err := c.readPhoneNumber(ctx)
	var ge *GraphError
	switch {
	case err == nil, ctx.Err() != nil:
	case errors.As(err, &ge) && ge.probeCounts():
		c.cfg.Failures.Failed(Name, strconv.Itoa(ge.Code), true)
		c.log.Error("Meta refuses the business account: no message goes out until an operator acts", "code", ge.Code, "status", ge.Status, "reason", ge.reason())
	case errors.As(err, &ge) && ge.AccountHeld():
		c.log.Warn("the token may not read the phone number (whatsapp_business_management); sends may still work", "code", ge.Code, "status", ge.Status, "reason", ge.reason())
	default:
		c.log.Warn("the phone number could not be read from the Graph API", "err", err)
	}
}

// readPhoneNumber is GET /<version>/<phone number id>: what the token
// may read of the number, the cheapest call that needs the token and the
// number alike.
func (c *Cloud) readPhoneNumber(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	url := strings.TrimSuffix(c.messages, "/messages") + "?fields=id"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("whatsapp cloud: probe: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+c.cfg.AccessToken)
	resp, err := c.http.Do(req)
	if err != nil {
		return errs.E(errs.Unavailable, "whatsapp cloud: probe", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return errs.E(errs.Unavailable, "whatsapp cloud: probe: read answer", err)
	}
	if resp.StatusCode/100 != 2 {
		return graphError(resp, data)
	}
	return nil
}

// probeCounts reports whether the probe's refusal is the account's
// failure the sends would meet too: the token (0, 190, 401) or the
// account or number held (368, 131031, 131042, 133010). A permission
// refused (3, 10, 200-299, 131005) may be the read's alone (it needs
// whatsapp_business_management, sends whatsapp_business_messaging): it
// is logged, not counted, so that it pages no one for nothing.
func (e *GraphError) probeCounts() bool {
	switch e.Code {
	case 0, 190, 368, 131031, 131042, 133010:
		return e.AccountHeld()
	}
	return e.Status == http.StatusUnauthorized
}
