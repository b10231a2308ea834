package bot

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/clavebot/clavebot/dialog"
)

// Outbox delivers messages that are not answers to a person's message (an
// agent's reply, a reminder) to the chat's own channel. Chat ids are
// channel-qualified ("telegram:123"); the prefix picks the channel.
type Outbox struct {
	bot      *Bot
	mu       sync.RWMutex
	channels map[string]Channel
}

// NewOutbox returns an Outbox that renders with b.
func NewOutbox(b *Bot) *Outbox { return &Outbox{bot: b, channels: map[string]Channel{}} }

// Register makes ch the channel for chats prefixed with its name.
func (o *Outbox) Register(ch Channel) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.channels[ch.Name()] = ch
}

// Deliver renders replies and sends them to chat on its channel.
func (o *Outbox) Deliver(ctx context.Context, chat string, replies []dialog.Reply) error {
	name, id, ok := strings.Cut(chat, ":")
	if !ok {
		return fmt.Errorf("outbox: chat %q has no channel prefix", chat)
	}
	o.mu.RLock()
	ch, found := o.channels[name]
	o.mu.RUnlock()
	if !found {
		return fmt.Errorf("outbox: no channel %q in this process", name)
	}
	o.bot.Send(ctx, ch, id, o.bot.Render(replies))
	return nil
}

// ChatID qualifies a channel's own chat id.
func ChatID(channel, id string) string { return channel + ":" + id }
