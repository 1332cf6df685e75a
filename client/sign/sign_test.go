package sign

import (
	"net/url"
	"strings"
	"testing"
)

func values(kv ...string) *Values {
	var v Values
	for i := 0; i < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return &v
}

// The three V2 vectors of the RPC signature documentation (two published by
// Alibaba, one computed for fnf with darabonba and checked independently).
func TestV2Vectors(t *testing.T) {
	tests := []struct {
		name, method string
		query, body  *Values
		wantSTS      string
		want         string
	}{
		{
			name:   "ECS DescribeRegions (published)",
			method: "GET",
			query: values("AccessKeyId", "testid", "Action", "DescribeRegions", "Format", "XML",
				"SignatureMethod", "HMAC-SHA1", "SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
				"SignatureVersion", "1.0", "Timestamp", "2016-02-23T12:46:24Z", "Version", "2014-05-26"),
			body:    values(),
			wantSTS: "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
			want:    "OLeaidS1JvxuMvnyHOwuJ+uX5qY=",
		},
		{
			name:   "ECS DescribeDedicatedHosts (published)",
			method: "GET",
			query: values("AccessKeyId", "testid", "Action", "DescribeDedicatedHosts", "Format", "JSON",
				"RegionId", "cn-beijing", "SignatureMethod", "HMAC-SHA1", "SignatureNonce", "edb2b34af0af9a6d14deaf7c1a5315eb",
				"SignatureVersion", "1.0", "Timestamp", "2023-03-13T08:34:30Z", "Version", "2014-05-26"),
			body: values(),
			want: "9NaGiOspFP5UPcwX8Iwt2YJXXuk=",
		},
		{
			name:   "fnf StartSyncExecution with a form body",
			method: "POST",
			query: values("Action", "StartSyncExecution", "Format", "json", "Version", "2019-03-15",
				"Timestamp", "2024-01-02T03:04:05Z", "SignatureNonce", "5d3c8e1e0f9b4d6a9e2b7c1a0d4f6e8b",
				"SignatureMethod", "HMAC-SHA1", "SignatureVersion", "1.0", "AccessKeyId", "testid"),
			body:    values("FlowName", "my_flow", "Input", `{"status":"ready"}`),
			wantSTS: "POST&%2F&AccessKeyId%3Dtestid%26Action%3DStartSyncExecution%26FlowName%3Dmy_flow%26Format%3Djson%26Input%3D%257B%2522status%2522%253A%2522ready%2522%257D%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D5d3c8e1e0f9b4d6a9e2b7c1a0d4f6e8b%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-02T03%253A04%253A05Z%26Version%3D2019-03-15",
			want:    "6zy1TeI8ZD5+7FKnZvB/fczifuA=",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sts := V2StringToSign(tt.method, tt.query, tt.body)
			if tt.wantSTS != "" && sts != tt.wantSTS {
				t.Fatalf("string to sign:\n got %s\nwant %s", sts, tt.wantSTS)
			}
			if got := V2Sign("testsecret", sts); got != tt.want {
				t.Fatalf("signature %s, want %s", got, tt.want)
			}
		})
	}
}

func TestFormBodyOfTheFnfVector(t *testing.T) {
	body := values("FlowName", "my_flow", "Input", `{"status":"ready"}`)
	if got, want := body.Encode(), "FlowName=my_flow&Input=%7B%22status%22%3A%22ready%22%7D"; got != want {
		t.Fatalf("body %s, want %s", got, want)
	}
}

func TestV3Vectors(t *testing.T) {
	tests := []struct {
		name, ak, secret, body string
		query                  *Values
		headers                []Header
		wantHash, wantSigned   string
		want                   string
	}{
		{
			name: "ECS RunInstances (published)", ak: "YourAccessKeyId", secret: "YourAccessKeySecret",
			query: values("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd", "RegionId", "cn-shanghai"),
			headers: []Header{
				{"Host", "ecs.cn-shanghai.aliyuncs.com"},
				{"x-acs-action", "RunInstances"},
				{"x-acs-version", "2014-05-26"},
				{"x-acs-date", "2023-10-26T10:22:32Z"},
				{"x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"},
				{"x-acs-content-sha256", EmptyPayloadHash},
				{"User-Agent", "ignored"},
			},
			wantHash:   "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259",
			wantSigned: "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version",
			want:       "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
		},
		{
			name: "fnf StartSyncExecution", ak: "testid", secret: "testsecret",
			body:  "FlowName=my_flow&Input=%7B%22status%22%3A%22ready%22%7D",
			query: values(),
			headers: []Header{
				{"host", "cn-hangzhou.fnf.aliyuncs.com"},
				{"x-acs-action", "StartSyncExecution"},
				{"x-acs-version", "2019-03-15"},
				{"x-acs-date", "2024-01-02T03:04:05Z"},
				{"x-acs-signature-nonce", "5d3c8e1e0f9b4d6a9e2b7c1a0d4f6e8b"},
				{"content-type", "application/x-www-form-urlencoded"},
				{"x-acs-content-sha256", "3e98798fa37e6ba3f6897cba777aebdf4f6727033aaf8af9c4b4f8f00187380e"},
			},
			wantHash:   "c1cf969fa22e953b29ecc5ca41097523241f16ee6b821211b7fd0aaf4d390660",
			wantSigned: "content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version",
			want:       "68fd37d51fdeeb7eaa2ff18ec1ab68af3e78474dd601ec81d0fa7040df599e83",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := V3Request{Method: "POST", Query: tt.query, Headers: tt.headers, PayloadHash: HashPayload([]byte(tt.body))}
			canonical, signed := V3Canonical(r)
			if signed != tt.wantSigned {
				t.Fatalf("signed headers %s, want %s", signed, tt.wantSigned)
			}
			if got := V3StringToSign(canonical); got != V3Algorithm+"\n"+tt.wantHash {
				t.Fatalf("string to sign %q, want hash %s\ncanonical:\n%s", got, tt.wantHash, canonical)
			}
			auth := V3Authorization(tt.ak, tt.secret, r)
			want := "ACS3-HMAC-SHA256 Credential=" + tt.ak + ",SignedHeaders=" + tt.wantSigned + ",Signature=" + tt.want
			if auth != want {
				t.Fatalf("authorization\n got %s\nwant %s", auth, want)
			}
		})
	}
}

