package engine

import (
	"crypto/rand"
)

// These run several times on every call flowtui serve answers; time.Format
// (which parses its layout each time) and uuid.NewString plus strings.ToUpper
// cost as much as a tenth of the server's own work per StartSyncExecution.

// NewRequestID looks like the service's request ids: an upper-case UUID.
func NewRequestID() string { return newUUID("0123456789ABCDEF") }

// NewID is the UUID of an execution name or a flow Id, lower case as the
// service writes them.
func NewID() string { return newUUID("0123456789abcdef") }

// newUUID returns a random (version 4) UUID written with the given digits.
func newUUID(digits string) string {
	var u [16]byte
	rand.Read(u[:]) // never fails (crypto/rand since Go 1.24)
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	var b [36]byte
	j := 0
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b[j] = '-'
			j++
		}
		b[j], b[j+1] = digits[c>>4], digits[c&15]
		j += 2
	}
	return string(b[:])
}
