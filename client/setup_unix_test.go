//go:build unix

package client

import (
	"github.com/flowtui/flowtui/fnf"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestCredentialFilesThatAreNotRegularFilesAreRefusedAtOnce(t *testing.T) {
	home := cleanEnv(t)
	dir := filepath.Join(home, ".aliyun")
	os.MkdirAll(dir, 0o700)
	if err := syscall.Mkfifo(filepath.Join(dir, "config.json"), 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	os.MkdirAll(filepath.Join(home, ".alibabacloud"), 0o700)
	os.Symlink("/dev/zero", filepath.Join(home, ".alibabacloud", "credentials"))
	done := make(chan error, 1)
	go func() {
		_, err := ResolveCredentials(ResolveOptions{})
		done <- err
	}()
	select {
	case err := <-done:
		if !fnf.IsSetupError(err) || !strings.Contains(err.Error(), "config.json") || !strings.Contains(err.Error(), "not a regular file") {
			t.Fatalf("err = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("resolving credentials hangs on a named pipe")
	}
	t.Setenv("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")
	if _, err := ResolveCredentials(ResolveOptions{}); err == nil || !strings.Contains(err.Error(), "credentials: not a regular file") {
		t.Fatalf("credentials linked to /dev/zero: %v", err)
	}
	if names := ProfileNames(); len(names) != 0 {
		t.Fatalf("ProfileNames = %v", names)
	}
}
