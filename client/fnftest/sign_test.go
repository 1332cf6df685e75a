package fnftest

import (
	"net/url"
	"testing"
)

// Published Alibaba Cloud vectors, checked against the verifier's own
// functions.

func TestV2VectorDescribeRegions(t *testing.T) {
	p := url.Values{
		"AccessKeyId":      {"testid"},
		"Action":           {"DescribeRegions"},
		"Format":           {"XML"},
		"SignatureMethod":  {"HMAC-SHA1"},
		"SignatureNonce":   {"3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
		"SignatureVersion": {"1.0"},
		"Timestamp":        {"2016-02-23T12:46:24Z"},
		"Version":          {"2014-05-26"},
	}
	sts := v2StringToSign("GET", p)
	wantSTS := "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
	if sts != wantSTS {
		t.Errorf("string to sign\n got %s\nwant %s", sts, wantSTS)
	}
	if got, want := v2Sign("testsecret", sts), "OLeaidS1JvxuMvnyHOwuJ+uX5qY="; got != want {
		t.Errorf("signature %s, want %s", got, want)
	}
}

func TestV2VectorStartSyncExecution(t *testing.T) {
	p := url.Values{ // query and form body merged
		"Action":           {"StartSyncExecution"},
		"Format":           {"json"},
		"Version":          {"2019-03-15"},
		"Timestamp":        {"2024-01-02T03:04:05Z"},
		"SignatureNonce":   {"5d3c8e1e0f9b4d6a9e2b7c1a0d4f6e8b"},
		"SignatureMethod":  {"HMAC-SHA1"},
		"SignatureVersion": {"1.0"},
		"AccessKeyId":      {"testid"},
		"FlowName":         {"my_flow"},
		"Input":            {`{"status":"ready"}`},
	}
	if got, want := v2Sign("testsecret", v2StringToSign("POST", p)), "6zy1TeI8ZD5+7FKnZvB/fczifuA="; got != want {
		t.Errorf("signature %s, want %s", got, want)
	}
}

func TestV3VectorRunInstances(t *testing.T) {
	const empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if got := sha256Hex(nil); got != empty {
		t.Fatalf("empty body hash %s", got)
	}
	q := url.Values{
		"ImageId":  {"win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"},
		"RegionId": {"cn-shanghai"},
	}
	h := map[string]string{
		"host":                  "ecs.cn-shanghai.aliyuncs.com",
		"x-acs-action":          "RunInstances",
		"x-acs-version":         "2014-05-26",
		"x-acs-date":            "2023-10-26T10:22:32Z",
		"x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d",
		"x-acs-content-sha256":  empty,
	}
	signed := []string{"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"}
	checkV3(t, "POST", q, h, signed, "YourAccessKeySecret",
		"7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259",
		"06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0")
}

func TestV3VectorStartSyncExecution(t *testing.T) {
	body := `FlowName=my_flow&Input=%7B%22status%22%3A%22ready%22%7D`
	sum := sha256Hex([]byte(body))
	if sum != "3e98798fa37e6ba3f6897cba777aebdf4f6727033aaf8af9c4b4f8f00187380e" {
		t.Fatalf("body hash %s", sum)
	}
	h := map[string]string{
		"content-type":          "application/x-www-form-urlencoded",
		"host":                  "cn-hangzhou.fnf.aliyuncs.com",
		"x-acs-action":          "StartSyncExecution",
		"x-acs-version":         "2019-03-15",
		"x-acs-date":            "2024-01-02T03:04:05Z",
		"x-acs-signature-nonce": "5d3c8e1e0f9b4d6a9e2b7c1a0d4f6e8b",
		"x-acs-content-sha256":  sum,
	}
	signed := []string{"content-type", "host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"}
	checkV3(t, "POST", nil, h, signed, "testsecret",
		"c1cf969fa22e953b29ecc5ca41097523241f16ee6b821211b7fd0aaf4d390660",
		"68fd37d51fdeeb7eaa2ff18ec1ab68af3e78474dd601ec81d0fa7040df599e83")
}

func checkV3(t *testing.T, method string, q url.Values, h map[string]string, signed []string, secret, wantCRHash, wantSig string) {
	t.Helper()
	cr := v3CanonicalRequest(method, q, h, signed, h["x-acs-content-sha256"])
	if got := sha256Hex([]byte(cr)); got != wantCRHash {
		t.Errorf("hash(CanonicalRequest) %s, want %s\n%s", got, wantCRHash, cr)
	}
	sts := v3StringToSign(cr)
	if want := "ACS3-HMAC-SHA256\n" + wantCRHash; sts != want {
		t.Errorf("string to sign %q, want %q", sts, want)
	}
	if got := v3Sign(secret, sts); got != wantSig {
		t.Errorf("signature %s, want %s", got, wantSig)
	}
}

func TestPercentEncode(t *testing.T) {
	for in, want := range map[string]string{
		"AZaz09-_.~": "AZaz09-_.~",
		"a b":        "a%20b",
		"a+b*c":      "a%2Bb%2Ac",
		"/:=&":       "%2F%3A%3D%26",
		"é":          "%C3%A9",
	} {
		if got := percentEncode(in); got != want {
			t.Errorf("percentEncode(%q) = %q, want %q", in, got, want)
		}
	}
	got := canonicalQuery(url.Values{"b": {""}, "a": {"2", "1"}})
	if want := "a=1&a=2&b="; got != want {
		t.Errorf("canonicalQuery = %q, want %q", got, want)
	}
}

func TestValidExecutionName(t *testing.T) {
	long := "a"
	for len(long) < 128 {
		long += "b"
	}
	for n, want := range map[string]bool{
		"run_1": true, "_x-y": true, long: true, long + "c": false,
		"": false, "1abc": false, "-a": false, "a:b": false, "a b": false,
	} {
		if got := validExecutionName(n); got != want {
			t.Errorf("validExecutionName(%q) = %v", n, got)
		}
	}
}
