package server

import (
	"hash/maphash"
	"sync"
	"time"
)

// DefaultNonceCapacity bounds the nonces remembered: about 40 MB at most, and
// 15 minutes of traffic at up to ~1,100 requests per second. Past it the oldest
// nonce is forgotten early (see nonceCache).
const DefaultNonceCapacity = 1 << 20

// nonceCache remembers the signature nonces of verified requests until their
// timestamp is itself too old to be accepted, so that a replayed request is
// refused either as SignatureNonceUsed or as RequestTimeTooSkewed.
//
// Memory is bounded twice: entries expire, and there are at most capacity of
// them, the oldest forgotten first when full. Under more than capacity requests
// per skew window a replay of a forgotten nonce would be accepted; for a local
// emulator, bounded memory matters more. Nonces are kept as 64-bit hashes with
// a seed of this cache (16 bytes each in the queue, about as much in the map):
// a false "already used" needs a new nonce to collide with a remembered one,
// about one chance in 2^44 per request with a full cache.
type nonceCache struct {
	seed     maphash.Seed
	capacity int

	mu   sync.Mutex
	seen map[uint64]struct{}
	ring []nonceEntry // arrival order, from head, n entries
	head int
	n    int
}

type nonceEntry struct {
	hash    uint64
	expires int64 // unix nanoseconds
}

func newNonceCache(capacity int) *nonceCache {
	if capacity <= 0 {
		capacity = DefaultNonceCapacity
	}
	return &nonceCache{seed: maphash.MakeSeed(), capacity: capacity, seen: map[uint64]struct{}{}}
}

// use records nonce until expires and reports whether it was new. now drives
// expiry, so tests can move time.
func (c *nonceCache) use(nonce string, expires, now time.Time) bool {
	h := maphash.String(c.seed, nonce)
	c.mu.Lock()
	defer c.mu.Unlock()
	// Entries leave in arrival order. One that expires late (a timestamp from
	// the future) holds back those behind it a while: they stay remembered a
	// little longer, never shorter.
	for c.n > 0 && c.ring[c.head].expires <= now.UnixNano() {
		c.pop()
	}
	if _, dup := c.seen[h]; dup {
		return false
	}
	if c.n == c.capacity {
		c.pop()
	}
	if c.n == len(c.ring) {
		c.grow()
	}
	c.ring[(c.head+c.n)%len(c.ring)] = nonceEntry{hash: h, expires: expires.UnixNano()}
	c.n++
	c.seen[h] = struct{}{}
	return true
}

func (c *nonceCache) pop() {
	delete(c.seen, c.ring[c.head].hash)
	c.head = (c.head + 1) % len(c.ring)
	c.n--
}

// grow doubles the ring, up to the capacity: an idle server holds little.
func (c *nonceCache) grow() {
	size := min(c.capacity, max(2*len(c.ring), 1024))
	ring := make([]nonceEntry, size)
	for i := range c.n {
		ring[i] = c.ring[(c.head+i)%len(c.ring)]
	}
	c.ring, c.head = ring, 0
}

// len reports how many nonces are remembered.
func (c *nonceCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}
