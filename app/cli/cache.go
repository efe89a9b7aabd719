package cli

import (
	"claudemedic/claudecache"
	"claudemedic/internal/i18n"
)

var cacheCommand = &command{
	name: "cache",
	summary: func(tr i18n.Printer) string {
		return tr.X("cache.summary", "list and clear Claude Code's cache, with undo")
	},
	subs: []*command{
		{name: "list", run: runCacheList, summary: func(tr i18n.Printer) string {
			return tr.X("cache.list_summary", "what is in Claude Code's folder, by class, with sizes")
		}},
		{name: "clear", run: runCacheClear, summary: func(tr i18n.Printer) string {
			return tr.X("cache.clear_summary", "move the cache into Claude Medic's trash")
		}},
		{name: "undo", run: runCacheUndo, summary: func(tr i18n.Printer) string {
			return tr.X("cache.undo_summary", "put the last clear back, byte for byte")
		}},
	},
}

// classTitle is a class as the list heads it.
func classTitle(tr i18n.Printer, c claudecache.Class) string {
	switch c {
	case claudecache.ClassCache:
		return tr.X("cache.title_cache", "Cache (safe to clear: Claude Code makes it again)")
	case claudecache.ClassUserData:
		return tr.X("cache.title_user", "User data (cleared only when named with --include)")
	}
	return tr.X("cache.title_never", "Never touched (settings, credentials, your own files)")
}
