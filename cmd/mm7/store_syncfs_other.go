//go:build !(linux && (amd64 || arm64))

package main

import (
	"errors"
	"os"
)

// Without syncfs(2) every file is fsynced on its own.
func syncFS(*os.File) error { return errors.New("syncfs not supported") }

const haveSyncFS = false
