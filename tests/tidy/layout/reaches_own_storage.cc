// Built only by tests/tidy/layout_test.sh, which expects it to compile: the control case, a loans
// file that includes the loans' own storage header and another domain's public header.
#include "loan_store.h"
#include "soquy/registry.h"

int soquy_layout_probe() { return 0; }
