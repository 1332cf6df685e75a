package backend

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/flowtui/flowtui/client"
	"github.com/flowtui/flowtui/fnf"
)

// isolate points credential look-ups at an empty home with one aliyun CLI
// profile, and turns the ECS metadata service off.
func isolate(t *testing.T) {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	for _, k := range []string{
		"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN",
		"ALIBABA_CLOUD_PROFILE", "ALIBABA_CLOUD_REGION_ID", "ALIBABA_CLOUD_CREDENTIALS_FILE",
		"ALIBABA_CLOUD_IGNORE_PROFILE", "ALIBABA_CLOUD_CLI_PROFILE_DISABLED",
	} {
		t.Setenv(k, "")
	}
	cfg := filepath.Join(home, "config.json")
	const profile = `{"current": "dev", "profiles": [{"name": "dev", "mode": "AK", "access_key_id": "testid", "access_key_secret": "testsecret", "region_id": "cn-shanghai"}]}`
	if err := os.WriteFile(cfg, []byte(profile), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ALIBABA_CLOUD_CONFIG_FILE", cfg)
}

// The picker lists the regions itself (the service's, or fnf.Regions):
// the choices given to it name none, so that no region is listed twice.
func TestChoicesLeaveTheRegionsToThePicker(t *testing.T) {
	isolate(t)
	var ids []string
	for _, c := range Choices() {
		ids = append(ids, c.ID)
		if strings.HasPrefix(c.ID, "region:") {
			t.Errorf("Choices lists a region: %+v", c)
		}
	}
	if !slices.Equal(ids, []string{"local", "profile:dev"}) {
		t.Fatalf("choices %v", ids)
	}
}

// A region the picker got from DescribeRegions switches the profile in use to
// it, and the copied command line names it. Nothing is sent: building the
// client makes no call.
func TestARegionChoiceSwitchesTheProfileToThatRegion(t *testing.T) {
	isolate(t)
	for _, r := range fnf.Regions() {
		b, args, err := Switch(Flags{Profile: "dev", Signature: client.SignatureV3}, "region:"+r.RegionId, Options{})
		if err != nil {
			t.Fatalf("%s: %v", r.RegionId, err)
		}
		if i := b.Info(); i.Kind != fnf.KindCloud || i.Region != r.RegionId || i.Profile != "dev" {
			t.Errorf("%s: switched to %+v", r.RegionId, i)
		}
		if want := []string{"--profile", "dev", "--region", r.RegionId}; !slices.Equal(args[:4], want) {
			t.Errorf("%s: flags %v, want %v first", r.RegionId, args, want)
		}
	}
}

func TestARegionChoiceIsRefusedWithoutCredentials(t *testing.T) {
	isolate(t)
	t.Setenv("ALIBABA_CLOUD_CONFIG_FILE", filepath.Join(t.TempDir(), "none.json"))
	_, _, err := Switch(Flags{Signature: client.SignatureV3}, "region:cn-beijing", Options{})
	if err == nil || !strings.Contains(err.Error(), "no credentials found for region:cn-beijing") {
		t.Fatalf("err = %v", err)
	}
	_, _, err = Switch(Flags{Signature: client.SignatureV3}, "region:not a region", Options{})
	if err == nil {
		t.Fatal("a malformed region was accepted")
	}
}
