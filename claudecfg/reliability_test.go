package claudecfg

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The helper process: when CLAUDECFG_HELPER is set, TestHelperProcess is a
// writer started by the tests below, not a test.
func TestHelperProcess(t *testing.T) {
	path := os.Getenv("CLAUDECFG_HELPER_FILE")
	switch os.Getenv("CLAUDECFG_HELPER") {
	case "":
		t.Skip("a helper process for the reliability tests")
	case "writer": // rewrite the file forever, each version a different size
		for i := 0; ; i++ {
			pad := strings.Repeat("x", (i%7)*20000)
			if _, err := EditFile(path, Set(strconv.Itoa(i), "n"), Set(pad, "pad")); err != nil && !errors.Is(err, ErrChangedOnDisk) {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(3)
			}
		}
	case "setter": // set key $CLAUDECFG_HELPER_KEY to 0..n-1 with EditFile; any refusal fails
		key := os.Getenv("CLAUDECFG_HELPER_KEY")
		n, _ := strconv.Atoi(os.Getenv("CLAUDECFG_HELPER_N"))
		for i := range n {
			if _, err := EditFile(path, EnvEdit(key, strconv.Itoa(i))); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(3)
			}
		}
		os.Exit(0)
	case "counter": // increment key $CLAUDECFG_HELPER_KEY n times, retrying on a change on disk
		key := os.Getenv("CLAUDECFG_HELPER_KEY")
		n, _ := strconv.Atoi(os.Getenv("CLAUDECFG_HELPER_N"))
		if err := increment(path, key, n); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		os.Exit(0)
	}
}

// increment adds 1 to the number at key n times, as a careful editor does:
// read, change, save, and on "changed on disk" read again.
func increment(path, key string, n int) error {
	for done := 0; done < n; {
		d, err := Open(path)
		if err != nil {
			return err
		}
		vals, err := d.Values()
		if err != nil {
			return err
		}
		cur := 0
		if v, ok := vals[key].(json.Number); ok {
			c, _ := v.Int64()
			cur = int(c)
		}
		if err := d.Apply(Set(cur+1, key)); err != nil {
			return err
		}
		if _, err := d.Save(); errors.Is(err, ErrChangedOnDisk) {
			continue
		} else if err != nil {
			return err
		}
		done++
	}
	return nil
}

func helper(t *testing.T, mode, path string, env ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), append([]string{"CLAUDECFG_HELPER=" + mode, "CLAUDECFG_HELPER_FILE=" + path}, env...)...)
	cmd.Stderr = os.Stderr
	return cmd
}

// TestKilledWriterLeavesOldOrNew kills a writer with SIGKILL at random points:
// the file is always a whole version the writer wrote, never a mix, and the
// next write removes any temporary file the killed one left (beside the
// settings file and among its backups). CLAUDEMEDIC_KILLS=1000 runs it 1,000
// times (scripts/kill-writers.sh).
func TestKilledWriterLeavesOldOrNew(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL is for Unix")
	}
	dir := testHome(t)
	path := filepath.Join(dir, "settings.json")
	const original = "{\n  \"model\": \"opus\",\n  \"n\": \"start\"\n}\n"
	writeFile(t, path, original)
	runs := 60
	if testing.Short() {
		runs = 10
	}
	if n, err := strconv.Atoi(os.Getenv("CLAUDEMEDIC_KILLS")); err == nil && n > 0 {
		runs = n
	}
	killedMidWrite, changed := 0, 0
	for run := range runs {
		before, _ := os.ReadFile(path)
		cmd := helper(t, "writer", path)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rand.IntN(40000)) * time.Microsecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		var v struct {
			Model string `json:"model"`
			N     string `json:"n"`
			Pad   string `json:"pad"`
		}
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatalf("run %d: the file does not parse after SIGKILL: %v\n%.200q", run, err, data)
		}
		n, err := strconv.Atoi(v.N)
		if string(data) != string(before) {
			changed++
		}
		switch {
		case string(data) == string(before):
		case v.Model != "opus" || err != nil || len(v.Pad) != (n%7)*20000 || strings.Trim(v.Pad, "x") != "":
			t.Fatalf("run %d: a mixed file: model %q n %q pad %d", run, v.Model, v.N, len(v.Pad))
		}
		if len(tempFiles(t, dir)) > 0 {
			killedMidWrite++
		}
		if run%2 == 0 { // every other run: the next write cleans up (the others leave it to the next writer process)
			if _, err := EditFile(path, Set(strconv.Itoa(run), "after")); err != nil {
				t.Fatalf("run %d: the write after the kill: %v", run, err)
			}
			if left := tempFiles(t, dir); len(left) > 0 {
				t.Fatalf("run %d: the next write left the killed writer's temporary files: %v", run, left)
			}
		}
	}
	if _, err := EditFile(path, Set("last", "after")); err != nil {
		t.Fatal(err)
	}
	if left := tempFiles(t, dir); len(left) > 0 {
		t.Fatalf("temporary files after the last write: %v", left)
	}
	t.Logf("%d runs: %d left a new version, %d were killed with a temporary file made; after the next write, none was left", runs, changed, killedMidWrite)
}

// tempFiles lists temporary files beside the settings in dir and among the backups.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, root := range []string{dir, filepath.Join(os.Getenv("XDG_DATA_HOME"))} {
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.Contains(d.Name(), ".tmp") || strings.Contains(d.Name(), tempInfix)) {
				out = append(out, p)
			}
			return nil
		})
	}
	return out
}

// TestConcurrentWritersLoseNothing runs writers in several processes and
// goroutines at once: every increment lands, because a save over a file that
// changed since it was read fails with ErrChangedOnDisk instead of losing it.
func TestConcurrentWritersLoseNothing(t *testing.T) {
	dir := testHome(t)
	path := filepath.Join(dir, "settings.json")
	writeFile(t, path, "{\n  \"keep\": [1, 2, 3]\n}\n")
	const procs, goroutines, n = 3, 3, 15
	var wg sync.WaitGroup
	errs := make(chan error, procs+goroutines)
	for i := range procs {
		cmd := helper(t, "counter", path, fmt.Sprintf("CLAUDECFG_HELPER_KEY=p%d", i), fmt.Sprintf("CLAUDECFG_HELPER_N=%d", n))
		wg.Go(func() {
			if err := cmd.Run(); err != nil {
				errs <- fmt.Errorf("writer process: %w", err)
			}
		})
	}
	for i := range goroutines {
		wg.Go(func() {
			if err := increment(path, fmt.Sprintf("g%d", i), n); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	f, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range procs {
		if got := f.Values[fmt.Sprintf("p%d", i)]; got != json.Number(strconv.Itoa(n)) {
			t.Errorf("p%d = %v, want %d: an update was lost", i, got, n)
		}
	}
	for i := range goroutines {
		if got := f.Values[fmt.Sprintf("g%d", i)]; got != json.Number(strconv.Itoa(n)) {
			t.Errorf("g%d = %v, want %d: an update was lost", i, got, n)
		}
	}
	if !strings.HasPrefix(string(f.Data), "{\n  \"keep\": [1, 2, 3],\n") {
		t.Errorf("the first member moved: %.60q", f.Data)
	}
}
