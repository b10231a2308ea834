package main

import (
	"flag"

	"github.com/clavebot/clavebot/bot/whatsapp/cloud"
)

// registerDelivery adds the WhatsApp Cloud settings for the 24-hour
// window and the Graph API version (CONTRACT §7).
func (cc *channelConfig) registerDelivery(fs *flag.FlagSet) {
	fs.StringVar(&cc.Cloud.Template, "whatsapp-template", env("CLAVEBOT_WHATSAPP_TEMPLATE", ""),
		"approved template sent when the 24-hour window has closed, so the person writes again and gets what waits (cloud mode)")
	fs.StringVar(&cc.Cloud.TemplateLang, "whatsapp-template-lang", env("CLAVEBOT_WHATSAPP_TEMPLATE_LANG", cloud.DefaultTemplateLang),
		"language code of --whatsapp-template (cloud mode)")
	fs.StringVar(&cc.Cloud.GraphVersion, "whatsapp-graph-version", env("CLAVEBOT_WHATSAPP_GRAPH_VERSION", cloud.DefaultGraphVersion),
		"Graph API version, like v25.0; Meta serves each about two years (cloud mode)")
}
