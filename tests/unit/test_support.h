// Shared helpers of the unit tests: scratch directories, error-kind assertions, dates, files.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>  // mkdtemp
#include <unistd.h>  // access

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "soquy/civil_date.h"
#include "soquy/error.h"
#include "schema_undo.h"

namespace soquy::test_support {

// Where scratch databases go: $SOQUY_TEST_TMPDIR, else /dev/shm when writable (the store syncs
// every commit to disk, which makes tests with thousands of commits slow on a real disk), else
// the system temporary directory.
inline std::filesystem::path scratch_root() {
  namespace fs = std::filesystem;
  if (const char* chosen = std::getenv("SOQUY_TEST_TMPDIR"); chosen && *chosen) return chosen;
  std::error_code ec;
  if (fs::is_directory("/dev/shm", ec) && access("/dev/shm", W_OK) == 0) return "/dev/shm";
  return fs::temp_directory_path();
}

// A fresh directory, removed with everything in it.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "soquy-test") {
    std::string pattern = (scratch_root() / (prefix + "-XXXXXX")).string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// EXPECT_TRUE(failed_with(result, ErrorKind::kBadInput)): the result is an error of that kind.
template <class T>
::testing::AssertionResult failed_with(const Result<T>& r, ErrorKind kind) {
  if (r) return ::testing::AssertionFailure() << "succeeded; expected error kind " << static_cast<int>(kind);
  if (r.error().kind() != kind) {
    return ::testing::AssertionFailure() << "error kind " << static_cast<int>(r.error().kind()) << " ("
                                         << r.error().message() << "); expected " << static_cast<int>(kind);
  }
  return ::testing::AssertionSuccess();
}

inline Date day(int y, unsigned m, unsigned d) { return *Date::from_ymd(y, m, d); }

inline void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

}  // namespace soquy::test_support
