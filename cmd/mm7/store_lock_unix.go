//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockStore takes an exclusive lock on ROOT/.lock, held while the store
// is open: two receivers sharing a directory would remove each other's
// saves in progress when they start.
func lockStore(root string) (*os.File, error) {
	f, err := os.OpenFile(root+"/.lock", os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s is in use by another mm7 serve", root)
		}
		return nil, fmt.Errorf("lock %s: %w", root, err)
	}
	return f, nil
}
