#!/usr/bin/env bash
# Stages @tensorflow/tfjs-node into this project's node_modules where its own installer cannot
# download libtensorflow (no internet), from a TensorFlow CPU wheel pip can get (a local index
# or wheel folder), so the 'tensorflow' backend can be tested and benchmarked here.
#
#   scripts/stage-tfjs-node.sh             # stage (or say it is already staged)
#   scripts/stage-tfjs-node.sh --check     # only say whether it is staged and working
#   scripts/stage-tfjs-node.sh --remove    # take it out of node_modules again
#
# Environment: TF_VERSION (default 2.21.0), TF_WHEEL (a tensorflow-cpu wheel file to use instead
# of `pip download`), MMAE_STAGE_CACHE (where the wheel is kept; default ~/.cache/mmae),
# PYTHON (default python3).
#
# What it does, each step skipped when already done (so running it again changes nothing):
#  1. npm install --no-save --ignore-scripts @tensorflow/tfjs-node@V, V = the installed
#     @tensorflow/tfjs version (package.json and package-lock.json are left unchanged; a later
#     `npm ci` or `npm install` removes it again, as it removes any unsaved package);
#  2. gets the tensorflow-cpu wheel (`pip download tensorflow-cpu==$TF_VERSION --no-deps`);
#  3. copies from it into node_modules/@tensorflow/tfjs-node/deps: lib/ the shared object that
#     exports TensorFlow's eager C API (TFE_*; found with nm -D: libtensorflow_cc.so.2 in 2.21;
#     libtensorflow_framework.so.2 has the rest of the TF_* the binding calls),
#     linked as libtensorflow.so, and libtensorflow_framework.so.2; include/ the C API headers;
#  4. builds tfjs-node's binding (binding.gyp, binding/*.cc) with npm's node-gyp against them,
#     where node-pre-gyp will look for it (lib/napi-vN/tfjs_binding.node, rpath ../../deps/lib);
#  5. proves it: require('@tensorflow/tfjs-node') and a matMul on the 'tensorflow' backend.
# It writes nothing outside node_modules/@tensorflow/tfjs-node, node_modules' own bookkeeping and
# the wheel cache, and no tracked file.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TF_VERSION="${TF_VERSION:-2.21.0}"
CACHE="${MMAE_STAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mmae}"
PYTHON="${PYTHON:-python3}"
PKG_DIR="$ROOT/node_modules/@tensorflow/tfjs-node"
STAMP="$PKG_DIR/deps/.mmae-staged"

say() { printf 'stage-tfjs-node: %s\n' "$*"; }
die() { say "error: $*" >&2; exit 1; }

tfjs_version() {
  node -p "require('@tensorflow/tfjs/package.json').version" 2>/dev/null ||
    die "@tensorflow/tfjs is not installed here; run npm ci first"
}

installed_version() {
  [ -f "$PKG_DIR/package.json" ] && node -p "require('$PKG_DIR/package.json').version" || true
}

# The binding path node-pre-gyp resolves (lib/napi-vN/tfjs_binding.node for this node).
binding_path() {
  node -p "require('@mapbox/node-pre-gyp').find(require.resolve('@tensorflow/tfjs-node/package.json'))"
}

prove() {
  TF_CPP_MIN_LOG_LEVEL=2 node -e "
    const tf = require('@tensorflow/tfjs-node');
    const a = tf.tensor2d([[1, 2], [3, 4]]);
    const product = Array.from(a.matMul(a).dataSync());
    if (tf.getBackend() !== 'tensorflow' || product.join() !== '7,10,15,22') {
      throw new Error('backend ' + tf.getBackend() + ' gave ' + product);
    }
    console.log('tfjs-node ' + tf.version['tfjs-node'] + ' on TensorFlow ' +
      tf.backend().binding.TF_Version + ': [[1,2],[3,4]]^2 = ' + product + ' on ' + tf.getBackend());
  "
}

files_hash() { sha256sum package.json package-lock.json | sha256sum | cut -c1-16; }

case "${1:-}" in
  --check)
    if [ -f "$STAMP" ] && out="$(prove 2>/dev/null)"; then say "staged and working: $out"; exit 0; fi
    say "not staged (run scripts/stage-tfjs-node.sh)"; exit 1 ;;
  --remove)
    if [ ! -d "$PKG_DIR" ]; then say "nothing to remove: @tensorflow/tfjs-node not installed"; exit 0; fi
    before="$(files_hash)"
    npm uninstall --no-save --ignore-scripts --no-audit --no-fund @tensorflow/tfjs-node >/dev/null
    rm -rf "$PKG_DIR"
    [ "$(files_hash)" = "$before" ] || die "npm changed package.json or package-lock.json; restore them with git"
    say "removed @tensorflow/tfjs-node (and the packages only it needed) from node_modules"
    exit 0 ;;
  "") ;;
  *) die "unknown argument '$1' (use no argument, --check or --remove)" ;;
esac

V="$(tfjs_version)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "tfjs-node $V, tensorflow-cpu $TF_VERSION" ] &&
  out="$(prove 2>/dev/null)"; then
  say "already staged, nothing to do: $out"
  exit 0
fi

# 1. The npm package, without its install script (which would try to download libtensorflow).
if [ "$(installed_version)" = "$V" ]; then
  say "1/5 @tensorflow/tfjs-node $V already in node_modules"
else
  before="$(files_hash)"
  say "1/5 npm install --no-save --ignore-scripts @tensorflow/tfjs-node@$V"
  npm install --no-save --ignore-scripts --no-audit --no-fund "@tensorflow/tfjs-node@$V" >/dev/null
  [ "$(files_hash)" = "$before" ] || die "npm changed package.json or package-lock.json; restore them with git"
