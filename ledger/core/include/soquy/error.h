// soquy — errors as values.
//
// Expected failures (bad input, an unknown account, a missing file, a role that may not do
// something) are returned as `Error` inside `Result<T>`; they are not exceptions. Exceptions
// are reserved for bugs and infrastructure failures and are caught once, in cli/main.cpp.
//
// Every Error carries the exit code the CLI uses for it (see docs/exit-codes.md), so a library
// caller and the CLI agree on what kind of failure happened.
#pragma once

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace soquy {

enum class ErrorKind {
  kCheckFailed = 1,   // a verification found a stored difference (check, reconcile)
  kUsage = 2,         // the command line itself is wrong
  kBadInput = 65,     // input data is wrong: amount, date, unbalanced entry, unknown account…
  kNoInput = 66,      // an input file does not exist or cannot be read
  kInternal = 70,     // a bug: an invariant of the program itself broke
  kCantCreate = 73,   // an output file cannot be created
  kIo = 74,           // I/O or database failure
  kPermission = 77,   // the acting user's role may not do this
};

class Error {
 public:
  Error(ErrorKind kind, std::string message) : kind_(kind), message_(std::move(message)) {}

  static Error bad_input(std::string m) { return {ErrorKind::kBadInput, std::move(m)}; }
  static Error usage(std::string m) { return {ErrorKind::kUsage, std::move(m)}; }
  static Error no_input(std::string m) { return {ErrorKind::kNoInput, std::move(m)}; }
  static Error cant_create(std::string m) { return {ErrorKind::kCantCreate, std::move(m)}; }
  static Error io(std::string m) { return {ErrorKind::kIo, std::move(m)}; }
  static Error permission(std::string m) { return {ErrorKind::kPermission, std::move(m)}; }
  static Error internal(std::string m) { return {ErrorKind::kInternal, std::move(m)}; }
  static Error check_failed(std::string m) { return {ErrorKind::kCheckFailed, std::move(m)}; }

  ErrorKind kind() const { return kind_; }
  int exit_code() const { return static_cast<int>(kind_); }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is prefixed with `where` ("file.csv:12: amount: ").
  Error with_context(const std::string& where) const { return {kind_, where + message_}; }

 private:
  ErrorKind kind_;
  std::string message_;
};

template <class T>
using Result = tl::expected<T, Error>;

// Shorthand for returning an error from a function that returns Result<T>.
inline tl::unexpected<Error> fail(Error e) { return tl::unexpected<Error>(std::move(e)); }

// Thrown only at infrastructure edges (e.g. the store) and mapped by cli/main.cpp. Library code
// that can fail for an expected reason returns Result instead.
class SoquyException : public std::exception {
 public:
  explicit SoquyException(Error e) : error_(std::move(e)) {}
  const char* what() const noexcept override { return error_.message().c_str(); }
  const Error& error() const { return error_; }

 private:
  Error error_;
};

}  // namespace soquy
