package main

// sysSyncfs is syncfs(2), which the frozen syscall package does not list
// for amd64.
const sysSyncfs = 306
