//go:build linux && (amd64 || arm64)

package main

import (
	"os"
	"syscall"
)

// syncFS flushes every dirty page and inode of the file system holding f,
// and its journal, and reports writeback errors (Linux 5.8+): one call
// makes all the files of a batch of messages durable.
func syncFS(f *os.File) error {
	for {
		_, _, e := syscall.Syscall(sysSyncfs, f.Fd(), 0, 0)
		switch e {
		case 0:
			return nil
		case syscall.EINTR:
			continue
		}
		return &os.SyscallError{Syscall: "syncfs", Err: e}
	}
}

const haveSyncFS = true
