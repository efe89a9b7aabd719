//go:build !linux

package claudetranscript

import (
	"context"
	"time"
)

// walkTranscripts lists the transcripts under dir whose modification time
// keep accepts (all when keep is nil); see listTranscripts.
func walkTranscripts(ctx context.Context, dir string, keep func(time.Time) bool) ([]transcript, error) {
	return walkPortable(ctx, dir, keep)
}
