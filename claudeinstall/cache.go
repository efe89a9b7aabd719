package claudeinstall

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"time"

	"github.com/natefinch/atomic"
)

// CacheFile is the cache's name in the state folder.
const CacheFile = "claude-code.json"

// How long the cache keeps what it learnt.
const (
	LatestFor     = 24 * time.Hour // the latest version (or why it could not be read): one request a day
	NPMPrefixFor  = 24 * time.Hour // npm's global prefix
	VersionErrFor = time.Hour      // a claude that did not say its version is asked again after this
)

// cache is what the look-up keeps between checks, in CacheDir/claude-code.json:
// each claude's version by the file's identity, npm's prefix, and the latest
// version. It holds no secret.
type cache struct {
	Versions  map[string]cachedVersion `json:"versions"` // by resolved path
	NPMPrefix *cachedPrefix            `json:"npm_prefix,omitempty"`
	Latest    *cachedLatest            `json:"latest,omitempty"`

	read []byte // the file as read, so an unchanged cache is not written again
}

type cachedVersion struct {
	Size    int64     `json:"size"`
	ModTime int64     `json:"mtime_ns"`
	Version string    `json:"version,omitempty"`
	Error   string    `json:"error,omitempty"`
	At      time.Time `json:"at"`
}

type cachedPrefix struct {
	NPM    string    `json:"npm"`
	Prefix string    `json:"prefix"`
	At     time.Time `json:"at"`
}

type cachedLatest struct {
	Registry string    `json:"registry"`
	Version  string    `json:"version,omitempty"`
	Error    string    `json:"error,omitempty"`
	At       time.Time `json:"at"`
}

// loadCache reads the cache; a missing or damaged file is an empty cache.
func loadCache(dir string) *cache {
	c := &cache{}
	if dir != "" {
		if b, err := os.ReadFile(filepath.Join(dir, CacheFile)); err == nil {
			_ = json.Unmarshal(b, c) // a damaged cache is rebuilt
			c.read = b
		}
	}
	if c.Versions == nil {
		c.Versions = map[string]cachedVersion{}
	}
	return c
}

// save writes the cache atomically; a cache that cannot be written only costs
// the next check the look-up again.
func (c *cache) save(dir string) error {
	if dir == "" {
		return nil
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if bytes.Equal(b, c.read) {
		return nil // a warm cache: nothing learnt, no write
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return atomic.WriteFile(filepath.Join(dir, CacheFile), bytes.NewReader(b))
}
