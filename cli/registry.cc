// soquy unit …, soquy member …, soquy group … (the registry). Commands join as they are built.
#include "context.h"

namespace soquy::cli {

void add_registry_commands(CLI::App&, Context&) {}

}  // namespace soquy::cli
