// soquy — errors as values.
//
// Expected failures (bad input, an unknown account, a missing file, a role that may not do
// something) are returned as `Error` inside `Result<T>`; they are not exceptions. Exceptions
// are reserved for bugs and infrastructure failures and are caught once, in cli/main.cpp.
//
// Every Error carries the exit code the CLI uses for it (see docs/exit-codes.md), so a library
// caller and the CLI agree on what kind of failure happened.
//
// An Error about an input names it in `field()`: the library's own name of that input (`amount`,
// `member`, `date`, `receipt`, `national_id`), never how an edge spells it — not an option
// (`--amount`), not a column (`Số tiền`) — and the message does not repeat it (field "amount",
// message "-5 must be positive"). The edge words the pair with `words(spell)`: the CLI spells a
// field as its option (`--amount: -5 must be positive`, cli/ maps fields whose option differs),
// an importer as its column (`FILE:12: amount: …`). The library never writes an option's
// spelling, so the same error reads right on the command line and in an import report.
#pragma once

#include <string>
#include <string_view>
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
  // The message without its field; words() puts the field's spelling in.
  const std::string& message() const { return message_; }
  // The input the error is about ("amount"), or "" when it is about no single input.
  const std::string& field() const { return field_; }
  // An error about two inputs in the wrong order names the second here ("to" in "from
  // 2026-05-01 is after to 2026-04-01"), else "".
  const std::string& other_field() const { return other_field_; }

  // Returns a copy about input `field`, which labels the message ("amount: must be positive").
  // An error that already names a field is about a part of `field` (a lookup by member id made
  // for the input "member"): the old field stays in the message ("member: id: unknown member").
  Error in_field(std::string field) const {
    Error e(kind_, words(as_named));
    e.field_ = std::move(field);
    return e;
  }
  // Returns a copy whose message goes on from input `field`, its subject ("is empty" reads
  // "reason is empty").
  Error of_field(std::string field) const {
    Error e = in_field(std::move(field));
    e.subject_ = true;
    return e;
  }
  // `field` holds `value`, which stands in relation `relation` to input `other` holding
  // `other_value`, and must not: "from 2026-05-01 is after to 2026-04-01".
  static Error out_of_order(ErrorKind kind, std::string field, const std::string& value,
                            const std::string& relation, std::string other, const std::string& other_value) {
    Error e(kind, value + " " + relation);
    e.field_ = std::move(field);
    e.subject_ = true;
    e.other_field_ = std::move(other);
    e.other_value_ = other_value;
    return e;
  }

  // The whole error, each field as spell(field) says (a std::string from a std::string_view):
  // "--amount: -5 must be positive", "--reason is empty", "--from 2026-05-01 is after --to …".
  template <class Spell>
  std::string words(const Spell& spell) const {
    if (field_.empty()) return message_;
    std::string out = std::string(spell(field_)) + (subject_ ? " " : ": ") + message_;
    if (!other_field_.empty()) out += " " + std::string(spell(other_field_)) + " " + other_value_;
    return out;
  }
  // Fields as the library names them: what words() gives a caller with no spelling of its own.
  static std::string as_named(std::string_view field) { return std::string(field); }

  // Returns a copy whose message is prefixed with `where` ("file.csv:12: "). A field, if any, is
  // written into the message by its name ("file.csv:12: amount: …") and the copy has none: an
  // edge that spells fields its own way reads field() before adding context.
  Error with_context(const std::string& where) const { return {kind_, where + words(as_named)}; }

 private:
  ErrorKind kind_;
  std::string message_;
  std::string field_;
  bool subject_ = false;
  std::string other_field_;
  std::string other_value_;
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
