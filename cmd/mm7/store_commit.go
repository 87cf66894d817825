package main

import "sync"

// A groupSync runs one sync for many waiters (group commit): a waiter
// calls wait after its write (a rename, say) and returns once a sync that
// started after the call has succeeded. While one sync runs, the waiters
// that arrive queue up and share the next one, so that concurrent saves
// cost one fsync between them instead of one each.
type groupSync struct {
	sync func() error

	mu      sync.Mutex
	running bool
	waiting []chan error
}

func newGroupSync(fn func() error) *groupSync { return &groupSync{sync: fn} }

// wait returns the error of a sync that started after it was called.
func (g *groupSync) wait() error {
	ch := make(chan error, 1)
	g.mu.Lock()
	g.waiting = append(g.waiting, ch)
	if !g.running {
		g.running = true
		go g.loop()
	}
	g.mu.Unlock()
	return <-ch
}

// loop syncs for the waiters queued so far, again while more arrive, and
// stops when none are left.
func (g *groupSync) loop() {
	for {
		g.mu.Lock()
		batch := g.waiting
		g.waiting = nil
		if len(batch) == 0 {
			g.running = false
			g.mu.Unlock()
			return
		}
		g.mu.Unlock()
		err := g.sync()
		for _, ch := range batch {
			ch <- err
		}
	}
}
