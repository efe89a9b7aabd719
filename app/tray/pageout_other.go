//go:build !linux

package tray

// dropCodePages gives nothing back outside Linux: it reads /proc/self/maps.
func dropCodePages() {}
