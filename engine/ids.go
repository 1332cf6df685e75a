package engine

import (
	"crypto/rand"
	"time"
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

// FormatTime writes t as the service does, like client.FormatTime (UTC with
// milliseconds, 2006-01-02T15:04:05.000Z) without parsing a layout per call.
func FormatTime(t time.Time) string {
	t = t.UTC()
	year, month, day := t.Date()
	hour, minute, second := t.Clock()
	var b [24]byte
	put := func(at, n, width int) {
		for i := at + width - 1; i >= at; i-- {
			b[i] = byte('0' + n%10)
			n /= 10
		}
	}
	if year < 0 || year > 9999 {
		return t.Format("2006-01-02T15:04:05.000Z07:00") // outside what four digits hold
	}
	put(0, year, 4)
	put(5, int(month), 2)
	put(8, day, 2)
	put(11, hour, 2)
	put(14, minute, 2)
	put(17, second, 2)
	put(20, t.Nanosecond()/1e6, 3)
	b[4], b[7], b[10], b[13], b[16], b[19], b[23] = '-', '-', 'T', ':', ':', '.', 'Z'
	return string(b[:])
}
