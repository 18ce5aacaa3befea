// A test-only SQLite VFS that makes the Nth write, sync or read fail, in the spirit of SQLite's
// own I/O-error tests (test/ioerr*.test). It wraps the platform's default VFS ("unix") and is
// registered as the process's default VFS, so the library's ordinary Ledger::open path reaches it
// with no hook in production code.
#pragma once

namespace soquy::faults {

enum class Fault {
  kWrite,  // xWrite and xTruncate fail with SQLITE_IOERR_WRITE / SQLITE_IOERR_TRUNCATE
  kSync,   // xSync fails with SQLITE_IOERR_FSYNC
  kRead,   // xRead fails with SQLITE_IOERR_READ
};

const char* name(Fault f);

// Registers the fault VFS as the default VFS (idempotent). Disarmed, it only passes calls on.
void install();

// From now on, the `nth` (1-based) operation of kind `f`, on any file (database, WAL, journal),
// fails; with `persistent`, so does every later one (a disk gone bad), else only that one (a
// transient error). Resets the count.
void arm(Fault f, int nth, bool persistent);
// Back to passing every call on.
void disarm();
// Whether an armed fault has been returned since arm().
bool fired();
// Operations of the armed kind seen since arm().
int counted();

}  // namespace soquy::faults