// reference is the encoding the documentation describes in terms of the standard
// library, written independently of Encode.
func reference(s string) string {
	e := url.QueryEscape(s)
	e = strings.ReplaceAll(e, "+", "%20")
	e = strings.ReplaceAll(e, "*", "%2A")
	return strings.ReplaceAll(e, "%7E", "~")
}

func TestEncodeSpecialCharacters(t *testing.T) {
	for in, want := range map[string]string{
		"a b":      "a%20b",
		"*":        "%2A",
		"~":        "~",
		"+":        "%2B",
		"/=&%":     "%2F%3D%26%25",
		"日":        "%E6%97%A5",
		"A-z_0.9~": "A-z_0.9~",
	} {
		if got := Encode(in); got != want {
			t.Errorf("Encode(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzEncode(f *testing.F) {
	for _, s := range []string{"", "a b*~", `{"k":"v w"}`, "日本\x00\xff", "%2A+"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Encode(s)
		if want := reference(s); got != want {
			t.Fatalf("Encode(%q) = %q, reference %q", s, got, want)
		}
		back, err := url.PathUnescape(got)
		if err != nil || back != s {
			t.Fatalf("round trip of %q: %q, %v", s, back, err)
		}
	})
}

// FuzzCanonical checks that the canonical string holds every parameter exactly
// once, sorted, and decodes back to the same set.
func FuzzCanonical(f *testing.F) {
	f.Add("Action", "StartSyncExecution", "Input", `{"a":"b c"}`, "a", "")
	f.Add("b", "2", "a", "1", "a", "0")
	f.Fuzz(func(t *testing.T, n1, v1, n2, v2, n3, v3 string) {
		set := values(n1, v1, n2, v2)
		other := values(n3, v3)
		c := Canonical(set, other)
		parts := strings.Split(c, "&")
		if len(parts) != 3 {
			t.Fatalf("canonical %q has %d parts, want 3", c, len(parts))
		}
		seen := map[[2]string]int{}
		for _, p := range [][2]string{{n1, v1}, {n2, v2}, {n3, v3}} {
			seen[p]++
		}
		prev := ""
		for _, p := range parts {
			name, value, ok := strings.Cut(p, "=")
			if !ok {
				t.Fatalf("part %q has no '='", p)
			}
			if name < prev {
				t.Fatalf("canonical %q not sorted by name", c)
			}
			prev = name
			dn, err1 := url.PathUnescape(name)
			dv, err2 := url.PathUnescape(value)
			if err1 != nil || err2 != nil {
				t.Fatalf("part %q does not decode", p)
			}
			seen[[2]string{dn, dv}]--
		}
		for p, n := range seen {
			if n != 0 {
				t.Fatalf("canonical %q: parameter %q counted %d times off", c, p, n)
			}
		}
	})
}

func BenchmarkV2SignStartSync1KiB(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"orderId":"A-1001","items":[`)
	for i := 0; sb.Len() < 1000; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(`{"sku":"SKU-12345","qty":2,"price":19.99}`)
	}
	sb.WriteString(`]}`)
	input := sb.String()
	for b.Loop() {
		q := values("Action", "StartSyncExecution", "Format", "JSON", "Version", "2019-03-15",
			"Timestamp", "2024-01-02T03:04:05Z", "SignatureNonce", "5d3c8e1e0f9b4d6a9e2b7c1a0d4f6e8b",
			"SignatureMethod", "HMAC-SHA1", "SignatureVersion", "1.0", "AccessKeyId", "testid")
		body := values("FlowName", "my_flow", "Input", input)
		_ = V2Sign("testsecret", V2StringToSign("POST", q, body))
		_ = body.Encode()
	}
}
