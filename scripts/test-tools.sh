# Sourced by scripts/test: the Twilio REST emulator (npm `emulate`, pinned) for the adapter tests.
EMULATE_VERSION="0.8.0"
if [ ! -f ".tools/node_modules/emulate/package.json" ] \
    || ! grep -q "\"version\": \"$EMULATE_VERSION\"" .tools/node_modules/emulate/package.json; then
    if ! command -v npm >/dev/null 2>&1; then
        SUDO=""
        if [ "$(id -u)" != 0 ]; then
            if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
                echo "error: the Twilio emulator tests need Node.js and npm;" \
                     "install them (apt-get install nodejs npm) or run as root" >&2
                exit 1
            fi
        fi
        echo "installing nodejs and npm for the Twilio emulator tests" >&2
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
    fi
    mkdir -p .tools
    (cd .tools && npm install --silent --no-audit --no-fund --save-exact "emulate@$EMULATE_VERSION" >/dev/null)
fi
