package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowtui/flowtui/client/fnftest"
)

func TestARedactedValueIsNotStoredByWayOfASignatureError(t *testing.T) {
	srv := newFake(t, fnftest.WithKey(fnftest.DefaultAccessKeyID, "not-the-secret-we-sign-with"), expressFlow)
	db := filepath.Join(t.TempDir(), "h.db")
	const password = "s3cr3t-p@ss w0rd"
	code, stdout, stderr := runCLI(t, "run", "my_flow", "--endpoint", srv.URL, "--history", db,
		"--input", `{"user":"bob","password":"`+password+`"}`)
	wantCode(t, code, 3, stdout, stderr)
	wantContains(t, "stderr", stderr, "SignatureNotMatch")
	code, stdout, stderr = runCLI(t, "history", "export", "--history", db)
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "export", stdout, "SignatureNotMatch", "string to sign", "bob")
	for _, leak := range []string{"s3cr3t", "p%40ss", "p%2540ss"} {
		if strings.Contains(stdout, leak) {
			t.Errorf("history export holds %q:\n%s", leak, stdout)
		}
	}
}
