package claudecfg

import (
	"bytes"
	"fmt"
	"strings"

	"claudemedic/claudesettings"
)

// ScrubBackups removes a credential from the backups of a settings file once
// it has moved to the keychain (`claudemedic key use-with-claude-code
// --move-plaintext`): every env entry whose value is secret is deleted from
// each backup, and every other byte stays, so a backup never keeps the
// plaintext copy the move took away. Restoring a scrubbed backup gives the
// old settings without the key, which stays in the keychain. It returns how
// many backups changed. Only env values are matched: a secret written
// elsewhere in a file (inside a command, say) is left alone.
func ScrubBackups(file, secret string) (int, error) {
	if strings.TrimSpace(secret) == "" {
		return 0, nil
	}
	if list, err := Backups(file); err != nil || len(list) == 0 {
		return 0, err
	}
	target, err := linkTarget(file)
	if err != nil {
		return 0, err
	}
	bdir, err := backupDir(target)
	if err != nil {
		return 0, err
	}
	lock, err := lockBackups(bdir)
	if err != nil {
		return 0, fmt.Errorf("locking the backups of %s: %w", file, err)
	}
	defer lock.Unlock()
	list, err := listBackups(bdir)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, b := range list {
		data, err := readLimited(b.Path)
		if err != nil || !bytes.Contains(data, []byte(strings.TrimSpace(secret))) {
			continue
		}
		values, err := decodeSettings(b.Path, data)
		if err != nil {
			continue // not a backup the writer made; nothing to edit safely
		}
		env, _ := EnvOf(values)
		out := data
		for name, s := range env {
			if strings.TrimSpace(s) == strings.TrimSpace(secret) {
				if out, err = applyEdit(out, Unset(claudesettings.EnvKey, name)); err != nil {
					return n, fmt.Errorf("removing the key from the backup %s: %w", b.Path, err)
				}
			}
		}
		if bytes.Equal(out, data) {
			continue
		}
		if err := atomicWrite(b.Path, out, 0o600, nil); err != nil {
			return n, fmt.Errorf("removing the key from the backup %s: %w", b.Path, err)
		}
		n++
	}
	return n, nil
}
