#!/usr/bin/env bash
# The build refuses a shortcut into another domain's storage: a file compiled with the loans
# target's include paths cannot include registry_store.h, while the same file including the loans'
# own store and the registry's public header compiles (the control case).
# Usage: layout_test.sh BUILD_DIR
set -u
build=$1
out=$(cmake --build "$build" --target soquy_layout_own 2>&1) || {
  echo "FAIL: the control case (loans including its own store) did not compile:"; echo "$out"; exit 1; }
if out=$(cmake --build "$build" --target soquy_layout_other 2>&1); then
  echo "FAIL: a loans file including registry_store.h compiled; the layout is not enforced"; exit 1
fi
if ! grep -q "registry_store.h: No such file" <<<"$out"; then
  echo "FAIL: the build failed for another reason than the include:"; echo "$out"; exit 1
fi
echo "ok: loans cannot include registry_store.h; its own store and the registry's public header compile"
