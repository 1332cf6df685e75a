package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/flowtui/flowtui/fnf"
)

func sprintf(format string, a ...any) string { return fmt.Sprintf(format, a...) }

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func logLine(v any) string {
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("creds", "c", v, "secret", fnf.Secret("hunter2"))
	return buf.String()
}
