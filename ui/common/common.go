// Package common is the shared state every pane gets: styles, global keys, the
// clock and the logger. It is passed in, never global.
package common

import (
	"log/slog"
	"time"

	"github.com/flowtui/flowtui/ui/keys"
	"github.com/flowtui/flowtui/ui/theme"
)

// Common is handed to every pane's constructor.
type Common struct {
	Styles *theme.Styles
	Keys   keys.Global
	Now    func() time.Time
	Log    *slog.Logger
}

// New returns a Common with default keys, the given styles, real time and a
// discarding logger.
func New(styles *theme.Styles) *Common {
	return &Common{Styles: styles, Keys: keys.DefaultGlobal(), Now: time.Now, Log: slog.New(slog.DiscardHandler)}
}
