# Claude Medic: build, test and package. `make dist` makes the Linux archive
# (the binary, its .desktop entry and icon) with fyne.io/tools' `fyne package`,
# which reads the name, ID, version, icon and categories from FyneApp.toml.

NAME    = claudemedic
VERSION = 0.1.0
GOARCH ?= $(shell go env GOARCH)
ARCHIVE = bin/dist/$(NAME)-$(VERSION)-linux-$(GOARCH).tar.xz

.PHONY: build test dist clean

build:
	go build -trimpath -o bin/$(NAME) .

test:
	scripts/test.sh

# The archive unpacks to usr/local/bin/claudemedic,
# usr/local/share/applications/claudemedic.desktop and
# usr/local/share/pixmaps/claudemedic.png, with a Makefile whose
# `make user-install` (or `sudo make install`) puts them in place.
dist:
	mkdir -p bin/dist
	go build -trimpath -ldflags="-s -w" -o bin/dist/$(NAME) .
	go tool fyne package --target linux --release --exe $(CURDIR)/bin/dist/$(NAME) \
		--name $(NAME) --icon assets/icon.png --app-id io.github.claudemedic --app-version $(VERSION)
	mv $(NAME).tar.xz $(ARCHIVE)
	tar -tJf $(ARCHIVE)

clean:
	rm -rf bin
