package client

import (
	"context"
	"github.com/flowtui/flowtui/fnf"
	"io"
	"net/http"
	"strings"
	"testing"
)

// cannedTransport answers every request from memory, so that a benchmark
// measures the client's own work: signing, encoding and decoding.
type cannedTransport struct{ body string }

func (c cannedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{
		StatusCode: 200,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(strings.NewReader(c.body)),
		Request:    r,
	}, nil
}

// orderJSON returns a JSON object of about n bytes.
func orderJSON(n int) string {
	var sb strings.Builder
	sb.WriteString(`{"orderId":"A-1001","customer":{"name":"Zhang San","tier":"gold"},"items":[`)
	for i := 0; sb.Len() < n-2; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(`{"sku":"SKU-12345","qty":2,"price":19.99}`)
	}
	sb.WriteString(`]}`)
	return sb.String()
}

// BenchmarkStartSyncExecutionOverhead is the client's cost per call with a
// 1 KiB input and output (budget ≤ 30 µs, see BENCHMARKS.md).
func BenchmarkStartSyncExecutionOverhead(b *testing.B) {
	for _, sig := range []string{SignatureV2, SignatureV3} {
		b.Run(sig, func(b *testing.B) {
			in := orderJSON(1024)
			out := `{"RequestId":"8906582E-6722-409A-A6C4-0E7863B733A5","FlowName":"order","Name":"run:6c0b6a2e-3c1e-4d4f-9e0a-1b2c3d4e5f60",` +
				`"Status":"Succeeded","ErrorCode":"","ErrorMessage":"","Output":` + jsonString(in) +
				`,"StartedTime":"2026-11-25T10:00:00.000Z","StoppedTime":"2026-11-25T10:00:00.132Z"}`
			c, err := NewCloud(Config{
				Endpoint:    "https://cn-hangzhou.fnf.aliyuncs.com",
				Credentials: StaticCredentials{AccessKeyID: "testid", AccessKeySecret: "testsecret"},
				Signature:   sig,
				HTTPClient:  &http.Client{Transport: cannedTransport{out}},
			})
			if err != nil {
				b.Fatal(err)
			}
			req := fnf.SyncRequest{FlowName: "order", Input: in}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				res, err := c.StartSyncExecution(ctx, req)
				if err != nil || res.Status != fnf.StatusSucceeded {
					b.Fatal(err)
				}
			}
		})
	}
}
