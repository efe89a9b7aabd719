package tray

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// trimResident unmaps the pages of read-only file mappings (the program's
// code and constants, the shared libraries') that the agent touched while
// starting and checking, and asks the kernel not to map neighbouring pages
// around each fault (MADV_RANDOM). The pages stay in the page cache: what the
// agent runs next faults back in, a page at a time, so its resident set is
// what it uses while idle, not what starting up touched (in one binary with
// the window toolkit, most of 40 MB).
//
// Only mappings that hold no private (anonymous) page are trimmed: those are
// exactly the file's pages, so dropping them loses nothing. A mapping written
// once and then made read-only (a library's relocated RELRO) has anonymous
// pages and is left alone; so is everything writable.
func trimResident() {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return
	}
	defer f.Close()
	var start, end uint64
	candidate := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if r, ok := mappingRange(fields[0]); ok && len(fields) >= 5 {
			// 00400000-00981000 r-xp 00000000 08:01 1234  /path/to/file
			start, end = r[0], r[1]
			candidate = len(fields) >= 6 && (fields[1] == "r-xp" || fields[1] == "r--p") && strings.HasPrefix(fields[5], "/")
			continue
		}
		if candidate && fields[0] == "Anonymous:" && len(fields) >= 2 {
			if fields[1] == "0" {
				for _, advice := range []uintptr{syscall.MADV_RANDOM, syscall.MADV_DONTNEED} {
					syscall.Syscall(syscall.SYS_MADVISE, uintptr(start), uintptr(end-start), advice)
				}
			}
			candidate = false
		}
	}
}

// mappingRange parses "lo-hi" in hexadecimal, a mapping's first field.
func mappingRange(s string) ([2]uint64, bool) {
	lo, hi, ok := strings.Cut(s, "-")
	if !ok {
		return [2]uint64{}, false
	}
	a, err1 := strconv.ParseUint(lo, 16, 64)
	b, err2 := strconv.ParseUint(hi, 16, 64)
	return [2]uint64{a, b}, err1 == nil && err2 == nil && b > a
}
