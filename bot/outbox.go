package bot

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/clavebot/clavebot/dialog"
)

// Outbox delivers messages that are not answers to a person's message (an
// agent's reply, a reminder) to the chat's own channel. Chat ids are
// channel-qualified ("telegram:123"); the prefix picks the channel. When the
// channel is not in this process (WhatsApp held by another replica, a
// terminal chat), a Remote carries the rendered messages to one that has it.
type Outbox struct {
	bot      *Bot
	mu       sync.RWMutex
	channels map[string]Channel
	remote   Remote
}

// Remote carries rendered messages to a process that has the chat's
// channel; bot/relay implements it over Redis.
type Remote interface {
	Deliver(ctx context.Context, chat string, msgs []Message) error
}

// ErrNotHere means the chat's channel is not run by this process.
var ErrNotHere = errors.New("outbox: chat's channel is not in this process")

// NewOutbox returns an Outbox that renders with b.
func NewOutbox(b *Bot) *Outbox { return &Outbox{bot: b, channels: map[string]Channel{}} }

// Register makes ch the channel for chats prefixed with its name.
func (o *Outbox) Register(ch Channel) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.channels[ch.Name()] = ch
}

// SetRemote sets where messages for chats of other processes go.
func (o *Outbox) SetRemote(r Remote) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.remote = r
}

// Deliver renders replies and sends them to chat on its channel.
func (o *Outbox) Deliver(ctx context.Context, chat string, replies []dialog.Reply) error {
	return o.DeliverMessages(ctx, chat, o.bot.Render(replies))
}

// DeliverMessages sends rendered msgs to chat: here when this process runs
// the chat's channel, else through the Remote.
func (o *Outbox) DeliverMessages(ctx context.Context, chat string, msgs []Message) error {
	err := o.SendHere(ctx, chat, msgs)
	if !errors.Is(err, ErrNotHere) {
		return err
	}
	o.mu.RLock()
	r := o.remote
	o.mu.RUnlock()
	if r == nil {
		return fmt.Errorf("%w: %s", err, chat)
	}
	return r.Deliver(ctx, chat, msgs)
}

// SendHere sends msgs through this process's channel for chat, or returns
// ErrNotHere.
func (o *Outbox) SendHere(ctx context.Context, chat string, msgs []Message) error {
	ch, id, err := o.local(chat)
	if err != nil {
		return err
	}
	o.bot.Send(ctx, ch, id, msgs)
	return nil
}

// Has reports whether this process delivers to chat.
func (o *Outbox) Has(chat string) bool {
	_, _, err := o.local(chat)
	return err == nil
}

// Channels names the channels registered in this process.
func (o *Outbox) Channels() []string {
	o.mu.RLock()
	defer o.mu.RUnlock()
	names := make([]string, 0, len(o.channels))
	for n := range o.channels {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (o *Outbox) local(chat string) (Channel, string, error) {
	name, id, ok := strings.Cut(chat, ":")
	if !ok {
		return nil, "", fmt.Errorf("outbox: chat %q has no channel prefix", chat)
	}
	o.mu.RLock()
	ch, found := o.channels[name]
	o.mu.RUnlock()
	if !found {
		return nil, "", ErrNotHere
	}
	if ow, ok := ch.(Owner); ok && !ow.Owns(id) {
		return nil, "", ErrNotHere
	}
	return ch, id, nil
}

// ChatID qualifies a channel's own chat id.
func ChatID(channel, id string) string { return channel + ":" + id }
