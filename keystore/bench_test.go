package keystore

import (
	"context"
	"testing"
)

// Benchmarks against the real Secret Service of scripts/testenv.sh:
//
//	scripts/testenv.sh go test -run '^$' -bench . -benchmem ./keystore/

func BenchmarkGet(b *testing.B) {
	desktop(b)
	b.Setenv("XDG_CONFIG_HOME", b.TempDir())
	ctx := context.Background()
	p := uniqueProfile(b)
	if err := Set(ctx, p, testKey); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { Delete(ctx, p) })
	b.ResetTimer()
	for b.Loop() {
		if _, err := Get(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSet(b *testing.B) {
	desktop(b)
	b.Setenv("XDG_CONFIG_HOME", b.TempDir())
	ctx := context.Background()
	p := uniqueProfile(b)
	b.Cleanup(func() { Delete(ctx, p) })
	for b.Loop() {
		if err := Set(ctx, p, testKey); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStatus(b *testing.B) {
	desktop(b)
	b.Setenv("XDG_CONFIG_HOME", b.TempDir())
	ctx := context.Background()
	p := uniqueProfile(b)
	if err := Set(ctx, p, testKey); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { Delete(ctx, p) })
	for b.Loop() {
		if st, err := Status(ctx, p); err != nil || !st.Stored {
			b.Fatal(st, err)
		}
	}
}
