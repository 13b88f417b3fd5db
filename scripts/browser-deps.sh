# Sourced by scripts/test: Debian's Chromium and a CJK font for the console's browser tests.
if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
    SUDO=""
    if [ "$(id -u)" != 0 ]; then
        if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
            echo "error: browser tests need Debian's chromium and fonts-noto-cjk;" \
                 "install them (apt-get install chromium fonts-noto-cjk) or run as root" >&2
            exit 1
        fi
    fi
    echo "installing chromium and fonts-noto-cjk for the browser tests" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