fi

# 2. The wheel.
WHEEL="${TF_WHEEL:-}"
if [ -z "$WHEEL" ]; then
  mkdir -p "$CACHE/wheels"
  WHEEL="$(ls "$CACHE"/wheels/tensorflow_cpu-"$TF_VERSION"-*.whl 2>/dev/null | head -1 || true)"
  if [ -z "$WHEEL" ]; then
    say "2/5 $PYTHON -m pip download tensorflow-cpu==$TF_VERSION --no-deps -d $CACHE/wheels"
    "$PYTHON" -m pip download --quiet "tensorflow-cpu==$TF_VERSION" --no-deps -d "$CACHE/wheels" ||
      die "pip found no tensorflow-cpu $TF_VERSION wheel; set TF_WHEEL=/path/to/tensorflow_cpu-*.whl"
    WHEEL="$(ls "$CACHE"/wheels/tensorflow_cpu-"$TF_VERSION"-*.whl | head -1)"
  else
    say "2/5 wheel already downloaded: $WHEEL"
  fi
else
  say "2/5 wheel from TF_WHEEL: $WHEEL"
fi
[ -f "$WHEEL" ] || die "no wheel at $WHEEL"

# 3. Shared objects and C API headers into deps/.
say "3/5 extracting libtensorflow_framework.so.2, the C API library and headers into $PKG_DIR/deps"
rm -rf "$PKG_DIR/deps" "$PKG_DIR/build" "$PKG_DIR/lib"
mkdir -p "$PKG_DIR/deps/lib" "$PKG_DIR/deps/include"
"$PYTHON" - "$WHEEL" "$PKG_DIR/deps" <<'PY'
import os, shutil, sys, zipfile
wheel, deps = sys.argv[1], sys.argv[2]
libs = {'tensorflow/libtensorflow_framework.so.2', 'tensorflow/libtensorflow_cc.so.2',
        'tensorflow/python/_pywrap_tensorflow_internal.so'}
# Headers the binding includes, and what they include in turn.
heads = ('tensorflow/include/tensorflow/c/', 'tensorflow/include/tensorflow/core/platform/',
         'tensorflow/include/tsl/platform/', 'tensorflow/include/xla/tsl/c/')
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name in libs:
            target = f"{deps}/lib/{name.rsplit('/', 1)[1]}"
        elif name.startswith(heads) and name.endswith('.h'):
            target = f"{deps}/include/{name[len('tensorflow/include/'):]}"
        else:
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with z.open(name) as src, open(target, 'wb') as dst:
            shutil.copyfileobj(src, dst)
PY
C_API=""
for lib in libtensorflow_cc.so.2 _pywrap_tensorflow_internal.so; do
  f="$PKG_DIR/deps/lib/$lib"
  # The eager C API tfjs-node calls (TFE_*; some TF_* live in libtensorflow_framework). Counted,
  # not grep -q, which would close the pipe on nm, and pipefail counts that as failure.
  if [ -z "$C_API" ] && [ -f "$f" ] &&
    [ "$(nm -D --defined-only "$f" | grep -cE ' T TFE_(NewContext|Execute)(@@.*)?$')" = 2 ]; then
    C_API="$lib"
  fi
done
for lib in libtensorflow_cc.so.2 _pywrap_tensorflow_internal.so; do
  [ "$lib" = "$C_API" ] || rm -f "$PKG_DIR/deps/lib/$lib"
done
[ -n "$C_API" ] || die "no shared object in $WHEEL exports TFE_NewContext and TFE_Execute"
[ -f "$PKG_DIR/deps/include/tensorflow/c/c_api.h" ] || die "no tensorflow/c/c_api.h in $WHEEL"
# binding.gyp links -ltensorflow -ltensorflow_framework; the binding then records the sonames.
ln -sf "$C_API" "$PKG_DIR/deps/lib/libtensorflow.so"
ln -sf libtensorflow_framework.so.2 "$PKG_DIR/deps/lib/libtensorflow_framework.so"
say "    C API: $C_API (exports TFE_*), linked as libtensorflow.so"

# 4. The binding, with npm's node-gyp and node's own headers (nothing downloaded).
BINDING="$(binding_path)"
MODULE_PATH="$(dirname "$BINDING")"
NAPI="${MODULE_PATH##*napi-v}"
NPM_DIR="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
GYP="$NPM_DIR/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$GYP" ] || die "npm's node-gyp not found at $GYP"
NODE_PREFIX="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
NODEDIR=()
[ -f "$NODE_PREFIX/include/node/node_api.h" ] && NODEDIR=("--nodedir=$NODE_PREFIX")
say "4/5 node-gyp rebuild (N-API $NAPI) -> ${BINDING#"$ROOT"/}"
(cd "$PKG_DIR" && node "$GYP" rebuild "${NODEDIR[@]}" --module_name=tfjs_binding \
  "--module_path=$MODULE_PATH" "--napi_build_version=$NAPI" >"$PKG_DIR/deps/build.log" 2>&1) ||
  { tail -20 "$PKG_DIR/deps/build.log" >&2; die "node-gyp failed (log: $PKG_DIR/deps/build.log)"; }

# 5. Proof.
out="$(prove)" || die "the built binding does not work"
echo "tfjs-node $V, tensorflow-cpu $TF_VERSION" >"$STAMP"
say "5/5 $out"
say "staged. 'auto' now considers the tensorflow backend (mmae doctor says which it picks and why);"
say "--backend tensorflow forces it. scripts/stage-tfjs-node.sh --remove takes it out again."
