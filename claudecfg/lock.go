package claudecfg

import "claudemedic/internal/filelock"

// lockFile takes the exclusive lock at path that other processes' writers
// respect and the system drops if the process dies (internal/filelock, the
// lock the tray agent and the state folder use too), waiting while another
// writer holds it.
func lockFile(path string) (unlock func(), err error) {
	l, err := filelock.Wait(path)
	if err != nil {
		return nil, err
	}
	return func() { l.Unlock() }, nil
}
