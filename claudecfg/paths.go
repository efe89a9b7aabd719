package claudecfg

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"claudemedic/claudesettings"
)

// Layer is one of Claude Code's settings files.
type Layer string

// The settings layers, from lowest to highest precedence.
const (
	LayerUser    Layer = "user"    // ~/.claude/settings.json (or $CLAUDE_CONFIG_DIR/settings.json)
	LayerProject Layer = "project" // <project>/.claude/settings.json
	LayerLocal   Layer = "local"   // <project>/.claude/settings.local.json
	LayerManaged Layer = "managed" // the system-wide managed-settings.json
)

// Layers lists the layers from lowest to highest precedence.
var Layers = []Layer{LayerUser, LayerProject, LayerLocal, LayerManaged}

// ParseLayer reads a layer name as the command line gives it.
func ParseLayer(s string) (Layer, error) {
	for _, l := range Layers {
		if string(l) == s {
			return l, nil
		}
	}
	return "", fmt.Errorf("unknown settings layer %q (one of: user, project, local, managed)", s)
}

// ErrNoProjectDir is returned for the project and local layers without a project folder.
var ErrNoProjectDir = errors.New("the project and local settings need a project folder")

// managedSettingsPath is the managed settings file per OS; tests point it elsewhere.
var managedSettingsPath = func() string {
	switch runtime.GOOS {
	case "darwin":
		return "/Library/Application Support/ClaudeCode/managed-settings.json"
	case "windows":
		return `C:\Program Files\ClaudeCode\managed-settings.json`
	}
	return "/etc/claude-code/managed-settings.json"
}()

// Dir is Claude Code's folder: $CLAUDE_CONFIG_DIR when set, else ~/.claude.
func Dir() (string, error) {
	return dirFrom(os.Getenv("CLAUDE_CONFIG_DIR"))
}

// dirFrom is Dir for a given CLAUDE_CONFIG_DIR value (the effective one may
// come from the login shell).
func dirFrom(configDir string) (string, error) {
	if configDir != "" {
		if abs, err := filepath.Abs(expandHome(configDir)); err == nil {
			return abs, nil
		}
		return configDir, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("finding the home folder for ~/.claude: %w", err)
	}
	return filepath.Join(home, ".claude"), nil
}

// expandHome replaces a leading "~/" with the home folder, as a shell would
// have when the variable was set in a profile.
func expandHome(p string) string {
	if len(p) >= 2 && p[0] == '~' && (p[1] == '/' || p[1] == filepath.Separator) {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[2:])
		}
	}
	return p
}

// SettingsPath is the settings file of layer; projectDir is needed for the
// project and local layers.
func SettingsPath(layer Layer, projectDir string) (string, error) {
	return settingsPathIn(layer, projectDir, os.Getenv(claudesettings.VarConfigDir))
}

func settingsPathIn(layer Layer, projectDir, configDir string) (string, error) {
	switch layer {
	case LayerUser:
		dir, err := dirFrom(configDir)
		if err != nil {
			return "", err
		}
		return filepath.Join(dir, "settings.json"), nil
	case LayerProject, LayerLocal:
		if projectDir == "" {
			return "", ErrNoProjectDir
		}
		abs, err := filepath.Abs(projectDir)
		if err != nil {
			return "", fmt.Errorf("project folder %s: %w", projectDir, err)
		}
		name := "settings.json"
		if layer == LayerLocal {
			name = "settings.local.json"
		}
		return filepath.Join(abs, ".claude", name), nil
	case LayerManaged:
		return managedSettingsPath, nil
	}
	return "", fmt.Errorf("unknown settings layer %q", layer)
}

// SamePath reports whether two paths name the same file (or the same path,
// when neither exists).
func SamePath(a, b string) bool { return samePath(a, b) }
