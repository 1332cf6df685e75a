package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowtui/flowtui/client/fnftest"
)

// cliConfig is an aliyun CLI ~/.aliyun/config.json with two AK profiles.
const cliConfig = `{
  "current": "dev",
  "profiles": [
    {"name": "dev", "mode": "AK", "access_key_id": "testid", "access_key_secret": "testsecret", "region_id": "cn-shanghai"},
    {"name": "other", "mode": "AK", "access_key_id": "otherid", "access_key_secret": "othersecret", "region_id": "ap-southeast-1"}
  ]
}
`

// twoKeys is a fake that knows both keys of cliConfig.
func twoKeys() []fnftest.Option {
	return []fnftest.Option{
		fnftest.WithKey("testid", "testsecret"), fnftest.WithKey("otherid", "othersecret"), expressFlow,
	}
}

// wantSignedBy checks that every request arrived verified, signed by keyID.
func wantSignedBy(t *testing.T, srv *fnftest.Server, keyID string) {
	t.Helper()
	reqs := srv.Requests()
	if len(reqs) == 0 {
		t.Fatal("no request arrived")
	}
	for i, r := range reqs {
		if r.AccessKeyID != keyID || !r.Verified {
			t.Errorf("request %d (%s): AccessKeyId %q, verified %v; want %q, verified", i, r.Action, r.AccessKeyID, r.Verified, keyID)
		}
	}
}

func TestNoCredentialsExitsTwoAndSendsNothing(t *testing.T) {
	isolate(t)
	srv := fnftest.New(t, expressFlow)

	for _, args := range [][]string{{"flows"}, {"flows", "--json"}, {"run", "my_flow"}} {
		code, stdout, stderr := runCLI(t, append(args, "--endpoint", srv.URL)...)
		wantCode(t, code, 2, stdout, stderr)
		wantContains(t, "stderr", stderr+stdout, "no Alibaba Cloud credentials found", "ALIBABA_CLOUD_ACCESS_KEY_ID")
	}
	if n := srv.Count(""); n != 0 {
		t.Errorf("%d requests were sent without credentials", n)
	}
}

func TestCredentialsFromEnvironment(t *testing.T) {
	srv := newFake(t, expressFlow)

	code, stdout, stderr := runCLI(t, "flows", "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "stdout", stdout, "my_flow")
	wantSignedBy(t, srv, "testid")
}

func TestEnvironmentKeyWithoutSecretIsRefused(t *testing.T) {
	srv := newFake(t, expressFlow)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "")

	code, stdout, stderr := runCLI(t, "flows", "--endpoint", srv.URL)
	wantCode(t, code, 2, stdout, stderr)
	wantContains(t, "stderr", stderr, "ALIBABA_CLOUD_ACCESS_KEY_SECRET")
	if srv.Count("") != 0 {
		t.Error("a request was sent")
	}
}

