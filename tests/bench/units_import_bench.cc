// soquy — the `import units` benchmark of issue 17 (defect 8: "2x the rows takes more than 3x the
// time"). Run by hand, never in CI; CMake builds it so it keeps compiling. No pass/fail on time:
// it prints figures, and exits 1 only when an import did not add every unit.
//
//   units_import_bench [--units N[,N...]] [--soquy PATH] [--workdir DIR] [--keep]
//
// For each size N (default 5000,10000,20000) it:
//  1. writes a units CSV of N units in the `soquy import units` format (not timed): one province,
//     districts of 10 communes, communes of 9 branches, every row's parent on an earlier row;
//  2. runs `soquy init` and times the whole `soquy --db X import units FILE` process (wall from
//     spawn to exit, CPU from wait4's rusage), and checks that it printed "N added";
//  3. times a raw SQLite load of the same file in this process, by the same CSV reader: the two
//     tables (units, unit_history), STRICT, a UNIQUE code, parents found in a hash map, prepared
//     statements, WAL, synchronous = FULL as soquy, one transaction; the limit on this machine;
//  4. prints both, the ratio soquy / raw, and how each grew from the previous size (2x the rows
//     should be about 2x the time when the import is linear).
#include <fcntl.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "soquy/csv_reader.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::int64_t;

struct Options {
  std::vector<int64_t> sizes = {5'000, 10'000, 20'000};
  std::string soquy;
  std::string workdir;
  bool keep = false;
};

[[noreturn]] void usage(const std::string& why) {
  std::cerr << "units_import_bench: " << why << "\n"
            << "usage: units_import_bench [--units N[,N...]] [--soquy PATH] [--workdir DIR] [--keep]\n";
  std::exit(2);
}

std::vector<int64_t> parse_sizes(std::string_view text) {
  std::vector<int64_t> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto part = text.substr(0, comma);
    int64_t v = 0;
    auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (ec != std::errc() || p != part.data() + part.size() || v < 2) usage(fmt::format("bad size '{}'", part));
    out.push_back(v);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  if (out.empty()) usage("--units needs at least one size");
  return out;
}

Options parse_options(int argc, char** argv) {
  Options o;
#ifdef SOQUY_BENCH_SOQUY_BIN
  o.soquy = SOQUY_BENCH_SOQUY_BIN;
#endif
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&]() -> std::string_view {
      if (i + 1 >= argc) usage(fmt::format("{} needs a value", a));
      return argv[++i];
    };
    if (a == "--units") o.sizes = parse_sizes(value());
    else if (a == "--soquy") o.soquy = value();
    else if (a == "--workdir") o.workdir = value();
    else if (a == "--keep") o.keep = true;
    else if (a == "--help" || a == "-h") usage("help");
    else usage(fmt::format("unknown option '{}'", a));
  }
  if (o.soquy.empty()) usage("no soquy binary: pass --soquy PATH");
  return o;
}

// Integers only: "12.3 ms" from nanoseconds, "2.1x" from a ratio of two counts.
std::string tenths(int64_t value, int64_t unit) {
  int64_t t = (value * 10 + unit / 2) / unit;
  return fmt::format("{}.{}", t / 10, t % 10);
}
std::string ms(int64_t ns) { return tenths(ns, 1'000'000) + " ms"; }
std::string times(int64_t a, int64_t b) { return b > 0 ? tenths(a, b) + "x" : "n/a"; }

int64_t thread_cpu_ns() {
  rusage ru{};
  getrusage(RUSAGE_THREAD, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1'000'000'000 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000;
}

// The units file: P, then districts D1.. of 10 communes Dd-Cc, each of 9 branches Dd-Cc-Bb.
void write_units(const std::string& path, int64_t n) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << "code,name,kind,parent,from\nP,Tỉnh Thử,province,,2020-01-01\n";
  int64_t count = 1;
  for (int64_t d = 1; count < n; ++d) {
    out << fmt::format("D{0},Huyện {0},district,P,2020-01-01\n", d);
    ++count;
    for (int c = 0; c < 10 && count < n; ++c) {
      out << fmt::format("D{0}-C{1},Xã {0} {1},commune,D{0},2020-01-01\n", d, c);
      ++count;
      for (int b = 0; b < 9 && count < n; ++b, ++count)
        out << fmt::format("D{0}-C{1}-B{2},Chi hội {0} {1} {2},branch,D{0}-C{1},2020-01-01\n", d, c, b);
    }
  }
}

struct ProcResult {
  int exit_code = -1;
  int64_t wall_ns = 0, cpu_ns = 0;
};

// Runs argv with stdout to `out`, stderr to `err`, timed from spawn to exit.
ProcResult run(const std::vector<std::string>& argv, const std::string& out, const std::string& err) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ProcResult r;
  auto start = Clock::now();
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return ProcResult{127, 0, 0};
  int status = 0;
  rusage ru{};
  while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {
  }
  r.wall_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.cpu_ns = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1'000'000'000 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000;
  return r;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void check(int rc, sqlite3* db, const char* what) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return;
  std::cerr << "units_import_bench: raw SQLite " << what << ": " << (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)) << "\n";
  std::exit(74);
}

constexpr const char* kRawSchema =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = -65536;"
    "CREATE TABLE units (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,"
    "  valid_from TEXT NOT NULL) STRICT;"
    "CREATE TABLE unit_history (unit_id INTEGER NOT NULL REFERENCES units(id), valid_from TEXT NOT NULL,"
    "  name TEXT NOT NULL, parent_id INTEGER REFERENCES units(id), PRIMARY KEY (unit_id, valid_from)) STRICT;";

