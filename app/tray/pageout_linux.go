package tray

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// dropCodePages takes the agent's own code and read-only data out of its
// resident set once it has gone idle: the pages of its executable mapped
// read-only (r-xp, r--p), which the start, a check and a click touched and
// which an idle tray does not use again. MADV_DONTNEED on a private mapping
// never written to only unmaps them: they stay in the page cache, and the
// next click maps them back with minor faults (no disk read while the system
// has memory to spare). Writable mappings are never touched. This is most of
// the agent's resident memory (issue 16: 12 of its 16 MB were its binary's
// pages; the heap is about 3 MB).
func dropCodePages() {
	exe, err := os.Executable()
	if err != nil {
		return
	}
	if p, err := filepath.EvalSymlinks(exe); err == nil {
		exe = p
	}
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return
	}
	for _, line := range bytes.Split(maps, []byte{'\n'}) {
		f := bytes.Fields(line)
		if len(f) < 6 || string(f[5]) != exe || (string(f[1]) != "r-xp" && string(f[1]) != "r--p") {
			continue
		}
		from, to, ok := bytes.Cut(f[0], []byte{'-'})
		if !ok {
			continue
		}
		start, err1 := strconv.ParseUint(string(from), 16, 64)
		end, err2 := strconv.ParseUint(string(to), 16, 64)
		if err1 != nil || err2 != nil || end <= start {
			continue
		}
		syscall.Syscall(syscall.SYS_MADVISE, uintptr(start), uintptr(end-start), syscall.MADV_DONTNEED)
	}
}
