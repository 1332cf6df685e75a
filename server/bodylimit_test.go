package server

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// bigSizes are request bodies well past the 1 MiB limit: a client still
// sending when the answer is ready must receive it all the same.
var bigSizes = []int{2 << 20, 8 << 20, 64 << 20}

// A body over the limit is answered 400 EntityTooLarge whatever its size,
// whether the client reads while it sends (net/http) or only after (a raw
// writer); never a reset connection. Limits:
// https://help.aliyun.com/en/document_detail/122093.html (request size 1,024 KiB).
func TestABodyOfAnySizeIsAnsweredEntityTooLarge(t *testing.T) {
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	ts, _, _ := serve(t, Config{}, ctx)
	for _, size := range bigSizes {
		t.Run(fmt.Sprintf("net/http %d MiB", size>>20), func(t *testing.T) {
			// Refused before the signature is checked: none is needed.
			body := "FlowName=order-routing&Input=" + strings.Repeat("x", size)
			req, err := http.NewRequest(http.MethodPost, ts.URL+"/?Action=StartSyncExecution&Version="+fnf.APIVersion, strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", formType)
			a, err := ts.try(req)
			if err != nil {
				t.Fatal(err)
			}
			wantError(t, a, http.StatusBadRequest, fnf.CodeEntityTooLarge, "1048576 bytes")
		})
		for _, chunked := range []bool{false, true} {
			name := fmt.Sprintf("raw writer %d MiB", size>>20)
			if chunked {
				name += " chunked"
			}
			t.Run(name, func(t *testing.T) {
				a := rawPost(t, ts.host, size, chunked)
				wantError(t, a, http.StatusBadRequest, fnf.CodeEntityTooLarge, "1048576 bytes")
			})
		}
	}
	t.Run("net/http 64 MiB with Expect: 100-continue", func(t *testing.T) {
		// Refused from the headers: the client is not told to continue, and
		// the body is never sent.
		body := &countingReader{r: strings.NewReader(strings.Repeat("x", 64<<20))}
		req, err := http.NewRequest(http.MethodPost, ts.URL+"/?Action=StartSyncExecution&Version="+fnf.APIVersion, body)
		if err != nil {
			t.Fatal(err)
		}
		req.ContentLength = 64 << 20
		req.Header.Set("Content-Type", formType)
		req.Header.Set("Expect", "100-continue")
		hc := &http.Client{Transport: &http.Transport{ExpectContinueTimeout: 10 * time.Second}, Timeout: 30 * time.Second}
		a, err := (&testServer{hc: hc}).try(req)
		if err != nil {
			t.Fatal(err)
		}
		wantError(t, a, http.StatusBadRequest, fnf.CodeEntityTooLarge, "1048576 bytes")
		if body.n > 0 {
			t.Errorf("%d bytes of the body were sent", body.n)
		}
	})
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// rawPost writes a whole request of a size-byte form body and only then
// reads the answer, as a naive client does.
func rawPost(t *testing.T, host string, size int, chunked bool) answer {
	t.Helper()
	c, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	w := bufio.NewWriterSize(c, 64<<10)
	fmt.Fprintf(w, "POST /?Action=StartSyncExecution&Version=%s HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\n", fnf.APIVersion, host, formType)
	if chunked {
		fmt.Fprint(w, "Transfer-Encoding: chunked\r\n\r\n")
	} else {
		fmt.Fprintf(w, "Content-Length: %d\r\n\r\n", size)
	}
	chunk := []byte(strings.Repeat("x", 32<<10))
	for sent := 0; sent < size; sent += len(chunk) {
		if chunked {
			fmt.Fprintf(w, "%x\r\n", len(chunk))
		}
		if _, err := w.Write(chunk); err != nil {
			t.Fatalf("writing the body, %d bytes sent: %v", sent, err)
		}
		if chunked {
			w.WriteString("\r\n")
		}
	}
	if chunked {
		w.WriteString("0\r\n\r\n")
	}
	if err := w.Flush(); err != nil {
		t.Fatalf("writing the body: %v", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	a := readAnswer(t, resp)
	if !resp.Close {
		t.Error("the answer keeps the connection open though the body was not all read")
	}
	io.Copy(io.Discard, c)
	return a
}

// Past MaxHeaderBytes the request line and headers are not even parsed;
// the answer is the same 400 EntityTooLarge, in the service's body, with its
// request id, and it is logged.
func TestAQueryStringOfAnySizeIsAnsweredEntityTooLarge(t *testing.T) {
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var logged safeBuffer
	ts, _, _ := serve(t, Config{Log: &logged}, ctx)
	// Just over the limit, still parsed; then past what is parsed at all.
	for _, size := range append([]int{MaxRequestBytes + 1}, bigSizes...) {
		query := "/?Action=ListFlows&Version=" + fnf.APIVersion + "&Pad=" + strings.Repeat("x", size)
		t.Run(fmt.Sprintf("net/http %d bytes", size), func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, ts.URL+query, nil)
			if err != nil {
				t.Fatal(err)
			}
			a, err := ts.try(req)
			if err != nil {
				t.Fatal(err)
			}
			wantError(t, a, http.StatusBadRequest, fnf.CodeEntityTooLarge, "1048576 bytes")
		})
		t.Run(fmt.Sprintf("raw writer %d bytes", size), func(t *testing.T) {
			c, err := net.Dial("tcp", ts.host)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(30 * time.Second))
			if _, err := fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", query, ts.host); err != nil {
				t.Fatalf("writing the request: %v", err)
			}
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatalf("reading the answer: %v", err)
			}
			wantError(t, readAnswer(t, resp), http.StatusBadRequest, fnf.CodeEntityTooLarge, "1048576 bytes")
		})
	}
	if n := strings.Count(logged.String(), "status=400 code=EntityTooLarge"); n != 2+2*len(bigSizes) {
		t.Errorf("%d requests logged as EntityTooLarge, want %d:\n%s", n, 2+2*len(bigSizes), logged.String())
	}
}