// The same rows loaded with nothing but SQLite: the limit. Returns {wall ns, CPU ns, units}.
struct RawResult {
  int64_t wall_ns = 0, cpu_ns = 0, units = 0;
};
RawResult raw_load(const std::string& csv, const std::string& path) {
  RawResult out;
  const int64_t cpu0 = thread_cpu_ns();
  const auto start = Clock::now();
  sqlite3* db = nullptr;
  check(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr), db, "open");
  check(sqlite3_exec(db, kRawSchema, nullptr, nullptr, nullptr), db, "schema");
  check(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), db, "begin");
  sqlite3_stmt *unit = nullptr, *version = nullptr;
  check(sqlite3_prepare_v2(db, "INSERT INTO units (code, kind, valid_from) VALUES (?, ?, ?)", -1, &unit, nullptr), db,
        "prepare");
  check(sqlite3_prepare_v2(db, "INSERT INTO unit_history (unit_id, valid_from, name, parent_id) VALUES (?, ?, ?, ?)",
                           -1, &version, nullptr),
        db, "prepare");
  std::unordered_map<std::string, int64_t> ids;
  bool header = true;
  auto bind = [](sqlite3_stmt* q, int i, const std::string& s) {
    sqlite3_bind_text(q, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
  };
  auto read = soquy::read_csv_file(csv, [&](soquy::CsvRecord& rec) -> soquy::Result<void> {
    if (std::exchange(header, false)) return {};
    const auto& f = rec.fields;  // code,name,kind,parent,from
    bind(unit, 1, f[0]);
    bind(unit, 2, f[2]);
    bind(unit, 3, f[4]);
    check(sqlite3_step(unit), db, "insert unit");
    sqlite3_reset(unit);
    const int64_t id = sqlite3_last_insert_rowid(db);
    ids.emplace(f[0], id);
    sqlite3_bind_int64(version, 1, id);
    bind(version, 2, f[4]);
    bind(version, 3, f[1]);
    if (f[3].empty()) sqlite3_bind_null(version, 4);
    else sqlite3_bind_int64(version, 4, ids.at(f[3]));
    check(sqlite3_step(version), db, "insert version");
    sqlite3_reset(version);
    ++out.units;
    return {};
  });
  if (!read) {
    std::cerr << "units_import_bench: " << read.error().message() << "\n";
    std::exit(74);
  }
  sqlite3_finalize(unit);
  sqlite3_finalize(version);
  check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
  check(sqlite3_close(db), nullptr, "close");
  out.wall_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
  out.cpu_ns = thread_cpu_ns() - cpu0;
  return out;
}

struct SizeResult {
  int64_t units = 0;
  ProcResult soquy;
  RawResult raw;
};

// One size: generate, init, import (timed), raw load (timed). False when the import failed.
bool run_size(const Options& o, const fs::path& dir, int64_t n, SizeResult& r) {
  const std::string csv = (dir / fmt::format("units-{}.csv", n)).string();
  const std::string db = (dir / fmt::format("units-{}.db", n)).string();
  const std::string raw = (dir / fmt::format("raw-{}.db", n)).string();
  const std::string out = (dir / "out.txt").string(), err = (dir / "err.txt").string();
  write_units(csv, n);
  r.units = n;
  if (run({o.soquy, "--db", db, "init"}, out, err).exit_code != 0) {
    std::cerr << "soquy init failed: " << slurp(err);
    return false;
  }
  r.soquy = run({o.soquy, "--db", db, "import", "units", csv}, out, err);
  const std::string said = slurp(out);
  if (r.soquy.exit_code != 0 || said.find(fmt::format("; {} added,", n)) == std::string::npos) {
    std::cerr << fmt::format("import units of {} units: exit {}: {}{}", n, r.soquy.exit_code, said, slurp(err));
    return false;
  }
  r.raw = raw_load(csv, raw);
  return r.raw.units == n;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse_options(argc, argv);
  fs::path dir = o.workdir.empty() ? fs::temp_directory_path() / fmt::format("soquy-units-bench-{}", getpid())
                                   : fs::path(o.workdir);
  fs::create_directories(dir);
  std::cout << fmt::format("soquy import units: {} (whole process; raw = SQLite alone, same rows, same reader)\n",
                           o.soquy);
  std::cout << fmt::format("{:>8}  {:>12} {:>12}  {:>12} {:>12}  {:>10}  {:>14} {:>14}\n", "units", "soquy wall",
                           "soquy CPU", "raw wall", "raw CPU", "soquy/raw", "soquy growth", "raw growth");
  bool ok = true;
  SizeResult prev;
  for (auto n : o.sizes) {
    SizeResult r;
    if (!run_size(o, dir, n, r)) {
      ok = false;
      break;
    }
    auto growth = [&](int64_t now, int64_t before) {
      return prev.units ? fmt::format("{} for {}", times(now, before), times(r.units, prev.units)) : std::string("-");
    };
    std::cout << fmt::format("{:>8}  {:>12} {:>12}  {:>12} {:>12}  {:>10}  {:>14} {:>14}\n", n, ms(r.soquy.wall_ns),
                             ms(r.soquy.cpu_ns), ms(r.raw.wall_ns), ms(r.raw.cpu_ns), times(r.soquy.cpu_ns, r.raw.cpu_ns),
                             growth(r.soquy.cpu_ns, prev.soquy.cpu_ns), growth(r.raw.cpu_ns, prev.raw.cpu_ns));
    prev = r;
  }
  std::cout << "soquy/raw and growth by CPU time; growth: how the CPU time grew for how the rows grew\n";
  if (!o.keep) fs::remove_all(dir);
  return ok ? 0 : 1;
}
