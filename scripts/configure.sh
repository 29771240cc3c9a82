# Sourced by demo.sh and test.sh (from the repository root): both configure the one build folder the
# same way (as the `dev` and `ci` presets do), so running one after the other rebuilds nothing needlessly.
# CHRONOSCOPE_BUILD_DIR overrides the folder.
build=${CHRONOSCOPE_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
