//go:build !unix

package main

import "os"

// lockStore only creates ROOT/.lock where flock(2) is missing: do not run
// two receivers on one directory there.
func lockStore(root string) (*os.File, error) {
	return os.OpenFile(root+"/.lock", os.O_RDWR|os.O_CREATE, 0o644)
}
