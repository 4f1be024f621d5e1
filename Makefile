# The two commands a newcomer needs: `make demo` and `make test`. Each installs what it needs
# (scripts/setup.sh skips whatever is already there).
.PHONY: demo test pkg emulator lint bench fuzz release clean

EMULATOR := target/release/authenta-emulator

## Build everything, start the emulator and the demo server (the sample page, authenta-wasm/server in front of the emulator), print where to open it.
demo: pkg emulator
	scripts/demo.sh

## Every test in the project (what .ci/run calls).
test:
	scripts/test.sh

## Everything before `npm publish`: the whole test command, the tarball, its SHA-256 and
## `npm publish --dry-run`'s report. Publishes nothing (README.md, "Releasing").
release:
	scripts/release.sh

## The npm package, into pkg/.
pkg:
	scripts/build-pkg.sh

## The emulator binary (release).
emulator:
	cargo build --release -p authenta-emulator

## Formatting and clippy on the host and on wasm32 (the client's wasm and the server handler's).
lint:
	scripts/setup.sh wasm
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown -p authenta-wasm --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown -p authenta-wasm --no-default-features --features server --all-targets -- -D warnings

## Benchmarks against a baseline (size, upload, polling, start-up, per-call): bench/README.md.
bench:
	scripts/bench.sh

## Fuzz every network-input parser of the core, 5 minutes each (make test runs them 20 s each).
fuzz:
	scripts/fuzz.sh 300

clean:
	cargo clean
	rm -rf pkg/authenta_wasm* pkg/snippets pkg/errors.js pkg/index.js pkg/node.cjs pkg/inline.cjs pkg/*.d.cts \
	  pkg/LICENSE test-output
