# Sourced by scripts/test: the Twilio REST emulator (npm `emulate`, pinned) for the adapter tests.
EMULATE_VERSION="0.8.0"
if [ ! -f ".tools/node_modules/emulate/package.json" ] \
    || ! grep -q "\"version\": \"$EMULATE_VERSION\"" .tools/node_modules/emulate/package.json; then
    if ! command -v npm >/dev/null 2>&1; then
        echo "error: the Twilio emulator tests need Node.js and npm (apt-get install nodejs npm)" >&2
        exit 1
    fi
    mkdir -p .tools
    (cd .tools && npm install --silent --no-audit --no-fund --save-exact "emulate@$EMULATE_VERSION" >/dev/null)
fi
