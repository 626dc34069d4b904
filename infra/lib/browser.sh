# The headless browser of the page's test: Debian's chromium and its chromedriver, installed when missing.
# shellcheck shell=bash

browser_ensure() {
    if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
        return 0
    fi
    log "installing chromium and chromium-driver (the page's browser test drives them)"
    apt_install chromium chromium-driver || die "could not install chromium and chromium-driver"
    command -v chromedriver >/dev/null || die "chromium-driver is installed but chromedriver is not on PATH"
}
