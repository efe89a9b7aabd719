//go:build linux

package tray

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"claudemedic/app/tray/monitor"
	"claudemedic/claudesettings"
	"claudemedic/doctor/doctortest"
	"claudemedic/internal/prefs"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// procKB reads a "Name:   123 kB" line from a /proc file.
func procKB(path, name string) float64 {
	f, err := os.Open(path)
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+":"); ok {
			kb, _ := strconv.ParseFloat(strings.Fields(v)[0], 64)
			return kb
		}
	}
	return -1
}

// cpuSeconds is the user and system time a process has used, from /proc/PID/stat.
func cpuSeconds(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return -1
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	ut, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (ut + st) / 100 // USER_HZ is 100 on Linux
}

// BenchmarkMonitorCycles runs the agent's per-check path (the monitor, a
// check against the fake API, the report saved on disk) 1,000 times with a
// tiny interval, and reports the resident memory after 10 and after 1,000
// checks, each time after the agent's settle (what it does when idle after a
// check): a leak shows as growth. The fake API runs in a process of its own.
// "child" runs each check as the agent does, in a child process;
// "in-process" runs netcheck in this process, so a leak in the engine shows too. Run it with -benchtime 1x (scripts/bench-tray.sh does).
func BenchmarkMonitorCycles(b *testing.B) {
	home := b.TempDir()
	b.Setenv("HOME", home)
	b.Setenv("XDG_STATE_HOME", filepath.Join(home, "state"))
	b.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "config"))
	b.Setenv("CLAUDE_CONFIG_DIR", filepath.Join(home, ".claude"))
	b.Setenv("SHELL", "/bin/sh")
	// The fake API serves from a process of its own, so only the agent's
	// memory is measured here.
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	fake := exec.Command(exe, "fakeapi")
	out, err := fake.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := fake.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { fake.Process.Kill(); fake.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	url, caFile, ok := strings.Cut(strings.TrimSpace(line), " ")
	if err != nil || !ok {
		b.Fatalf("the fake API said %q: %v", line, err)
	}
	b.Setenv("ANTHROPIC_BASE_URL", url)
	b.Setenv("NODE_EXTRA_CA_CERTS", caFile)
	b.Setenv("ANTHROPIC_API_KEY", netchecktest.TestKey)
	target := claudesettings.Target{
		BaseURL:    claudesettings.Setting{Value: url, Source: claudesettings.SourceFlag},
		CAFile:     claudesettings.Setting{Value: caFile, Source: claudesettings.SourceFlag},
		Credential: claudesettings.Credential{Secret: netchecktest.TestKey, Kind: claudesettings.KindAPIKey, Source: claudesettings.SourceFlag},
	}
	inProcess := func(ctx context.Context, _ bool) (*netcheck.Report, error) {
		return netcheck.Run(ctx, target, netcheck.Options{}), nil
	}
	for _, bc := range []struct {
		name  string
		check func(context.Context, bool) (*netcheck.Report, error)
	}{{"check=child", realCheck}, {"check=in-process", inProcess}} {
		b.Run(bc.name, func(b *testing.B) {
			for range b.N {
				monitorCycles(b, bc.check)
			}
		})
	}
}

func monitorCycles(b *testing.B, check func(context.Context, bool) (*netcheck.Report, error)) {
	p := prefs.Defaults()
	p.CheckInterval = time.Millisecond
	m := newMenu(Options{Notifier: silent{}, Check: check}, p)
	ctx, cancel := context.WithCancel(context.Background())
	defer func() { cancel(); close(m.done) }()
	go m.mon.Run(ctx)
	type sample struct{ rss, anon, heap, runtimeHeld float64 }
	measure := func() sample {
		settle() // as the agent does once idle after a check
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return sample{procKB("/proc/self/status", "VmRSS") / 1024, procKB("/proc/self/status", "RssAnon") / 1024,
			float64(ms.HeapAlloc) / (1 << 20), float64(ms.Sys-ms.HeapReleased) / (1 << 20)}
	}
	var at10, at100, at1000 sample
	g10 := 0
	for n := 0; n < 1000; {
		e := <-m.events
		m.onEvent(e)
		if e.Kind != monitor.Finished {
			continue
		}
		if e.Failed() {
			b.Fatalf("check %d failed: %v", n, e.Err)
		}
		switch n++; n {
		case 10:
			at10, g10 = measure(), runtime.NumGoroutine()
		case 100:
			at100 = measure()
		case 1000:
			at1000 = measure()
			b.ReportMetric(float64(runtime.NumGoroutine()-g10), "goroutines-growth")
		}
	}
	b.ReportMetric(at10.rss, "MB-rss-after-10")
	b.ReportMetric(at100.rss, "MB-rss-after-100")
	b.ReportMetric(at1000.rss, "MB-rss-after-1000")
	b.ReportMetric(100*(at1000.rss-at10.rss)/at10.rss, "%-rss-growth")
	b.ReportMetric(100*(at1000.rss-at100.rss)/at100.rss, "%-rss-growth-from-100")
	b.ReportMetric(at1000.anon-at10.anon, "MB-anon-growth")
	b.ReportMetric(at1000.heap-at10.heap, "MB-live-heap-growth")
	b.ReportMetric(at1000.runtimeHeld-at10.runtimeHeld, "MB-go-runtime-held-growth")
}

