package doctor

import (
	"context"

	"claudemedic/claudecache"
	"claudemedic/claudecfg"
)

// Cache is the use cases on Claude Code's folder (claudecache): list what is
// in it, clear the disposable part into Claude Medic's trash, undo a clear.
// The zero value works on this machine's folder and processes.
type Cache struct {
	// Dir is Claude Code's folder; nil is claudecfg.Dir.
	Dir func() (string, error)
	// Processes lists the running Claude Code processes a clear waits for;
	// nil is this machine's (claudecache.ClaudeProcesses).
	Processes func() []int
}

func (c Cache) dir() (string, error) {
	if c.Dir != nil {
		return c.Dir()
	}
	return claudecfg.Dir()
}

func (c Cache) processes() []int {
	if c.Processes != nil {
		return c.Processes()
	}
	return claudecache.ClaudeProcesses()
}

// CacheListing is what is in Claude Code's folder.
type CacheListing struct {
	Dir     string                  `json:"dir"`
	Items   []claudecache.CacheItem `json:"items"`
	Running []int                   `json:"claude_running"` // Claude Code processes running now
}

// List lists Claude Code's folder by class, with sizes, after purging clears
// older than claudecache.TrashKeep.
func (c Cache) List(ctx context.Context) (*CacheListing, error) {
	dir, err := c.dir()
	if err != nil {
		return nil, err
	}
	claudecache.PurgeTrash(claudecache.TrashKeep)
	items, err := claudecache.ListCache(dir)
	if err != nil {
		return nil, err
	}
	if items == nil {
		items = []claudecache.CacheItem{}
	}
	return &CacheListing{Dir: dir, Items: items, Running: c.processes()}, nil
}

// CacheClear chooses what Clear moves.
type CacheClear struct {
	Include []string // user-data items to move as well, by name
	DryRun  bool     // say what would move, move nothing
	Force   bool     // clear even while Claude Code runs
}

// Cleared is a clear: what moved (or would), and its undo.
type Cleared struct {
	*claudecache.Batch
	Dir string
	// Undo puts the clear back; nil when nothing moved (or a dry run).
	Undo func() error `json:"-"`
}

// Clear moves the cache (and the user data named) into the trash. While
// Claude Code runs it refuses with a *claudecache.RunningError unless Force.
// A clear that moves nothing leaves no trash entry; one that fails part way
// (*claudecache.MoveError) can be undone for what moved.
func (c Cache) Clear(ctx context.Context, o CacheClear) (*Cleared, error) {
	dir, err := c.dir()
	if err != nil {
		return nil, err
	}
	b, err := claudecache.ClearCache(dir, claudecache.ClearOptions{Include: o.Include, DryRun: o.DryRun, Force: o.Force, Processes: c.processes})
	if b == nil {
		return nil, err
	}
	out := &Cleared{Batch: b, Dir: dir}
	if id := b.ID; id != "" && !o.DryRun {
		out.Undo = func() error { _, err := claudecache.UndoClear(id, false); return err }
	}
	return out, err
}

// Undo puts the clear id ("" the latest) back. Items Claude Code made again
// since are a *claudecache.ConflictError, unless replace moves them to the
// trash first.
func (c Cache) Undo(ctx context.Context, id string, replace bool) (*claudecache.Batch, error) {
	return claudecache.UndoClear(id, replace)
}

// Clears lists the clears that can be undone, newest first.
func (c Cache) Clears(ctx context.Context) ([]claudecache.Batch, error) {
	return claudecache.TrashBatches()
}
