// Helpers of the fuzz targets that read files: a private temporary directory per process.
#pragma once

#include <sqlite3.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace soquy_fuzz {

// A directory made once per process under $TMPDIR, removed at exit.
inline const std::filesystem::path& temp_dir() {
  static const std::filesystem::path dir = [] {
    std::string pattern = (std::filesystem::temp_directory_path() / "soquy-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    std::filesystem::path made = pattern;
    static struct Remover {
      std::filesystem::path path;
      ~Remover() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
      }
    } remover{made};
    return made;
  }();
  return dir;
}

// Writes the input to `name` in the temporary directory and returns its path.
inline std::string write_input(const std::string& name, const std::uint8_t* data, std::size_t size) {
  auto path = (temp_dir() / name).string();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  out.close();
  if (!out) std::abort();
  return path;
}

// The logical state of a soquy database, read on a connection of its own: the journal's chain
// tip and the change log's tip. Every entry goes into the first and every change of a record
// (member, loan, event, setting, ...) into the second, so equal states mean equal books.
struct BookState {
  std::int64_t entries = 0, changes = 0;
  std::string entry_hash, change_hash;
  bool operator==(const BookState&) const = default;
};

inline BookState state_of(const std::string& db_path) {
  // One read-only connection for the process (a fuzz target has one database): each statement
  // reads the latest commit, and opening a connection per run would cost more than the import.
  static sqlite3* db = [&] {
    sqlite3* opened = nullptr;
    if (sqlite3_open_v2(db_path.c_str(), &opened, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) std::abort();
    return opened;
  }();
  auto read = [&](const char* sql, std::int64_t& n, std::string& hash) {
    sqlite3_stmt* q = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &q, nullptr) != SQLITE_OK) std::abort();
    if (sqlite3_step(q) == SQLITE_ROW) {
      n = sqlite3_column_int64(q, 0);
      const auto* h = static_cast<const char*>(sqlite3_column_blob(q, 1));
      hash.assign(h ? h : "", static_cast<std::size_t>(sqlite3_column_bytes(q, 1)));
    }
    sqlite3_finalize(q);
  };
  BookState s;
  read("SELECT id, hash FROM entries ORDER BY id DESC LIMIT 1", s.entries, s.entry_hash);
  read("SELECT seq, hash FROM change_log ORDER BY seq DESC LIMIT 1", s.changes, s.change_hash);
  return s;
}

// The property of every importer: an input it refuses leaves the database logically identical.
template <typename Import>
void refused_changes_nothing(const std::string& db_path, Import&& import) {
  const BookState before = state_of(db_path);
  const bool accepted = import();
  if (!accepted && !(state_of(db_path) == before)) std::abort();
}

}  // namespace soquy_fuzz
