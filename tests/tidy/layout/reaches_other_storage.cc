// Built only by tests/tidy/layout_test.sh, which expects it NOT to compile: a loans file that
// includes the registry's storage header. The loans target's include paths do not reach it.
#include "registry_store.h"

int soquy_layout_probe() { return 0; }
