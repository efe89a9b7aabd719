//go:build windows

package claudecache

import (
	"os"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"
)

// ClaudeProcesses returns the ids of running Claude Code processes: claude.exe
// (the native build, and what npm's shim starts), or node.exe running
// @anthropic-ai/claude-code (older npm installs). It walks a snapshot of the
// process list; nil when none can be taken.
func ClaudeProcesses() []int {
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPPROCESS, 0)
	if err != nil {
		return nil
	}
	defer windows.CloseHandle(snap)
	self := uint32(os.Getpid())
	var pids []int
	e := windows.ProcessEntry32{Size: uint32(unsafe.Sizeof(windows.ProcessEntry32{}))}
	for err = windows.Process32First(snap, &e); err == nil; err = windows.Process32Next(snap, &e) {
		if e.ProcessID == self {
			continue
		}
		image := windows.UTF16ToString(e.ExeFile[:])
		if strings.EqualFold(image, "claude.exe") || (strings.EqualFold(image, "node.exe") && runsClaudeCode(commandLine(e.ProcessID))) {
			pids = append(pids, int(e.ProcessID))
		}
	}
	return pids
}

// runsClaudeCode reports whether a node command line runs Claude Code's package.
func runsClaudeCode(cmdline string) bool {
	return strings.Contains(strings.ReplaceAll(cmdline, `\`, "/"), "@anthropic-ai/claude-code")
}

// commandLine is a process's command line, or "" when it cannot be read
// (another user's process, one that has exited): from
// ProcessCommandLineInformation (Windows 8.1 and later), else from the
// process's own parameters in its memory (what Wine 8 allows).
func commandLine(pid uint32) string {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		return ""
	}
	defer windows.CloseHandle(h)
	buf := make([]byte, 4096)
	for {
		var n uint32
		err := windows.NtQueryInformationProcess(h, windows.ProcessCommandLineInformation, unsafe.Pointer(&buf[0]), uint32(len(buf)), &n)
		switch {
		case err == nil:
			return (*windows.NTUnicodeString)(unsafe.Pointer(&buf[0])).String()
		case err == windows.STATUS_INFO_LENGTH_MISMATCH && int(n) > len(buf) && n < 1<<20:
			buf = make([]byte, n)
		case err == windows.STATUS_INVALID_INFO_CLASS:
			return commandLineFromPEB(pid)
		default:
			return ""
		}
	}
}

// commandLineFromPEB reads the command line out of the process's parameters.
func commandLineFromPEB(pid uint32) string {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_INFORMATION|windows.PROCESS_VM_READ, false, pid)
	if err != nil {
		return ""
	}
	defer windows.CloseHandle(h)
	var basic windows.PROCESS_BASIC_INFORMATION
	var n uint32
	if windows.NtQueryInformationProcess(h, windows.ProcessBasicInformation, unsafe.Pointer(&basic), uint32(unsafe.Sizeof(basic)), &n) != nil {
		return ""
	}
	read := func(addr uintptr, into unsafe.Pointer, size uintptr) bool {
		return windows.ReadProcessMemory(h, addr, (*byte)(into), size, nil) == nil
	}
	var peb windows.PEB
	var params windows.RTL_USER_PROCESS_PARAMETERS
	if !read(uintptr(unsafe.Pointer(basic.PebBaseAddress)), unsafe.Pointer(&peb), unsafe.Sizeof(peb)) ||
		!read(uintptr(unsafe.Pointer(peb.ProcessParameters)), unsafe.Pointer(&params), unsafe.Sizeof(params)) {
		return ""
	}
	cl := params.CommandLine
	if cl.Length == 0 {
		return ""
	}
	text := make([]uint16, cl.Length/2)
	if !read(uintptr(unsafe.Pointer(cl.Buffer)), unsafe.Pointer(&text[0]), uintptr(cl.Length)) {
		return ""
	}
	return windows.UTF16ToString(text)
}
