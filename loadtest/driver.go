package loadtest

import (
	"context"
	"fmt"
	"sort"

	"github.com/clavebot/clavebot/dialog"
)

// Reply is one message of the bot as the person sees it.
type Reply struct {
	Text    string
	Options []string
	Expect  dialog.Expect
}

// Channel is an entry point of serve the people reach clavebot through. An
// implementation is one file: it starts whatever fake platform the channel
// needs, tells serve how to reach it (ServeFlags), and turns a person's
// Action into the bot's replies.
type Channel interface {
	Name() string
	// ServeFlags are the flags of a serve process whose HTTP server is at
	// serveURL, for this channel (its fake platform, its webhook). Nil
	// when serve needs none, so any running serve can be driven.
	ServeFlags(serveURL string) []string
	// Start is called once the serve processes answer, with their URLs.
	Start(ctx context.Context, serveURLs []string) error
	// Send delivers the person's message in chat and returns the bot's
	// replies to it.
	Send(ctx context.Context, chat string, a Action) ([]Reply, error)
	// ChatID is the engine's id of chat ("rest:<chat>"), which its Redis
	// keys carry.
	ChatID(chat string) string
	Close() error
}

// ChannelOptions is what a channel may need to be built.
type ChannelOptions struct {
	APIToken string // serve's --api-token, for the REST channel
	// Sources says whether each person writes to the REST chat from an
	// address of their own, passed in X-Clavebot-Source as a portal passes
	// it (SourcePerPerson), or from none (SourceNone).
	Sources string
	Texts   *Texts
	// Conns is how many connections to keep open for reuse: the requests
	// awaiting an answer at most (0: DefaultMaxAwaiting).
	Conns int
}

// channels builds each channel by name. Adding a channel is one file with
// its constructor, and its line here.
var channels = map[string]func(ChannelOptions) (Channel, error){
	"rest":     newREST,
	"telegram": newTelegram,
	"whatsapp": newWhatsApp,
}

// NewChannel builds the channel called name.
func NewChannel(name string, o ChannelOptions) (Channel, error) {
	mk, ok := channels[name]
	if !ok {
		return nil, fmt.Errorf("loadtest: no channel %q (have %v)", name, ChannelNames())
	}
	return mk(o)
}

// ChannelNames lists the channels the tool can drive.
func ChannelNames() []string {
	var names []string
	for n := range channels {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// awaitTurn waits with wait (a fake platform's WaitUntil) until turn says
// the bot's messages of the turn are all there, and returns them: how the
// platform channels, whose messages do not say what the bot waits for,
// end a turn.
func awaitTurn(ctx context.Context, wait func(context.Context, func() bool) error, turn func() ([]Reply, bool)) ([]Reply, error) {
	var replies []Reply
	err := wait(ctx, func() bool {
		var done bool
		replies, done = turn()
		return done
	})
	return replies, err
}
