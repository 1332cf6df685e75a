package history

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// stmtCache keeps prepared statements by their SQL. Preparing a statement
// that fires triggers compiles the triggers too, which cost as much as
// running the statement; the distinct statements are few (List's depend only
// on which filters are set), so the cache stays small.
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// stmt returns query prepared, bound to tx when tx is not nil.
func (s *Store) stmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	s.stmts.mu.Lock()
	st, ok := s.stmts.m[query]
	if !ok {
		var err error
		if st, err = s.db.PrepareContext(ctx, query); err != nil {
			s.stmts.mu.Unlock()
			return nil, err
		}
		if s.stmts.m == nil {
			s.stmts.m = map[string]*sql.Stmt{}
		}
		s.stmts.m[query] = st
	}
	s.stmts.mu.Unlock()
	if tx != nil {
		// Reuses the statement already prepared on tx's connection, if any;
		// closed with the transaction.
		return tx.StmtContext(ctx, st), nil
	}
	return st, nil
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for q, st := range c.m {
		errs = append(errs, st.Close())
		delete(c.m, q)
	}
	return errors.Join(errs...)
}
