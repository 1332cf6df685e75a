package client

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cleanEnv gives the test an empty HOME and none of the variables the
// credential chain reads; the metadata service stays off.
func cleanEnv(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	for _, k := range []string{
		"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN",
		"ALIBABA_CLOUD_PROFILE", "ALIBABA_CLOUD_REGION_ID", "ALIBABA_CLOUD_CONFIG_FILE",
		"ALIBABA_CLOUD_CREDENTIALS_FILE", "ALIBABA_CLOUD_IGNORE_PROFILE", "ALIBABA_CLOUD_CLI_PROFILE_DISABLED",
	} {
		t.Setenv(k, "")
	}
	return home
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

const cliConfigJSON = `{
  "current": "dev",
  "profiles": [
    {"name": "dev", "mode": "AK", "access_key_id": "dev-id", "access_key_secret": "dev-secret", "region_id": "cn-shanghai"},
    {"name": "sts", "mode": "StsToken", "access_key_id": "sts-id", "access_key_secret": "sts-secret", "sts_token": "sts-token", "region_id": "cn-beijing"},
    {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "role"}
  ]
}`

func mustResolve(t *testing.T, opts ResolveOptions) (*Resolved, Credentials) {
	t.Helper()
	r, err := ResolveCredentials(opts)
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.Provider.Credentials()
	if err != nil {
		t.Fatal(err)
	}
	return r, c
}

func TestNoCredentialsIsSaidPlainly(t *testing.T) {
	home := cleanEnv(t)
	_, err := ResolveCredentials(ResolveOptions{})
	if !errors.Is(err, ErrNoCredentials) {
		t.Fatalf("got %v", err)
	}
	for _, want := range []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", filepath.Join(home, ".aliyun", "config.json"), "aliyun configure"} {
		if !strings.Contains(err.Error(), want) {
			t.Fatalf("%q does not mention %q", err, want)
		}
	}
}

func TestEnvironmentCredentialsWithSTSToken(t *testing.T) {
	cleanEnv(t)
	writeFile(t, filepath.Join(os.Getenv("HOME"), ".aliyun", "config.json"), cliConfigJSON)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret")
	t.Setenv("ALIBABA_CLOUD_SECURITY_TOKEN", "env-token")
	r, c := mustResolve(t, ResolveOptions{})
	if r.Source != "environment" || c.AccessKeyID != "env-id" || c.AccessKeySecret.Reveal() != "env-secret" || c.SecurityToken.Reveal() != "env-token" {
		t.Fatalf("resolved %+v %+v", r, c)
	}
	if r.Region != DefaultRegion {
		t.Fatalf("region %q, want the default", r.Region)
	}
}

func TestEnvironmentIDWithoutSecretIsAnError(t *testing.T) {
	cleanEnv(t)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id")
	_, err := ResolveCredentials(ResolveOptions{})
	if err == nil || !strings.Contains(err.Error(), "ALIBABA_CLOUD_ACCESS_KEY_SECRET") {
		t.Fatalf("got %v", err)
	}
}

func TestCLIProfileCurrentNamedAndFromTheEnvironment(t *testing.T) {
	home := cleanEnv(t)
	writeFile(t, filepath.Join(home, ".aliyun", "config.json"), cliConfigJSON)

	r, c := mustResolve(t, ResolveOptions{})
	if r.Profile != "dev" || c.AccessKeyID != "dev-id" || r.Region != "cn-shanghai" || r.Mode != "AK" {
		t.Fatalf("current profile: %+v %+v", r, c)
	}
	r, c = mustResolve(t, ResolveOptions{Profile: "sts"})
	if c.AccessKeyID != "sts-id" || c.SecurityToken.Reveal() != "sts-token" || r.Region != "cn-beijing" {
		t.Fatalf("--profile sts: %+v %+v", r, c)
	}
	t.Setenv("ALIBABA_CLOUD_PROFILE", "sts")
	if _, c = mustResolve(t, ResolveOptions{}); c.AccessKeyID != "sts-id" {
		t.Fatalf("ALIBABA_CLOUD_PROFILE=sts gave %q", c.AccessKeyID)
	}
}

func TestExplicitProfileBeatsTheEnvironment(t *testing.T) {
	home := cleanEnv(t)
	writeFile(t, filepath.Join(home, ".aliyun", "config.json"), cliConfigJSON)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret")
	if _, c := mustResolve(t, ResolveOptions{Profile: "dev"}); c.AccessKeyID != "dev-id" {
		t.Fatalf("--profile dev gave %q", c.AccessKeyID)
	}
}