func TestSecurityTokenFromEnvironmentIsSent(t *testing.T) {
	srv := newFake(t, fnftest.WithSecurityToken("sts-token-value"), expressFlow)
	t.Setenv("ALIBABA_CLOUD_SECURITY_TOKEN", "sts-token-value")

	code, stdout, stderr := runCLI(t, "run", "my_flow", "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	wantSignedBy(t, srv, "testid")
	if got := srv.Requests()[0].SecurityToken; got != "sts-token-value" {
		t.Errorf("SecurityToken = %q", got)
	}
}

func TestMissingSecurityTokenIsRefusedByTheService(t *testing.T) {
	srv := newFake(t, fnftest.WithSecurityToken("sts-token-value"), expressFlow)

	code, stdout, stderr := runCLI(t, "flows", "--endpoint", srv.URL)
	wantCode(t, code, 3, stdout, stderr)
	wantContains(t, "stderr", stderr, "InvalidSecurityToken", "HTTP 403", "what to do:")
}

func TestCredentialsFromAliyunCLIProfile(t *testing.T) {
	home := isolate(t)
	writeFile(t, home, ".aliyun/config.json", cliConfig)
	srv := fnftest.New(t, twoKeys()...)

	code, stdout, stderr := runCLI(t, "run", "my_flow", "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	wantSignedBy(t, srv, "testid")
}

func TestProfileFlagSelectsAnotherProfile(t *testing.T) {
	home := isolate(t)
	writeFile(t, home, ".aliyun/config.json", cliConfig)
	srv := fnftest.New(t, twoKeys()...)

	code, stdout, stderr := runCLI(t, "flows", "--profile", "other", "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	wantSignedBy(t, srv, "otherid")
}

func TestProfileFromEnvironmentVariable(t *testing.T) {
	home := isolate(t)
	writeFile(t, home, ".aliyun/config.json", cliConfig)
	t.Setenv("ALIBABA_CLOUD_PROFILE", "other")
	srv := fnftest.New(t, twoKeys()...)

	code, stdout, stderr := runCLI(t, "describe", "my_flow", "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	wantSignedBy(t, srv, "otherid")
}

func TestMissingProfileExitsTwoNamingIt(t *testing.T) {
	home := isolate(t)
	writeFile(t, home, ".aliyun/config.json", cliConfig)
	srv := fnftest.New(t, twoKeys()...)

	code, stdout, stderr := runCLI(t, "flows", "--profile", "missing", "--endpoint", srv.URL)
	wantCode(t, code, 2, stdout, stderr)
	wantContains(t, "stderr", stderr, `"missing"`, "dev", "other")
	if srv.Count("") != 0 {
		t.Error("a request was sent")
	}
}

func TestInvalidCLIConfigGivesLineAndColumnWithoutQuotingTheFile(t *testing.T) {
	home := isolate(t)
	path := writeFile(t, home, ".aliyun/config.json",
		"{\n  \"current\": \"dev\",\n  \"profiles\": [{\"name\": \"dev\", \"access_key_secret\": \"testsecret\" \"x\"}]\n}\n")
	srv := fnftest.New(t, expressFlow)

	code, stdout, stderr := runCLI(t, "flows", "--endpoint", srv.URL)
	if code == 0 {
		t.Fatalf("exit 0 with an invalid config.json\n%s", stderr)
	}
	wantContains(t, "stderr", stderr, path+":3:66", "not valid JSON")
	if strings.Contains(stderr, "profiles") || strings.Contains(stderr, "access_key") {
		t.Errorf("stderr quotes the file:\n%s", stderr)
	}
	if srv.Count("") != 0 {
		t.Error("a request was sent")
	}
	// version reports the same problem without failing or quoting.
	code, stdout, stderr = runCLI(t, "version")
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "version", stdout, "credentials:", "config.json:3:66")
}

func TestCredentialsFromAlibabaCloudCredentialsFile(t *testing.T) {
	home := isolate(t)
	writeFile(t, home, ".alibabacloud/credentials",
		"[default]\ntype = access_key\naccess_key_id = testid\naccess_key_secret = testsecret\n")
	srv := fnftest.New(t, expressFlow)

	code, stdout, stderr := runCLI(t, "describe", "my_flow", "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	wantSignedBy(t, srv, "testid")

	code, stdout, stderr = runCLI(t, "version")
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "version", stdout, filepath.Join(home, ".alibabacloud", "credentials"), "cn-hangzhou")
}

func TestVersionSaysWhereCredentialsAndRegionComeFrom(t *testing.T) {
	home := isolate(t)
	writeFile(t, home, ".aliyun/config.json", cliConfig)
	srv := fnftest.New(t, twoKeys()...)

	code, stdout, stderr := runCLI(t, "version")
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "version", stdout, "flowtui ", `profile "dev"`, filepath.Join(home, ".aliyun", "config.json"),
		"mode AK", "cn-shanghai", "https://cn-shanghai.fnf.aliyuncs.com")

	code, stdout, stderr = runCLI(t, "version", "--region", "eu-central-1", "--profile", "other", "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "version", stdout, `profile "other"`, "eu-central-1", srv.URL)
	if strings.Contains(stdout, "ap-southeast-1") {
		t.Errorf("--region did not override the profile's region:\n%s", stdout)
	}

	t.Setenv("ALIBABA_CLOUD_REGION_ID", "us-west-1")
	code, stdout, stderr = runCLI(t, "version")
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "version", stdout, "us-west-1")

	if srv.Count("") != 0 {
		t.Error("version contacted the endpoint")
	}
}

func TestVersionWithEnvironmentAndNoCredentials(t *testing.T) {
	isolate(t)
	code, stdout, stderr := runCLI(t, "version")
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "version", stdout, "no Alibaba Cloud credentials found")

	envKeys(t)
	code, stdout, stderr = runCLI(t, "version")
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "version", stdout, "environment", "cn-hangzhou")
}

