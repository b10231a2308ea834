package registry

import (
	"context"
	"fmt"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
)

// Contacts returns cuil's contacts. Only a person who has validated may
// be shown them, and then masked (Contact.Masked).
func (s *Service) Contacts(ctx context.Context, cuil CUIL) (Contacts, error) {
	cs, err := s.store.Contacts(ctx, cuil)
	return cs, errs.Wrap("contacts", err)
}

// SetContact registers value (normalised by ParseEmail or ParsePhone) as
// cuil's contact of kind, verified when the person proved it is theirs
// (the channel did: a WhatsApp message from that phone). An e-mail is
// verified only through a one-time code (CheckCode). Registering again
// the contact already stored keeps its verification: typing one's own
// number on Telegram does not undo WhatsApp's proof. Every change is
// audited, the contact masked.
func (s *Service) SetContact(ctx context.Context, cuil CUIL, kind ContactKind, value string, verified bool, channel string) error {
	if err := checkContact(kind, value); err != nil {
		return errs.E(errs.Invalid, "set contact", err)
	}
	return s.changeContact(ctx, cuil, ContactUpdate{Kind: kind, Value: value, Verified: verified}, channel)
}

// RemoveContact forgets cuil's contact of kind.
func (s *Service) RemoveContact(ctx context.Context, cuil CUIL, kind ContactKind, channel string) error {
	return s.changeContact(ctx, cuil, ContactUpdate{Kind: kind}, channel)
}

func (s *Service) changeContact(ctx context.Context, cuil CUIL, u ContactUpdate, channel string) error {
	cur, err := s.store.Contacts(ctx, cuil)
	if err != nil {
		return errs.Wrap("change contact", err)
	}
	c, ev, changed := ApplyContact(cuil, cur.Get(u.Kind), u, s.now(), channel)
	if !changed {
		return nil
	}
	if err := s.store.SaveContact(ctx, cuil, c, ev); err != nil {
		return errs.Wrap("change contact", err)
	}
	s.log.Info("contact changed", "cuil", cuil.Masked(), "action", string(ev.Action), "detail", ev.Detail, "channel", channel)
	return nil
}

// ApplyContact is what u does to old, cuil's stored contact of its kind,
// at now: the contact to store (an empty Value deletes it), its audit
// event, and whether anything changes. The same contact again keeps its
// verification (a proof is not undone by a file or a channel that cannot
// prove it); a new one is verified only when u says so. The event names
// the contact masked: the audit trail outlives the contact and must not
// keep it.
func ApplyContact(cuil CUIL, old Contact, u ContactUpdate, now time.Time, channel string) (Contact, AuditEvent, bool) {
	c := Contact{Kind: u.Kind, Value: u.Value, UpdatedAt: now}
	ev := AuditEvent{At: now, CUIL: cuil, Channel: channel, Action: ActionContactSet}
	switch {
	case u.Value == "" && old.Value == "":
		return old, ev, false
	case u.Value == "":
		ev.Action, ev.Detail = ActionContactRemoved, string(u.Kind)+" "+old.Masked()
		return c, ev, true
	case u.Value == old.Value && (old.Verified() || !u.Verified):
		return old, ev, false
	case u.Verified:
		c.VerifiedAt = now
		ev.Action = ActionContactVerified
	}
	ev.Detail = string(u.Kind) + " " + c.Masked()
	return c, ev, true
}

// checkContact refuses a value that is not in the form its parser gives.
func checkContact(kind ContactKind, value string) error {
	parse := map[ContactKind]func(string) (string, error){ContactEmail: ParseEmail, ContactPhone: ParsePhone}[kind]
	if parse == nil {
		return fmt.Errorf("unknown contact kind %q", kind)
	}
	if v, err := parse(value); err != nil || v != value {
		return fmt.Errorf("%s not normalised", kind)
	}
	return nil
}
