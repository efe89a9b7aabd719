# Claude Medic: build, test and package. Three binaries, installed side by
# side: claudemedic (the command line; it hands `window` and `tray` over to
# the other two), claudemedic-window (the window, the only one that links the
# window toolkit, Fyne, with OpenGL and X11) and claudemedic-agent (the tray
# agent). `make dist` makes the Linux archive (the binaries, the .desktop
# entry and icon) with fyne.io/tools' `fyne package`, which reads the name,
# ID, version, icon and categories from FyneApp.toml.

NAME    = claudemedic
VERSION = $(shell sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
GOARCH ?= $(shell go env GOARCH)
ARCHIVE = bin/dist/$(NAME)-$(VERSION)-linux-$(GOARCH).tar.xz
DEB     = bin/dist/$(NAME)_$(VERSION)_$(GOARCH).deb
# The window is built without Fyne's emoji font, which none of its texts
# uses: parsed once per text style at the start, it cost the window's first
# frame some 15 MB and 18 ms of CPU (app/gui/theme.go).
WINDOW_TAGS = no_emoji

.PHONY: build test dist deb clean

build:
	go build -trimpath -o bin/$(NAME) .
	go build -trimpath -tags $(WINDOW_TAGS) -o bin/$(NAME)-window ./cmd/claudemedic-window
	go build -trimpath -o bin/$(NAME)-agent ./cmd/claudemedic-agent

test:
	scripts/test.sh

# The archive unpacks to claudemedic/usr/local/bin/claudemedic (and beside it
# the window's binary, claudemedic-window, and the tray agent's, claudemedic-agent),
# .../share/applications/io.github.claudemedic.desktop and
# .../share/pixmaps/io.github.claudemedic.png, with a Makefile whose
# `make user-install` (or `sudo make install`) puts them in place.
dist:
	mkdir -p bin/dist
	go build -trimpath -ldflags="-s -w" -o bin/dist/$(NAME) .
	go build -trimpath -tags $(WINDOW_TAGS) -ldflags="-s -w" -o bin/dist/$(NAME)-window ./cmd/claudemedic-window
	go build -trimpath -ldflags="-s -w" -o bin/dist/$(NAME)-agent ./cmd/claudemedic-agent
	# fyne package rewrites FyneApp.toml (it counts builds): keep the committed one.
	cp FyneApp.toml bin/dist/FyneApp.toml.keep
	go tool fyne package --target linux --release --exe $(CURDIR)/bin/dist/$(NAME); \
		status=$$?; mv bin/dist/FyneApp.toml.keep FyneApp.toml; exit $$status
	rm -rf bin/dist/pkg && mkdir -p bin/dist/pkg
	tar -xJf "Claude Medic.tar.xz" -C bin/dist/pkg && rm "Claude Medic.tar.xz"
	# fyne tools 1.7.2 names the icon without its .png in the archive's Makefile,
	# so its install targets fail: name the file as it is.
	sed -i 's/^Icon := "\(.*\)"$$/Icon := "\1.png"/' bin/dist/pkg/$(NAME)/Makefile
	# The window's and the tray agent's binaries go beside the main one
	# (installed and removed with it).
	cp bin/dist/$(NAME)-window bin/dist/$(NAME)-agent bin/dist/pkg/$(NAME)/usr/local/bin/
	for b in agent window; do \
		sed -i -e 's|^\(\tinstall -Dm00755 usr/local/bin/\$$(Exec) \(.*\)/\$$(Exec)\)$$|\1\n\tinstall -Dm00755 usr/local/bin/\$$(Exec)-'$$b' \2/\$$(Exec)-'$$b'|' \
			-e 's|^\(\t-rm \(.*\)/bin/\$$(Exec)\)$$|\1\n\t-rm \2/bin/\$$(Exec)-'$$b'|' bin/dist/pkg/$(NAME)/Makefile || exit 1; \
	done
	grep -q 'Exec)-window' bin/dist/pkg/$(NAME)/Makefile && grep -q 'Exec)-agent' bin/dist/pkg/$(NAME)/Makefile
	tar -cJf $(ARCHIVE) -C bin/dist/pkg $(NAME)
	rm -rf bin/dist/pkg
	tar -tJf $(ARCHIVE)

# The Debian package: the three binaries (position-independent, stripped), the
# .desktop entry, the icon in each hicolor size, the copyright file, the
# changelog and man pages, built by nfpm (a `go tool` of go.mod) from
# packaging/nfpm.yaml. scripts/test-deb.sh checks, installs and removes it.
deb:
	rm -rf bin/dist/deb && mkdir -p bin/dist/deb
	go build -trimpath -buildmode=pie -ldflags="-s -w -bindnow" -o bin/dist/deb/$(NAME) .
	go build -trimpath -tags $(WINDOW_TAGS) -buildmode=pie -ldflags="-s -w -bindnow" -o bin/dist/deb/$(NAME)-window ./cmd/claudemedic-window
	go build -trimpath -buildmode=pie -ldflags="-s -w -bindnow" -o bin/dist/deb/$(NAME)-agent ./cmd/claudemedic-agent
	objcopy --remove-section=.comment bin/dist/deb/$(NAME)
	objcopy --remove-section=.comment bin/dist/deb/$(NAME)-window
	objcopy --remove-section=.comment bin/dist/deb/$(NAME)-agent
	go run ./packaging/icons bin/dist/deb/icons
	gzip -9n < packaging/changelog > bin/dist/deb/changelog.gz
	gzip -9n < packaging/claudemedic.1 > bin/dist/deb/claudemedic.1.gz
	gzip -9n < packaging/claudemedic-agent.1 > bin/dist/deb/claudemedic-agent.1.gz
	gzip -9n < packaging/claudemedic-window.1 > bin/dist/deb/claudemedic-window.1.gz
	VERSION=$(VERSION) go tool nfpm package --config packaging/nfpm.yaml --packager deb --target $(DEB)
	rm -rf bin/dist/deb

clean:
	rm -rf bin
