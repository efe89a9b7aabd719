//go:build !unix

package gui

// cpuMillis is 0 where the process's CPU time is not read (the bench runs
// under Xvfb, on Linux).
func cpuMillis() float64 { return 0 }
