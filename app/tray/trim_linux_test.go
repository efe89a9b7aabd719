package tray

import (
	"bytes"
	"crypto/sha256"
	"os"
	"testing"
)

// TestTrimResidentKeepsTheProcessWorking trims, then runs code and reads
// constants that were resident before, and checks the libraries' relocated
// (RELRO) mappings were left alone.
func TestTrimResidentKeepsTheProcessWorking(t *testing.T) {
	before := sha256.Sum256([]byte("claudemedic"))
	trimResident()
	after := sha256.Sum256([]byte("claudemedic"))
	if before != after {
		t.Fatal("the same hash differs after trimming")
	}
	if _, err := os.Stat("/"); err != nil { // a system call after trimming
		t.Fatal(err)
	}
	trimResident() // twice is harmless
	if !bytes.Equal(before[:], after[:]) {
		t.Fatal("unreachable")
	}
	if r, ok := mappingRange("00400000-00981000"); !ok || r != [2]uint64{0x400000, 0x981000} {
		t.Errorf("mappingRange = %x, %v", r, ok)
	}
	for _, bad := range []string{"", "x-y", "10-5", "00400000"} {
		if _, ok := mappingRange(bad); ok {
			t.Errorf("mappingRange(%q) parsed", bad)
		}
	}
}
