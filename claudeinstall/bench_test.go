//go:build unix

package claudeinstall

import (
	"context"
	"sync"
	"testing"
	"time"

	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// BenchmarkCheck is a whole check against the healthy fake API, alone and
// with the version look-up beside it (as `claudemedic check` and the tray
// run it) on a warm cache: two installs, the latest version known.
func BenchmarkCheck(b *testing.B) {
	srv := netchecktest.Start(b, netchecktest.Healthy)
	target, nopts := srv.Target(), srv.Options()
	m := newMachine(b)
	reg := newRegistry(b, distTags("2.1.330"))
	o := opts(m, m.env(m.nativeBin, m.npmBin), reg.URL)
	Lookup(context.Background(), o) // warm the cache
	runs, hits := m.runs(), reg.hits.Load()
	b.Run("without-lookup", func(b *testing.B) {
		for range b.N {
			netcheck.Run(context.Background(), target, nopts)
		}
	})
	b.Run("with-cached-lookup", func(b *testing.B) {
		for range b.N {
			var wg sync.WaitGroup
			var r *Result
			var took time.Duration
			wg.Add(1)
			go func() {
				defer wg.Done()
				t0 := time.Now()
				r = Lookup(context.Background(), o)
				took = time.Since(t0)
			}()
			rep := netcheck.Run(context.Background(), target, nopts)
			wg.Wait()
			r.AddTo(rep, took)
		}
	})
	b.Run("lookup-alone-cached", func(b *testing.B) {
		for range b.N {
			Lookup(context.Background(), o)
		}
	})
	if m.runs() != runs || reg.hits.Load() != hits {
		b.Errorf("the cached look-ups ran claude %d times and asked the registry %d times", m.runs()-runs, reg.hits.Load()-hits)
	}
}
