package telegram

import (
	"context"
	"strings"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/clavebot/clavebot/i18n"
)

// commands maps the bot's slash commands to words the engine understands.
// Telegram sends /start when a person first opens the bot.
var commands = map[string]string{
	"start":    "menú",
	"menu":     "menú",
	"ayuda":    "ayuda",
	"help":     "ayuda",
	"cancelar": "cancelar",
	"cancel":   "cancelar",
}

// menuCommands is the command list shown in Telegram's menu, in order.
var menuCommands = []string{"menu", "ayuda", "cancelar"}

// commandText turns "/cmd@botname args" into the engine's word for it.
// Other text, and commands the bot does not know, pass through unchanged.
func commandText(text string) string {
	if !strings.HasPrefix(text, "/") {
		return text
	}
	cmd, _, _ := strings.Cut(strings.TrimPrefix(text, "/"), " ")
	cmd, _, _ = strings.Cut(cmd, "@")
	if word, ok := commands[strings.ToLower(cmd)]; ok {
		return word
	}
	return text
}

// setCommands registers the command list. A failure is only logged: the
// commands work typed even when the menu is missing.
func (c *Channel) setCommands(ctx context.Context) {
	p := c.bot.Printer()
	list := make([]models.BotCommand, 0, len(menuCommands))
	for _, cmd := range menuCommands {
		list = append(list, models.BotCommand{Command: cmd, Description: p.Sprint(i18n.M(i18n.Key("telegram.cmd." + cmd)))})
	}
	err := c.retry(ctx, func(ctx context.Context) error {
		_, err := c.api.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: list})
		return err
	})
	if err != nil {
		c.log.Warn("could not register the command list", "err", err)
	}
}
