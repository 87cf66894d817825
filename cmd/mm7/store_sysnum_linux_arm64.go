package main

import "syscall"

const sysSyncfs = syscall.SYS_SYNCFS
