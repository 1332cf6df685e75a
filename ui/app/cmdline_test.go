package app

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/flowtui/flowtui/fnf"
)

// Every string comes back unchanged through a POSIX shell, whatever it holds.
func TestShellQuoteSurvivesHostileStrings(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	for _, s := range []string{
		"", "'", "''", "a'b", `it's "quoted"`, "$(touch /nonexistent/pwned)", "`id`", "$HOME", "${IFS}",
		"a b", "a\nb", "tab\there", `back\slash`, `\'`, "!", "*", "?", "[a]", "~", "#comment", "-n", "--",
		"a;b", "a&b", "a|b", "a>b", "<a", "(a)", "{a,b}", "=x", "é ü 中", `{"orderId":"it's","n":1}`, "\u202eevil",
	} {
		out, err := exec.Command(sh, "-c", "printf '%s' "+shellQuote(s)).Output()
		if err != nil {
			t.Fatalf("%q quoted as %s: %v", s, shellQuote(s), err)
		}
		if string(out) != s {
			t.Fatalf("%q quoted as %s came back as %q", s, shellQuote(s), out)
		}
	}
	for _, plain := range []string{"order-flow", "cn-hangzhou", "127.0.0.1:9791", "--FlowName"} {
		if shellQuote(plain) != plain {
			t.Fatalf("%q needlessly quoted: %s", plain, shellQuote(plain))
		}
	}
}

// The copied line is the aliyun CLI's native form of StartSyncExecution, with
// the profile and region of the backend, and nothing that needs --force.
// https://www.alibabacloud.com/help/en/cli/command-line-options documents
// --profile, --region and --endpoint; --force needs --version
// (https://www.alibabacloud.com/help/en/cli/force-call-apis).
func TestAliyunCommandIsTheNativeFormWithProfileAndRegion(t *testing.T) {
	got := aliyunCommand("order-flow", `{"note":"it's"}`, "", []string{"--profile", "dev", "--region", "cn-shanghai"})
	want := `aliyun fnf StartSyncExecution --FlowName order-flow --Input '{"note":"it'\''s"}' --profile dev --region cn-shanghai`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	got = aliyunCommand("order-flow", `{}`, "Declined", []string{"--endpoint", "http://127.0.0.1:9791"})
	want = `aliyun fnf StartSyncExecution --FlowName order-flow --Input '{}' --endpoint 127.0.0.1:9791 --header 'x-flowtui-test-case=Declined'`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

// cloudInfo is the local engine dressed as a cloud backend, for what depends
// only on the backend's description.
type cloudInfo struct{ fnf.Backend }

func (cloudInfo) Info() fnf.Info {
	return fnf.Info{Kind: fnf.KindCloud, Region: "cn-shanghai", Profile: "dev", Endpoint: "https://cn-shanghai.fnf.aliyuncs.com"}
}

func TestCopyAsAliyunOnTheCloudAndOnTheLocalEngine(t *testing.T) {
	h := newHarness(t, 120, 40, func(o *Options) {
		o.Backend, o.Args = cloudInfo{mustLocal(t)}, []string{"--profile", "dev", "--region", "cn-shanghai"}
	})
	h.selectFlow("order-routing")
	h.key("ctrl+p")
	h.typeText("aliyun")
	h.key("enter")
	if len(h.copied) != 1 || !strings.HasPrefix(h.copied[0], "aliyun fnf StartSyncExecution --FlowName order-routing --Input '{") ||
		!strings.HasSuffix(h.copied[0], "--profile dev --region cn-shanghai") || strings.Contains(h.copied[0], "--force") {
		t.Fatalf("copied %q", h.copied)
	}

	local := newHarness(t, 120, 40)
	local.selectFlow("order-routing")
	local.key("ctrl+p")
	local.typeText("aliyun")
	local.key("enter")
	if len(local.copied) != 0 {
		t.Fatalf("a local flow was copied as an aliyun command: %q", local.copied)
	}
	local.key("ctrl+l")
	local.wantScreen("only on the local engine")
}
