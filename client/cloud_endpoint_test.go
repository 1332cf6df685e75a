package client

import (
	"strings"
	"testing"
)

// An --endpoint with a password in it is refused without echoing the
// password, whatever the problem is.
func TestParseEndpointNeverEchoesAPassword(t *testing.T) {
	for _, s := range []string{
		"http://bob:s3cr3tpw@127.0.0.1:9791",
		"ftp://bob:s3cr3tpw@127.0.0.1:9791",
		"http://bob:s3cr3tpw@127.0.0.1:9791/?q=1",
		"http://bob:s3cr3tpw@[::1:9791",
		"http://bob:s3cr3tpw@127.0.0.1:port",
		"http://s3cr3tpw@127.0.0.1:1",
		"bob:s3cr3tpw@127.0.0.1:1",
		"http:/bob:s3cr3tpw@127.0.0.1:1",
		"http:bob:s3cr3tpw@127.0.0.1:1",
		"http://127.0.0.1:1/?k=s3cr3tpw",
		"http://127.0.0.1:1/#s3cr3tpw",
	} {
		_, err := ParseEndpoint(s)
		if err == nil {
			t.Errorf("%s: accepted", s)
			continue
		}
		if strings.Contains(err.Error(), "s3cr3tpw") {
			t.Errorf("the refusal of %s shows the password: %v", s, err)
		}
	}
	if u, err := ParseEndpoint("http://127.0.0.1:9791"); err != nil || u.Path != "/" {
		t.Errorf("a plain endpoint: %v, %v", u, err)
	}
}