func TestRegionPrecedence(t *testing.T) {
	home := cleanEnv(t)
	writeFile(t, filepath.Join(home, ".aliyun", "config.json"), cliConfigJSON)
	t.Setenv("ALIBABA_CLOUD_REGION_ID", "cn-qingdao")
	if r, _ := mustResolve(t, ResolveOptions{}); r.Region != "cn-qingdao" {
		t.Fatalf("environment region lost to %q", r.Region)
	}
	if r, _ := mustResolve(t, ResolveOptions{Region: "ap-southeast-1"}); r.Region != "ap-southeast-1" {
		t.Fatalf("--region lost to %q", r.Region)
	}
	if _, err := ResolveCredentials(ResolveOptions{Region: "x.evil.com/"}); err == nil {
		t.Fatal("a region that is not an ID was accepted")
	}
}

func TestEcsRamRoleProfileResolvesWithoutContactingAnyHost(t *testing.T) {
	home := cleanEnv(t)
	writeFile(t, filepath.Join(home, ".aliyun", "config.json"), cliConfigJSON)
	r, err := ResolveCredentials(ResolveOptions{Profile: "ecs"})
	if err != nil {
		t.Fatal(err)
	}
	// Fetching would ask the metadata service, which the environment disables;
	// resolving alone must not.
	if r.Mode != "EcsRamRole" {
		t.Fatalf("mode %q", r.Mode)
	}
	if _, err := r.Provider.Credentials(); err == nil {
		t.Fatal("metadata credentials appeared with the metadata service disabled")
	}
}

func TestMissingProfileListsTheKnownOnes(t *testing.T) {
	home := cleanEnv(t)
	writeFile(t, filepath.Join(home, ".aliyun", "config.json"), cliConfigJSON)
	_, err := ResolveCredentials(ResolveOptions{Profile: "prod"})
	if err == nil || !strings.Contains(err.Error(), `profile "prod" not found`) || !strings.Contains(err.Error(), "dev, ecs, sts") {
		t.Fatalf("got %v", err)
	}
}

func TestCredentialsFileINI(t *testing.T) {
	home := cleanEnv(t)
	writeFile(t, filepath.Join(home, ".alibabacloud", "credentials"),
		"[default]\ntype = access_key\naccess_key_id = ini-id\naccess_key_secret = ini-secret\nregion_id = cn-shenzhen\n\n"+
			"[other]\ntype = access_key\naccess_key_id = other-id\naccess_key_secret = other-secret\n")
	r, c := mustResolve(t, ResolveOptions{})
	if c.AccessKeyID != "ini-id" || r.Region != "cn-shenzhen" || r.Mode != "access_key" {
		t.Fatalf("default section: %+v %+v", r, c)
	}
	t.Setenv("ALIBABA_CLOUD_PROFILE", "other")
	if _, c = mustResolve(t, ResolveOptions{}); c.AccessKeyID != "other-id" {
		t.Fatalf("[other]: %q", c.AccessKeyID)
	}
}

func TestInvalidCLIConfigIsPositionedAndNotQuoted(t *testing.T) {
	home := cleanEnv(t)
	writeFile(t, filepath.Join(home, ".aliyun", "config.json"), "{\n  \"current\": \"dev\",\n  \"profiles\": [{\"access_key_secret\": \"leaky-secret\",}]\n}")
	_, err := ResolveCredentials(ResolveOptions{})
	if err == nil || !strings.Contains(err.Error(), "config.json:3:53") {
		t.Fatalf("got %v, want a position", err)
	}
	if strings.Contains(err.Error(), "leaky-secret") {
		t.Fatalf("error quotes the file: %v", err)
	}
}

func TestSecretsNeverPrint(t *testing.T) {
	c := Credentials{AccessKeyID: "id", AccessKeySecret: "hunter2", SecurityToken: "tok"}
	for _, s := range []string{
		sprintf("%v", c), sprintf("%+v", c), sprintf("%#v", c), sprintf("%s", c.AccessKeySecret), sprintf("%q", c.SecurityToken),
		jsonString(c), logLine(c),
	} {
		if strings.Contains(s, "hunter2") || strings.Contains(s, "tok\"") {
			t.Fatalf("secret printed: %s", s)
		}
	}
}