func TestSignatureV3WorksEndToEnd(t *testing.T) {
	srv := newFake(t, expressFlow)

	for _, args := range [][]string{{"flows"}, {"describe", "my_flow"}, {"run", "my_flow", "--input", `{"a":1}`}} {
		code, stdout, stderr := runCLI(t, append(args, "--signature", "v3", "--endpoint", srv.URL)...)
		wantCode(t, code, 0, stdout, stderr)
	}
	reqs := srv.Requests()
	if len(reqs) != 4 { // ListFlows; DescribeFlow; DescribeFlow and StartSyncExecution
		t.Fatalf("%d requests, want 4", len(reqs))
	}
	for i, r := range reqs {
		if r.SignatureVersion != "v3" || !r.Verified || r.AccessKeyID != "testid" {
			t.Errorf("request %d (%s): signature %s, verified %v, key %q", i, r.Action, r.SignatureVersion, r.Verified, r.AccessKeyID)
		}
	}
	if got := firstStart(t, srv).Params.Get("Input"); got != `{"a":1}` {
		t.Errorf("v3 run sent Input %q", got)
	}
}

func TestSignatureV3WithSecurityToken(t *testing.T) {
	srv := newFake(t, fnftest.WithSecurityToken("sts-token-value"), expressFlow)
	t.Setenv("ALIBABA_CLOUD_SECURITY_TOKEN", "sts-token-value")

	code, stdout, stderr := runCLI(t, "run", "my_flow", "--signature", "v3", "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	if r := srv.Requests()[0]; r.SignatureVersion != "v3" || !r.Verified || r.SecurityToken != "sts-token-value" {
		t.Errorf("request: %+v", r)
	}
}

func TestDebugLogHasActionsAndStatusesButNoSecrets(t *testing.T) {
	srv := newFake(t, fnftest.WithSecurityToken("sts-token-value"), expressFlow)
	t.Setenv("ALIBABA_CLOUD_SECURITY_TOKEN", "sts-token-value")
	srv.FailNextCode("DescribeFlow", 1, 404, "FlowNotExists", "Flow nope does not exist.")
	srv.ResetNext("StartSyncExecution", 1)
	log := filepath.Join(t.TempDir(), "debug.log")

	code, stdout, stderr := runCLI(t, "flows", "--debug", log, "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	code, stdout, stderr = runCLI(t, "describe", "nope", "--debug", log, "--signature", "v3", "--endpoint", srv.URL)
	wantCode(t, code, 3, stdout, stderr)
	code, stdout, stderr = runCLI(t, "run", "my_flow", "--debug", log, "--endpoint", srv.URL)
	wantCode(t, code, 3, stdout, stderr)

	fi, err := os.Stat(log)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("debug log mode %v, want 0600", perm)
	}
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	wantContains(t, "the debug log", text, "ListFlows", "DescribeFlow", "StartSyncExecution", "status=200", "status=404")
	for _, bad := range append(secrets, "Signature=", "Authorization") {
		if strings.Contains(text, bad) {
			t.Errorf("the debug log contains %q:\n%s", bad, text)
		}
	}
}
