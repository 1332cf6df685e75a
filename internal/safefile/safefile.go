// Package safefile reads the files a user names (flows, mocks, configuration,
// credentials, inputs) so that a hostile path cannot hang flowtui or exhaust
// its memory: only regular files are read, and only up to a bound.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
)

// ErrNotRegular is matched (errors.Is) when the path is, or links to,
// something other than a regular file: a device, a named pipe, a socket, a
// directory.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is matched (errors.Is) when the file is larger than the bound.
var ErrTooLarge = errors.New("file too large")

// Read returns the content of the regular file at path, refusing other kinds
// of files and files over limit bytes. Symbolic links are followed; the kind
// checked is that of the file finally opened. A missing file's error matches
// fs.ErrNotExist.
func Read(path string, limit int64) ([]byte, error) {
	return read(path, path, limit)
}

// read reads path; errors name the file as shown.
func read(path, shown string, limit int64) ([]byte, error) {
	f, err := open(path)
	if err != nil {
		if shown != path {
			err = fmt.Errorf("%s: %w", shown, unwrapPath(err))
		}
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w (%s); flowtui reads only regular files", shown, ErrNotRegular, kind(fi.Mode()))
	}
	if fi.Size() > limit {
		return nil, tooLarge(shown, limit)
	}
	// The size may change while reading: read one byte past the bound to see it.
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", shown, err)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(shown, limit)
	}
	return data, nil
}

func tooLarge(path string, limit int64) error {
	return fmt.Errorf("%s: %w: larger than %s, the most flowtui reads from it", path, ErrTooLarge, Size(limit))
}

// Size writes a byte count for people: "1 MiB", "512 KiB", "100 bytes".
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// kind names a file mode for an error message.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "mode " + m.String()
}

// ErrOutside is matched (errors.Is) when a file of a directory is a symbolic
// link that leads out of it.
var ErrOutside = errors.New("a symbolic link leading outside the directory")

// ReadIn reads the file name of directory dir as Read does, and refuses it when
// it is a symbolic link leading out of dir: a directory that is served (flowtui
// serve's flows) must not hand out files from elsewhere. The error does not say
// where the link leads.
func ReadIn(dir, name string, limit int64) ([]byte, error) {
	path := filepath.Join(dir, name)
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	realDir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, unwrapPath(err))
	}
	if rel, err := filepath.Rel(realDir, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, fmt.Errorf("%s: %w; not read", path, ErrOutside)
	}
	// Errors name the file as the user knows it, not its target.
	return read(real, path, limit)
}

// unwrapPath drops the *fs.PathError around an error, whose path the caller
// names itself.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
