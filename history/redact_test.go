package history

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/client/sign"
	"github.com/flowtui/flowtui/fnf"
)

func TestRedact(t *testing.T) {
	r := newRedactor([]string{"password", "Token", " apiKey "})
	cases := []struct{ name, in, want string }{
		{"no keys", `{"a": 1,  "b": [true, null]}`, `{"a": 1,  "b": [true, null]}`},
		{"top level", `{"password":"hunter2","user":"bob"}`, `{"password":"***","user":"bob"}`},
		{"case-insensitive", `{"PassWord": "x", "TOKEN": 12}`, `{"PassWord": "***", "TOKEN": "***"}`},
		{"trimmed key", `{"apikey":"k"}`, `{"apikey":"***"}`},
		{"deep", `{"a":{"b":[{"c":{"token":{"nested":true}}}]}}`, `{"a":{"b":[{"c":{"token":"***"}}]}}`},
		{"arrays and objects as values", `{"token":[1,2],"password":{"x":"y"},"n":1}`, `{"token":"***","password":"***","n":1}`},
		{"formatting kept", "{\n  \"password\" :  \"p\",\n  \"ok\": \"<&>\"\n}", "{\n  \"password\" :  \"***\",\n  \"ok\": \"<&>\"\n}"},
		{"whole key only", `{"passwordHint":"a pet","tokens":3}`, `{"passwordHint":"a pet","tokens":3}`},
		{"value named like a key", `{"field":"password","password":"p"}`, `{"field":"password","password":"***"}`},
		{"escaped key", `{"pass\u0077ord":"p"}`, `{"pass\u0077ord":"***"}`},
		{"unicode fold", `{"TOKEN":"ok","toKen":"x"}`, `{"TOKEN":"***","toKen":"***"}`},
		{"json in a string", `{"body":"{\"password\":\"p\",\"q\":1}"}`, `{"body":"{\"password\":\"***\",\"q\":1}"}`},
		{"top-level array", `[{"token":"t"},{"x":"token"}]`, `[{"token":"***"},{"x":"token"}]`},
		{"invalid kept as is", `{"password": "p"`, `{"password": "p"`},
		{"not json", `password=p`, `password=p`},
		{"empty", ``, ``},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := r.text(c.in); got != c.want {
				t.Errorf("redact(%s)\n got %s\nwant %s", c.in, got, c.want)
			}
		})
	}
	if got := newRedactor(nil).text(`{"password":"p"}`); got != `{"password":"p"}` {
		t.Errorf("no keys: %s", got)
	}
}

func TestRedactTrace(t *testing.T) {
	steps := []fnf.Step{{State: "Login", Type: "Task", Input: `{"user":"bob","Password":"hunter2"}`,
		Output: `{"token":"abc"}`, Attempt: 1, Start: t0, Duration: time.Millisecond}}
	b, _ := json.Marshal(steps)
	out := newRedactor(DefaultRedactKeys()).text(string(b))
	if strings.Contains(out, "hunter2") || strings.Contains(out, "abc") {
		t.Fatalf("secret left in trace: %s", out)
	}
	var got []fnf.Step
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("redacted trace is not JSON: %v\n%s", err, out)
	}
	if got[0].Input != `{"user":"bob","Password":"***"}` || got[0].Output != `{"token":"***"}` || got[0].State != "Login" {
		t.Errorf("trace step = %+v", got[0])
	}
}

func TestAddRedacts(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{Redact: []string{"password", "secret"}})
	r := sampleRun("a", 1)
	r.Input = `{"user":"bob","auth":{"Password":"hunter2"}}`
	r.Output = `{"items":[{"SECRET":"s3"}],"ok":true}`
	r.Trace = `[{"State":"S","Input":"{\"password\":\"hunter2\"}"}]`
	id := mustAdd(t, s, r)
	got, err := s.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Input != `{"user":"bob","auth":{"Password":"***"}}` || got.Output != `{"items":[{"SECRET":"***"}],"ok":true}` ||
		got.Trace != `[{"State":"S","Input":"{\"password\":\"***\"}"}]` {
		t.Errorf("stored:\n%s\n%s\n%s", got.Input, got.Output, got.Trace)
	}
	if got.InputBytes != len(r.Input) {
		t.Errorf("InputBytes = %d, want the size as run, %d", got.InputBytes, len(r.Input))
	}
	// Secrets are not searchable either: they were never stored.
	if l, _ := s.List(ctx, Filter{Search: "hunter2"}); len(l) != 0 {
		t.Errorf("search finds the masked value in %v", ids(l))
	}
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM run_bodies WHERE input || output || trace LIKE '%hunter2%'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("secret stored in %d bodies (%v)", n, err)
	}
}

func TestRedactedValuesAreMaskedInErrorMessagesInEveryForm(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	input := `{"user":"bob","password":"hunter2 & co/ü","apiKey":"k9"}`
	once := url.QueryEscape(input)
	// A V2 string to sign quotes the request's parameters, encoded twice.
	twice := sign.Encode("Input=" + sign.Encode(input))
	forms := []string{
		"SignatureNotMatch: server string to sign is:POST&%2F&" + twice,
		"rejected: Input=" + once,
		`decoding {"Input":` + strconv.Quote(input) + `}`,
		"note: bob typed hunter2 & co/ü",
	}
	for _, msg := range forms {
		r := sampleRun("sig", 1)
		r.Input, r.Status, r.ErrorCode, r.ErrorMessage = input, fnf.StatusError, "SignatureNotMatch", msg
		r.Trace = `[{"State":"S","Error":` + strconv.Quote(msg) + `}]`
		got, err := s.Get(ctx, mustAdd(t, s, r))
		if err != nil {
			t.Fatal(err)
		}
		for _, text := range []string{got.ErrorMessage, got.Trace, got.Input} {
			for _, secret := range []string{"hunter2", "hunter2%2520", "hunter2+%26", `"k9"`, "%2522k9%2522"} {
				if strings.Contains(text, secret) {
					t.Errorf("stored text holds %q:\n%s", secret, text)
				}
			}
		}
		if !strings.Contains(got.ErrorMessage, "bob") {
			t.Errorf("stored message %q lost what is not secret", got.ErrorMessage)
		}
	}
}
