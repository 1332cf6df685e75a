package client

import (
	"context"
	"encoding/json"
	"errors"
	"github.com/flowtui/flowtui/fnf"
	"strings"
	"testing"

	"github.com/flowtui/flowtui/client/fnftest"
)

type failingProvider struct{}

func (failingProvider) Credentials() (Credentials, error) {
	return Credentials{}, &fnf.SetupError{Offset: -1, Msg: "credentials from somewhere: no key (nothing was sent)"}
}

func TestCredentialsThatCannotBeHadAreNotAnUnknownOutcome(t *testing.T) {
	srv := fnftest.New(t)
	c, _ := newTestCloud(t, srv, func(cfg *Config) { cfg.Credentials = failingProvider{} })
	_, err := c.StartSyncExecution(context.Background(), fnf.SyncRequest{FlowName: "f", Input: `{}`})
	var uo *fnf.UnknownOutcomeError
	if !fnf.IsSetupError(err) || errors.As(err, &uo) {
		t.Fatalf("err = %v (%T), want a *SetupError and no unknown outcome", err, err)
	}
	if n := srv.Count(""); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}

func TestJSONSetupErrorNamesThePlaceAndTypeButNoValue(t *testing.T) {
	data := []byte("{\n  \"profiles\": [{\"name\": \"a\", \"expired_seconds\": 1e999, \"access_key_id\": 42}]\n}")
	var cfg cliConfig
	err := fnf.JSONSetupError("config.json", data, json.Unmarshal(data, &cfg))
	if err.Field != "profiles.expired_seconds" || !strings.Contains(err.Msg, "must be an integer, not a number") {
		t.Fatalf("got %+v", err)
	}
	if strings.Contains(err.Error(), "1e999") || err.Line != 2 {
		t.Fatalf("message %q, line %d", err.Error(), err.Line)
	}

	data = []byte(`{"current": "dev", "profiles": [{"name": "dev", "access_key_secret": Xsecret}]}`)
	msg := fnf.JSONSetupError("config.json", data, json.Unmarshal(data, &cfg)).Error()
	if strings.Contains(msg, "'X'") || !strings.Contains(msg, "config.json:1:70 (byte 69)") {
		t.Fatalf("syntax error message %q", msg)
	}
}

func TestJSONSetupErrorPointsAtTheStartOfTheValue(t *testing.T) {
	type doc struct {
		A string `json:"a"`
		N int    `json:"n"`
	}
	for in, col := range map[string]int{
		`{"a": 123}`: 7, `{"a": {"x":1}}`: 7, `{"a": [1,2]}`: 7, `{"n": "str\"x"}`: 7, `{"a": true}`: 7, `{"n": -1.5e3}`: 7,
	} {
		var d doc
		se := fnf.JSONSetupError("f.json", []byte(in), json.Unmarshal([]byte(in), &d))
		if se.Line != 1 || se.Column != col || se.Offset != int64(col-1) {
			t.Errorf("%s: at %d:%d (byte %d), want 1:%d", in, se.Line, se.Column, se.Offset, col)
		}
	}
}
