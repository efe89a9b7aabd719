//go:build unix

package gui

import "syscall"

// cpuMillis is the CPU time (user and system, all threads) the process has
// used so far, in milliseconds: less noisy than the wall clock on a shared machine.
func cpuMillis() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e6
}
