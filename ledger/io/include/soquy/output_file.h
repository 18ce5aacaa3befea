// soquy — writing an output file (a report, an export) so that it is whole or absent.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "soquy/error.h"

namespace soquy {

// Writes what `writer` produces to `path`, atomically:
// - a new temporary file is created in `path`'s directory with O_CREAT|O_EXCL|O_NOFOLLOW, so a
//   file or symlink planted under any name is never opened or followed;
// - the data is flushed and fsync'ed, then the file is renamed over `path` (rename replaces a
//   symlink at `path` itself, never the file it points to);
// - on any failure (writer error, full disk, …) the temporary file is removed and `path` is as it
//   was.
// `path` is refused (kCantCreate, nothing written) when it names, or is the same file as, one of
// `refused` (the open database and its -wal/-shm), or is a directory.
// Errors: the writer's own error; kCantCreate (73) when the file cannot be created or moved into
// place; kIo (74) when a write or fsync fails (e.g. the disk is full).
Result<void> write_file_atomically(const std::string& path, const std::function<Result<void>(std::ostream&)>& writer,
                                   const std::vector<std::string>& refused = {});

}  // namespace soquy