// BenchmarkIdleAgent starts the agent binary named by CLAUDEMEDIC_AGENT_BIN
// (with the arguments in CLAUDEMEDIC_AGENT_ARGS) against a healthy fake API,
// lets it run its first check, then leaves it idle for CLAUDEMEDIC_IDLE
// (default 60s), and reports its resident and proportional memory
// (/proc/PID/status, /proc/PID/smaps_rollup) and the CPU time it used while
// idle (/proc/PID/stat). scripts/bench-tray.sh runs it on a private desktop.
func BenchmarkIdleAgent(b *testing.B) {
	bin := os.Getenv("CLAUDEMEDIC_AGENT_BIN")
	if bin == "" {
		b.Skip("set CLAUDEMEDIC_AGENT_BIN (scripts/bench-tray.sh does)")
	}
	idle := 60 * time.Second
	if d, err := time.ParseDuration(os.Getenv("CLAUDEMEDIC_IDLE")); err == nil {
		idle = d
	}
	srv := netchecktest.Start(b, netchecktest.Healthy)
	for range b.N {
		home := b.TempDir()
		// CLAUDEMEDIC_AGENT_METRICS=1 turns the metrics endpoint on, and the
		// idle time is scraped every second as a busy Prometheus would.
		metricsURL := ""
		if os.Getenv("CLAUDEMEDIC_AGENT_METRICS") == "1" {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			port := ln.Addr().(*net.TCPAddr).Port
			ln.Close()
			os.MkdirAll(filepath.Join(home, "config", "claudemedic"), 0o700)
			if err := os.WriteFile(filepath.Join(home, "config", "claudemedic", "config.json"),
				[]byte(fmt.Sprintf(`{"metrics_port": %d}`, port)), 0o600); err != nil {
				b.Fatal(err)
			}
			metricsURL = fmt.Sprintf("http://127.0.0.1:%d/metrics", port)
		}
		// CLAUDEMEDIC_AGENT_TRANSCRIPTS=1 gives the agent Claude Code's
		// transcripts to watch: 20 projects' healthy sessions and a 529 of
		// a few minutes ago (the tray's line and amber icon are on).
		if os.Getenv("CLAUDEMEDIC_AGENT_TRANSCRIPTS") == "1" {
			cfg := filepath.Join(home, ".claude")
			for i := range 20 {
				doctortest.Transcript(b, cfg, doctortest.TranscriptOK, fmt.Sprintf("/src/p%d", i), "", time.Now().Add(-time.Duration(i)*time.Hour))
			}
			doctortest.Transcript(b, cfg, doctortest.Transcript529, "/src/p0", "", time.Now().Add(-3*time.Minute))
		}
		cmd := exec.Command(bin, strings.Fields(os.Getenv("CLAUDEMEDIC_AGENT_ARGS"))...)
		cmd.Env = append(os.Environ(),
			"HOME="+home, "XDG_STATE_HOME="+home+"/state", "XDG_CONFIG_HOME="+home+"/config",
			"XDG_RUNTIME_DIR="+home, "SHELL=/bin/sh",
			"ANTHROPIC_BASE_URL="+srv.URL(), "NODE_EXTRA_CA_CERTS="+srv.CAFile(), "ANTHROPIC_API_KEY="+netchecktest.TestKey)
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		last := filepath.Join(home, "state", "claudemedic", "last.json")
		deadline := time.Now().Add(60 * time.Second)
		// CLAUDEMEDIC_AGENT_BARE=1 measures a program that runs no check
		// (the bare fyne.io/systray sample, the reference): it gets 3 s to
		// start instead.
		for bare := os.Getenv("CLAUDEMEDIC_AGENT_BARE") == "1"; bare; bare = false {
			time.Sleep(3 * time.Second)
			last = ""
		}
		for last != "" {
			if _, err := os.Stat(last); err == nil {
				break
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				b.Fatal("the agent never recorded its first check")
			}
			time.Sleep(100 * time.Millisecond)
		}
		if r, _ := os.ReadFile(last); last != "" && !strings.Contains(string(r), `"verdict":"ok"`) {
			b.Fatalf("the first check was not ok: %s", r)
		}
		time.Sleep(time.Second) // let the first check's work settle
		pid := cmd.Process.Pid
		cpu0 := cpuSeconds(pid)
		scrapes := 0
		if metricsURL == "" {
			time.Sleep(idle)
		} else {
			for end := time.Now().Add(idle); time.Now().Before(end); time.Sleep(time.Second) {
				resp, err := http.Get(metricsURL)
				if err != nil {
					b.Fatalf("scraping the agent: %v", err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if !strings.Contains(string(body), "claudemedic_api_up 1\n") {
					b.Fatalf("the agent's metrics lack claudemedic_api_up 1:\n%s", body)
				}
				scrapes++
			}
		}
		cpu1 := cpuSeconds(pid)
		// CLAUDEMEDIC_SMAPS_DIR keeps the agent's /proc/PID/smaps, to say
		// which mapping holds the megabytes (scripts/smaps-breakdown.sh).
		if dir := os.Getenv("CLAUDEMEDIC_SMAPS_DIR"); dir != "" {
			if sm, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps", pid)); err == nil {
				os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.smaps", filepath.Base(bin), pid)), sm, 0o644)
			}
			if pages, err := residentPages(pid, bin); err == nil {
				os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.pages", filepath.Base(bin), pid)), []byte(pages), 0o644)
			}
		}
		status, rollup := fmt.Sprintf("/proc/%d/status", pid), fmt.Sprintf("/proc/%d/smaps_rollup", pid)
		b.ReportMetric(procKB(status, "VmRSS")/1024, "MB-rss")
		b.ReportMetric(procKB(status, "RssAnon")/1024, "MB-rss-anon")
		b.ReportMetric(procKB(status, "RssFile")/1024, "MB-rss-file")
		b.ReportMetric(procKB(rollup, "Pss")/1024, "MB-pss")
		b.ReportMetric(cpu1-cpu0, "s-cpu-idle")
		if scrapes > 0 {
			b.ReportMetric(float64(scrapes), "scrapes")
		}
		cmd.Process.Signal(os.Interrupt)
		stopped := make(chan struct{})
		go func() { cmd.Wait(); close(stopped) }()
		select {
		case <-stopped:
		case <-time.After(5 * time.Second): // the systray sample may not stop on an interrupt
			cmd.Process.Kill()
			<-stopped
		}
	}
}

// residentPages lists the addresses (hex, one a line) of the pages of the
// executable bin that are in process pid's resident set, from
// /proc/PID/maps and /proc/PID/pagemap (bit 63: present), so the resident
// code and data can be put down to the symbols and sections that hold them.
func residentPages(pid int, bin string) (string, error) {
	bin, _ = filepath.Abs(bin)
	maps, err := os.ReadFile(fmt.Sprintf("/proc/%d/maps", pid))
	if err != nil {
		return "", err
	}
	pm, err := os.Open(fmt.Sprintf("/proc/%d/pagemap", pid))
	if err != nil {
		return "", err
	}
	defer pm.Close()
	var out strings.Builder
	page := uint64(os.Getpagesize())
	for _, line := range strings.Split(string(maps), "\n") {
		f := strings.Fields(line)
		if len(f) < 6 || f[5] != bin {
			continue
		}
		lo, hi, _ := strings.Cut(f[0], "-")
		start, _ := strconv.ParseUint(lo, 16, 64)
		end, _ := strconv.ParseUint(hi, 16, 64)
		buf := make([]byte, (end-start)/page*8)
		if _, err := pm.ReadAt(buf, int64(start/page*8)); err != nil {
			return "", err
		}
		for i := range (end - start) / page {
			e := uint64(0)
			for k := range 8 {
				e |= uint64(buf[i*8+uint64(k)]) << (8 * k)
			}
			if e&(1<<63) != 0 {
				fmt.Fprintf(&out, "%x %s\n", start+i*page, f[1])
			}
		}
	}
	return out.String(), nil
}
