package fnf

import "log/slog"

// Secret holds an AccessKey secret or a security token. Every way of printing it
// (fmt, %#v, JSON, slog) shows "***"; only Reveal gives the value, for signing.
type Secret string

const redacted = "***"

func (Secret) String() string               { return redacted }
func (Secret) GoString() string             { return `"` + redacted + `"` }
func (Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }
func (Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }
func (Secret) LogValue() slog.Value         { return slog.StringValue(redacted) }
func (s Secret) Reveal() string             { return string(s) }
func (s Secret) IsZero() bool               { return s == "" }
