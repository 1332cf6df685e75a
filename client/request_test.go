package client

import (
	"context"
	"github.com/flowtui/flowtui/fnf"
	"net/http"
	"testing"

	"github.com/flowtui/flowtui/client/fnftest"
)

// Every request names its action and version in the x-acs-action and
// x-acs-version headers, whatever the signature, as the official clients do
// (darabonba-openapi's DoRPCRequest sends them with the V2 signature too;
// https://help.aliyun.com/en/sdk/product-overview/rpc-mechanism). A V2
// signature covers no header, so it still verifies.
func TestEveryRequestNamesItsActionAndVersionInHeaders(t *testing.T) {
	for _, sig := range []string{SignatureV2, SignatureV3} {
		t.Run(sig, func(t *testing.T) {
			srv := fnftest.New(t, fnftest.WithFlows(fnftest.Flow{Name: "order", ExecutionMode: "Express"}))
			c, _ := newTestCloud(t, srv, func(c *Config) { c.Signature = sig })
			ctx := context.Background()
			if _, err := c.DescribeFlow(ctx, "order"); err != nil {
				t.Fatal(err)
			}
			if _, err := c.StartSyncExecution(ctx, fnf.SyncRequest{FlowName: "order", Input: `{}`}); err != nil {
				t.Fatal(err)
			}
			reqs := srv.Requests()
			if len(reqs) != 2 {
				t.Fatalf("%d requests, want 2", len(reqs))
			}
			for i, want := range []struct{ action, method string }{{"DescribeFlow", http.MethodGet}, {"StartSyncExecution", http.MethodPost}} {
				r := reqs[i]
				if r.Method != want.method || r.SignatureVersion != sig || !r.Verified {
					t.Fatalf("request %d: %s %s verified %v, want a verified %s %s", i, r.Method, r.SignatureVersion, r.Verified, sig, want.method)
				}
				if got := r.Header.Values("x-acs-action"); len(got) != 1 || got[0] != want.action {
					t.Errorf("%s: x-acs-action %q, want %q", want.action, got, want.action)
				}
				if got := r.Header.Values("x-acs-version"); len(got) != 1 || got[0] != fnf.APIVersion {
					t.Errorf("%s: x-acs-version %q, want %q", want.action, got, fnf.APIVersion)
				}
			}
		})
	}
}
