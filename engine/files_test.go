//go:build unix

package engine

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// hostileFlowsDir holds a good flow beside entries that are not regular files,
// a link out of the directory and a file over the bound.
func hostileFlowsDir(t *testing.T) (dir, secret string) {
	t.Helper()
	dir = writeFlows(t, map[string]string{"good.yaml": passDef})
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.yaml"), 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	secretFile := filepath.Join(t.TempDir(), "shadow")
	secret = "root:$6$only-the-owner-may-read-this"
	if err := os.WriteFile(secretFile, []byte(secret), 0o600); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{"zero.yaml": "/dev/zero", "random.json": "/dev/urandom", "shadow.yaml": secretFile} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	big := "# " + strings.Repeat("x", MaxFlowFileBytes) + "\n" + passDef
	if err := os.WriteFile(filepath.Join(dir, "big.yaml"), []byte(big), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, secret
}

func TestFlowsThatAreNotRegularFilesAreListedWithTheirProblem(t *testing.T) {
	dir, secret := hostileFlowsDir(t)
	l := newLocal(t, LocalOptions{FlowsDir: dir, FlowsDirMust: true})
	done := make(chan map[string]fnf.Flow, 1)
	go func() { done <- listFlows(t, l) }()
	var flows map[string]fnf.Flow
	select {
	case flows = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("ListFlows hangs on a flows directory with a pipe and device links")
	}
	if f := flows["good"]; f.Error != "" {
		t.Fatalf("the good flow: %q", f.Error)
	}
	for name, want := range map[string]string{
		"pipe": "not a regular file", "zero": "outside the directory", "random": "outside the directory",
		"shadow": "outside the directory", "big": "larger than 1 MiB",
	} {
		f, ok := flows[name]
		if !ok || !strings.Contains(f.Error, want) || !strings.Contains(f.Error, filepath.Join(dir, "")) {
			t.Errorf("%s: listed %v with problem %q, want one naming the file and saying %q", name, ok, f.Error, want)
		}
	}
	f, err := l.DescribeFlow(context.Background(), "shadow")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(f.Definition+f.Error, secret) || strings.Contains(f.Error, "/shadow") && !strings.Contains(f.Error, "shadow.yaml") {
		t.Fatalf("DescribeFlow serves the file a link leads to: %+v", f)
	}
}

func TestAMockFileThatIsAPipeOrADeviceIsRefusedAtOnce(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "mocks.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	zero := filepath.Join(dir, "zero.yaml")
	os.Symlink("/dev/zero", zero)
	for _, path := range []string{fifo, zero} {
		_, err := LoadMocks(path)
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("LoadMocks(%s) = %v, want a refusal naming the file", path, err)
		}
	}
}

func TestAFlowFileWithAByteOrderMarkLoads(t *testing.T) {
	dir := writeFlows(t, map[string]string{
		"bom.yaml": "\xEF\xBB\xBF" + passDef,
		"bom.json": "\xEF\xBB\xBF" + `{"Name": "bomjson", "Definition": "Type: StateMachine\nSpecVersion: v1\nStartAt: P\nStates:\n  - Type: Pass\n    Name: P\n    End: true\n"}`,
	})
	flows := listFlows(t, newLocal(t, LocalOptions{FlowsDir: dir}))
	for _, name := range []string{"bom", "bomjson"} {
		if f, ok := flows[name]; !ok || f.Error != "" {
			t.Errorf("%s: listed %v, problem %q", name, ok, f.Error)
		}
	}
}

// flowtui --flows h2 lists a flow file that is an absolute link to another
// file of h2, as --flows /abs/h2 does.
func TestARelativeFlowsDirLoadsAnAbsoluteLinkToAFileInside(t *testing.T) {
	dir := writeFlows(t, map[string]string{"c.yaml": passDef})
	if err := os.Symlink(filepath.Join(dir, "c.yaml"), filepath.Join(dir, "abs.yaml")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Dir(dir))
	for _, flowsDir := range []string{filepath.Base(dir), dir} {
		flows := listFlows(t, newLocal(t, LocalOptions{FlowsDir: flowsDir, FlowsDirMust: true}))
		if f, ok := flows["abs"]; !ok || f.Error != "" {
			t.Errorf("--flows %s: abs.yaml listed %v with problem %q, want it loaded", flowsDir, ok, f.Error)
		}
	}
}

// A flow test file beside the flows is no flow: the flows directory lists
// the flows alone.
func TestTestFilesInTheFlowsDirectoryAreNoFlows(t *testing.T) {
	dir := writeFlows(t, map[string]string{
		"hello.yaml":             "Type: StateMachine\nName: hello\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    End: true\n",
		"hello" + TestFileSuffix: "flow: hello\ncases:\n  - name: passes\n    expect:\n      status: Succeeded\n",
	})
	l := newLocal(t, LocalOptions{FlowsDir: dir})
	flows, err := l.ListFlows(t.Context())
	if err != nil || len(flows) != 1 || flows[0].Name != "hello" || flows[0].Error != "" {
		t.Fatalf("flows = %+v, %v; want hello alone", flows, err)
	}
}
