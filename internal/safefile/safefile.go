// Package safefile opens the files a user names (flows, mocks, configuration,
// credentials, inputs, the debug log, the history) so that a hostile path
// cannot hang flowtui or exhaust its memory: only regular files are opened,
// without blocking on a pipe or a device, and read only up to a bound.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
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
	f, fi, err := openRegular(path, shown)
	if err != nil {
		return nil, err
	}
	defer f.Close()
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

// Open opens the regular file at path for reading, refusing other kinds of
// files (ErrNotRegular) without blocking on them; symbolic links are
// followed. A missing file's error matches fs.ErrNotExist.
func Open(path string) (*os.File, error) {
	f, _, err := openRegular(path, path)
	return f, err
}

// OpenAppend opens the regular file at path for appending, creating it 0600
// and its missing parent directories 0700; symbolic links are followed. A
// named pipe, a device, a directory or a link to one is refused
// (ErrNotRegular) at once: opening one would block, or write to something
// that is not a file. An existing file keeps its mode.
func OpenAppend(path string) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := openAppend(path, 0o600)
	if err != nil {
		// A directory fails with EISDIR, a pipe without a reader with ENXIO:
		// say what the file is rather than what open said.
		if nerr := CheckExisting(path); nerr != nil {
			return nil, nerr
		}
		return nil, err
	}
	if _, err := checkRegular(f, path); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// CheckExisting refuses (ErrNotRegular) a path that exists and is, or links
// to, something other than a regular file, without opening it; a missing
// path passes. For files another program opens, such as SQLite's journals.
func CheckExisting(path string) error {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		return notRegular(path, fi.Mode())
	}
	return nil
}

// openRegular opens path for reading without blocking and checks, on the
// file opened, that it is regular; errors name the file as shown.
func openRegular(path, shown string) (*os.File, os.FileInfo, error) {
	f, err := open(path)
	if err != nil {
		if shown != path {
			err = fmt.Errorf("%s: %w", shown, unwrapPath(err))
		}
		return nil, nil, err
	}
	fi, err := checkRegular(f, shown)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

// checkRegular refuses an opened file that is not regular, and makes a
// regular one blocking again.
func checkRegular(f *os.File, shown string) (os.FileInfo, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", shown, unwrapPath(err))
	}
	if !fi.Mode().IsRegular() {
		return nil, notRegular(shown, fi.Mode())
	}
	if err := blocking(f); err != nil {
		return nil, fmt.Errorf("%s: %w", shown, err)
	}
	return fi, nil
}

func notRegular(path string, m fs.FileMode) error {
	return fmt.Errorf("%s: %w (%s); flowtui opens only regular files", path, ErrNotRegular, kind(m))
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
	real, err := realPath(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	realDir, err := realPath(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, unwrapPath(err))
	}
	if rel, err := filepath.Rel(realDir, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, fmt.Errorf("%s: %w; not read", path, ErrOutside)
	}
	// Errors name the file as the user knows it, not its target.
	return read(real, path, limit)
}

// realPath is the absolute path of path with every symbolic link on it
// evaluated. Both sides of ReadIn's comparison go through it: EvalSymlinks
// alone keeps a relative path relative unless a link on it is absolute, and a
// relative directory cannot be compared with an absolute target.
func realPath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
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
