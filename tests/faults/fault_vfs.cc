// The fault VFS of fault_vfs.h: every file method is passed on to the real file, and the counted
// ones (xWrite, xTruncate, xSync, xRead) return an I/O error once the armed count is reached.
#include "fault_vfs.h"

#include <sqlite3.h>

#include <stdexcept>

namespace soquy::faults {
namespace {

struct State {
  bool armed = false;
  Fault fault = Fault::kWrite;
  int nth = 0;
  bool persistent = false;
  int seen = 0;
  bool fired = false;
};
State state;
sqlite3_vfs* root = nullptr;  // the VFS wrapped, "unix"

// True when this operation of kind `f` must fail.
bool strike(Fault f) {
  if (!state.armed || state.fault != f) return false;
  ++state.seen;
  if (state.seen == state.nth || (state.persistent && state.seen > state.nth)) {
    state.fired = true;
    return true;
  }
  return false;
}

// Our file: the real file's structure follows it in the same allocation.
struct FaultFile {
  sqlite3_file base;
  sqlite3_file* real;
};
sqlite3_file* real(sqlite3_file* f) { return reinterpret_cast<FaultFile*>(f)->real; }

int fault_close(sqlite3_file* f) { return real(f)->pMethods->xClose(real(f)); }
int fault_read(sqlite3_file* f, void* buf, int amount, sqlite3_int64 offset) {
  if (strike(Fault::kRead)) return SQLITE_IOERR_READ;
  return real(f)->pMethods->xRead(real(f), buf, amount, offset);
}
int fault_write(sqlite3_file* f, const void* buf, int amount, sqlite3_int64 offset) {
  if (strike(Fault::kWrite)) return SQLITE_IOERR_WRITE;
  return real(f)->pMethods->xWrite(real(f), buf, amount, offset);
}
int fault_truncate(sqlite3_file* f, sqlite3_int64 size) {
  if (strike(Fault::kWrite)) return SQLITE_IOERR_TRUNCATE;
  return real(f)->pMethods->xTruncate(real(f), size);
}
int fault_sync(sqlite3_file* f, int flags) {
  if (strike(Fault::kSync)) return SQLITE_IOERR_FSYNC;
  return real(f)->pMethods->xSync(real(f), flags);
}
int fault_file_size(sqlite3_file* f, sqlite3_int64* size) { return real(f)->pMethods->xFileSize(real(f), size); }
int fault_lock(sqlite3_file* f, int lock) { return real(f)->pMethods->xLock(real(f), lock); }
int fault_unlock(sqlite3_file* f, int lock) { return real(f)->pMethods->xUnlock(real(f), lock); }
int fault_check_reserved(sqlite3_file* f, int* out) { return real(f)->pMethods->xCheckReservedLock(real(f), out); }
int fault_file_control(sqlite3_file* f, int op, void* arg) {
  return real(f)->pMethods->xFileControl(real(f), op, arg);
}
int fault_sector_size(sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); }
int fault_device(sqlite3_file* f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); }
int fault_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return real(f)->pMethods->xShmMap(real(f), region, size, extend, out);
}
int fault_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
}
void fault_shm_barrier(sqlite3_file* f) { real(f)->pMethods->xShmBarrier(real(f)); }
int fault_shm_unmap(sqlite3_file* f, int del) { return real(f)->pMethods->xShmUnmap(real(f), del); }
int fault_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  return real(f)->pMethods->xFetch(real(f), offset, amount, out);
}
int fault_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
  return real(f)->pMethods->xUnfetch(real(f), offset, p);
}

const sqlite3_io_methods kMethods = {
    3,           fault_close,     fault_read,         fault_write,      fault_truncate,
    fault_sync,  fault_file_size, fault_lock,         fault_unlock,     fault_check_reserved,
    fault_file_control, fault_sector_size, fault_device, fault_shm_map, fault_shm_lock,
    fault_shm_barrier, fault_shm_unmap, fault_fetch,  fault_unfetch,
};

int fault_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  auto* f = reinterpret_cast<FaultFile*>(file);
  f->real = reinterpret_cast<sqlite3_file*>(f + 1);
  const int rc = root->xOpen(root, name, f->real, flags, out_flags);
  // SQLite calls xClose only on a file whose pMethods is set: set it only when the real one is.
  // (The unix VFS's files have methods of version 3, which kMethods passes on in full.)
  file->pMethods = f->real->pMethods ? &kMethods : nullptr;
  return rc;
}
int fault_delete(sqlite3_vfs*, const char* name, int sync_dir) { return root->xDelete(root, name, sync_dir); }
int fault_access(sqlite3_vfs*, const char* name, int flags, int* out) { return root->xAccess(root, name, flags, out); }
int fault_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return root->xFullPathname(root, name, n, out);
}
void* fault_dl_open(sqlite3_vfs*, const char* name) { return root->xDlOpen(root, name); }
void fault_dl_error(sqlite3_vfs*, int n, char* out) { root->xDlError(root, n, out); }
void (*fault_dl_sym(sqlite3_vfs*, void* h, const char* sym))(void) { return root->xDlSym(root, h, sym); }
void fault_dl_close(sqlite3_vfs*, void* h) { root->xDlClose(root, h); }
int fault_randomness(sqlite3_vfs*, int n, char* out) { return root->xRandomness(root, n, out); }
int fault_sleep(sqlite3_vfs*, int us) { return root->xSleep(root, us); }
int fault_current_time(sqlite3_vfs*, double* out) { return root->xCurrentTime(root, out); }
int fault_last_error(sqlite3_vfs*, int n, char* out) { return root->xGetLastError(root, n, out); }
int fault_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) { return root->xCurrentTimeInt64(root, out); }

sqlite3_vfs vfs;

}  // namespace

const char* name(Fault f) {
  switch (f) {
    case Fault::kWrite: return "write";
    case Fault::kSync: return "fsync";
    case Fault::kRead: return "read";
  }
  return "?";
}

void install() {
  if (root) return;
  root = sqlite3_vfs_find(nullptr);
  if (!root) throw std::runtime_error("no default SQLite VFS");
  vfs.iVersion = 2;
  vfs.szOsFile = static_cast<int>(sizeof(FaultFile)) + root->szOsFile;
  vfs.mxPathname = root->mxPathname;
  vfs.zName = "soquy-fault";
  vfs.xOpen = fault_open;
  vfs.xDelete = fault_delete;
  vfs.xAccess = fault_access;
  vfs.xFullPathname = fault_full_pathname;
  vfs.xDlOpen = fault_dl_open;
  vfs.xDlError = fault_dl_error;
  vfs.xDlSym = fault_dl_sym;
  vfs.xDlClose = fault_dl_close;
  vfs.xRandomness = fault_randomness;
  vfs.xSleep = fault_sleep;
  vfs.xCurrentTime = fault_current_time;
  vfs.xGetLastError = fault_last_error;
  vfs.xCurrentTimeInt64 = fault_current_time_int64;
  if (sqlite3_vfs_register(&vfs, 1) != SQLITE_OK) throw std::runtime_error("cannot register the fault VFS");
}

void arm(Fault f, int nth, bool persistent) { state = State{true, f, nth, persistent, 0, false}; }
void disarm() { state.armed = false; }
bool fired() { return state.fired; }
int counted() { return state.seen; }

}  // namespace soquy::faults
