package keystore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/natefinch/atomic"

	"claudemedic/appdirs"
	"claudemedic/claudesettings"
)

// ProfilesFile is the file, under appdirs.Config(), that lists the profiles
// with a stored key and each one's kind. It holds names, never a secret: the
// keychains go-keyring uses cannot list their items portably.
const ProfilesFile = "profiles.json"

// maxProfileName bounds a profile name's length.
const maxProfileName = 64

// profileEntry is one profile in ProfilesFile.
type profileEntry struct {
	Name string                        `json:"name"`
	Kind claudesettings.CredentialKind `json:"kind"`
}

type profilesDoc struct {
	Profiles []profileEntry `json:"profiles"`
}

// profilesMu serialises this process's read-modify-write of ProfilesFile.
var profilesMu sync.Mutex

// checkProfile returns profile, or DefaultProfile for "", or an error when
// the name is not 1 to 64 letters, digits, '.', '_' or '-' starting with a
// letter or digit (it goes into the apiKeyHelper command line).
func checkProfile(profile string) (string, error) {
	if profile == "" {
		return DefaultProfile, nil
	}
	ok := len(profile) <= maxProfileName
	for i := 0; ok && i < len(profile); i++ {
		c := profile[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		ok = alnum || i > 0 && (c == '.' || c == '_' || c == '-')
	}
	if !ok {
		return "", fmt.Errorf("the profile name %q is not valid: use up to %d letters, digits, '.', '_' or '-', starting with a letter or digit", profile, maxProfileName)
	}
	return profile, nil
}

// Profiles returns the names of the profiles with a stored key, sorted, as
// recorded by Set and Delete (a key stored by another tool is not listed).
func Profiles() ([]string, error) {
	profilesMu.Lock()
	defer profilesMu.Unlock()
	doc, _, err := readProfiles()
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(doc.Profiles))
	for _, p := range doc.Profiles {
		names = append(names, p.Name)
	}
	slices.Sort(names)
	return names, nil
}

// kindOf returns the kind recorded for profile, KindAPIKey when none is.
func kindOf(profile string) claudesettings.CredentialKind {
	profilesMu.Lock()
	defer profilesMu.Unlock()
	doc, _, err := readProfiles()
	if err == nil {
		for _, p := range doc.Profiles {
			if p.Name == profile && p.Kind != "" {
				return p.Kind
			}
		}
	}
	return claudesettings.KindAPIKey
}

func addProfile(profile string, kind claudesettings.CredentialKind) error {
	return editProfiles(func(ps []profileEntry) []profileEntry {
		ps = slices.DeleteFunc(ps, func(p profileEntry) bool { return p.Name == profile })
		return append(ps, profileEntry{profile, kind})
	})
}

func removeProfile(profile string) error {
	return editProfiles(func(ps []profileEntry) []profileEntry {
		return slices.DeleteFunc(ps, func(p profileEntry) bool { return p.Name == profile })
	})
}

// editProfiles rewrites ProfilesFile atomically with edit's result; a file
// that edit leaves unchanged is not written.
func editProfiles(edit func([]profileEntry) []profileEntry) error {
	profilesMu.Lock()
	defer profilesMu.Unlock()
	doc, path, err := readProfiles()
	if err != nil {
		return err
	}
	before := slices.Clone(doc.Profiles)
	doc.Profiles = edit(doc.Profiles)
	if slices.Equal(before, doc.Profiles) {
		return nil
	}
	slices.SortFunc(doc.Profiles, func(a, b profileEntry) int { return strings.Compare(a.Name, b.Name) })
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	if _, err := appdirs.Ensure(filepath.Dir(path), nil); err != nil {
		return err
	}
	if err := atomic.WriteFile(path, bytes.NewReader(append(b, '\n'))); err != nil {
		return fmt.Errorf("saving %s: %w", path, err)
	}
	return nil
}

// readProfiles reads ProfilesFile; a missing file is an empty list, and a
// damaged one an error that names it (it is never overwritten unread).
func readProfiles() (profilesDoc, string, error) {
	dir, err := appdirs.Config()
	if err != nil {
		return profilesDoc{}, "", err
	}
	path := filepath.Join(dir, ProfilesFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return profilesDoc{}, path, nil
	}
	if err != nil {
		return profilesDoc{}, path, fmt.Errorf("reading the list of profiles: %w", err)
	}
	var doc profilesDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		return profilesDoc{}, path, fmt.Errorf("the list of profiles %s is damaged (%v): fix or delete it; it holds only profile names", path, err)
	}
	return doc, path, nil
}
