//go:build !unix

package safefile

import "os"

func open(path string) (*os.File, error) { return os.Open(path) }

func openAppend(path string, perm os.FileMode) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, perm)
}

func blocking(*os.File) error { return nil }
