// soquy — the VBSP reconciliation benchmark of issue 6 (item 8). Run by hand, never in CI: at
// 1,000,000 loans the inputs take about 250 MB of CSV and the database a few GB of disk. CMake
// builds it so it keeps compiling.
//
//   soquy_vbsp_bench [--loans N] [--workdir DIR] [--keep] [--reuse] [--soquy PATH]
//   soquy_vbsp_bench --help
//
// It writes three CSV files and runs the real `soquy` binary on them (child processes, each
// timed alone with its max RSS from wait4 — the figure /usr/bin/time -v prints):
//  1. `soquy init`, a province and a commune (`unit add`), not timed;
//  2. `soquy vbsp import-register` of N loans (default 1,000,000) in N/25 groups (created by the
//     import from `--unit`), one member per loan except every 25th loan (i % 25 == 11), which
//     is a second loan of the member of loan i − 1, so savings are a member's over two loans;
//     disbursed from 2024-01-01 to 2026-05-29, 20 to 100 million đồng;
//  3. `soquy vbsp import-transactions`: every 10th loan has a principal payment (a tenth; the
//     whole loan for i % 1000 == 500), interest before and inside the statement period, two
//     savings deposits, a withdrawal for i % 30 == 0, and for i % 20 == 0 a principal payment
//     after the statement date (not counted);
//  4. `soquy vbsp import-statement --from 2026-11-01 --as-of 2026-11-30` of the bank's rows:
//     names upper case without diacritics on a third of the rows ("NGUYEN THI HOA" is the
//     register's "Nguyễn Thị Hòa": no difference), and for loans with i % 100 == 30 one planted
//     difference each, by (i / 100) % 6: principal +1,000,000; interest collected +5,000;
//     savings +10,000; identity (another name, or another customer code); missing in the bank
//     (no row); missing in the ledger (not in the register, no transactions). Loans repaid in
//     the register are absent from the statement (i % 2000 == 500) or CLOSE there (i % 2000 ==
//     1500), and N/1000 CLOSE rows are in no register: none of these is counted;
//  5. `soquy vbsp reconcile --as-of 2026-11-30 --format json --out FILE`, then `--format csv`.
// Then it checks the output against what it planted — every count of the JSON summary, every
// item (loan number and its one issue), the CSV's rows — so that a wrong reconciliation cannot
// look fast, and prints the figures against the targets of the issue (< 10 s, < 1 GiB).
// Figures are integers: wall and CPU (user + system, from wait4) times in ms (from ns), memory in
// MB (from KB), ratios in percent. On a loaded machine read the CPU times: the wall times
// include waiting for a core.
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "soquy/civil_date.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::int64_t;
using soquy::Date;

const Date kFirstDisbursement = *Date::from_ymd(2024, 1, 1);
constexpr int64_t kDisbursementDays = 880;  // up to 2026-05-29
constexpr const char* kFrom = "2026-11-01";
constexpr const char* kAsOf = "2026-11-30";
constexpr int64_t kTargetMs = 10'000;
constexpr int64_t kTargetKb = 1024 * 1024;  // 1 GiB

[[noreturn]] void die(const std::string& what) {
  std::cerr << "soquy_vbsp_bench: " << what << "\n";
  std::exit(2);
}

int64_t ns_since(Clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count();
}
std::string ms(int64_t ns) { return fmt::format("{}.{:03}", ns / 1'000'000, (ns / 1'000) % 1'000); }
std::string mb(int64_t kb) { return fmt::format("{}", kb / 1024); }

// --- the data -----------------------------------------------------------------------------

struct NamePart {
  const char* vi;
  const char* ascii;
};
constexpr std::array<NamePart, 15> kFamily = {{{"Nguyễn", "NGUYEN"}, {"Trần", "TRAN"}, {"Lê", "LE"},
                                               {"Phạm", "PHAM"},     {"Hoàng", "HOANG"}, {"Huỳnh", "HUYNH"},
                                               {"Phan", "PHAN"},     {"Võ", "VO"},       {"Đặng", "DANG"},
                                               {"Bùi", "BUI"},       {"Đỗ", "DO"},       {"Hồ", "HO"},
                                               {"Ngô", "NGO"},       {"Dương", "DUONG"}, {"Lý", "LY"}}};
constexpr std::array<NamePart, 5> kMiddle = {
    {{"Thị", "THI"}, {"Ngọc", "NGOC"}, {"Thanh", "THANH"}, {"Kim", "KIM"}, {"Mỹ", "MY"}}};
constexpr std::array<NamePart, 17> kGiven = {{{"Hòa", "HOA"},     {"Huệ", "HUE"},     {"Lan", "LAN"},
                                              {"Mai", "MAI"},     {"Thu", "THU"},     {"Hương", "HUONG"},
                                              {"Hạnh", "HANH"},   {"Nga", "NGA"},     {"Yến", "YEN"},
                                              {"Phượng", "PHUONG"}, {"Tuyết", "TUYET"}, {"Loan", "LOAN"},
                                              {"Đào", "DAO"},     {"Cúc", "CUC"},     {"Hồng", "HONG"},
                                              {"Liên", "LIEN"},   {"Trang", "TRANG"}}};

std::string name_of(int64_t member, bool ascii, int64_t given_shift = 0) {
  const auto& f = kFamily[static_cast<std::size_t>(member % 15)];
  const auto& m = kMiddle[static_cast<std::size_t>((member / 15) % 5)];
  const auto& g = kGiven[static_cast<std::size_t>((member / 75 + given_shift) % 17)];
  return ascii ? fmt::format("{} {} {}", f.ascii, m.ascii, g.ascii) : fmt::format("{} {} {}", f.vi, m.vi, g.vi);
}

enum Planted { kNone = -1, kPrincipal = 0, kInterest, kSavings, kIdentity, kMissingInBank, kMissingInLedger };
constexpr std::array<const char*, 6> kIssueName = {"principal_mismatch", "interest_mismatch", "savings_mismatch",
                                                   "identity_mismatch",  "missing_in_bank",   "missing_in_ledger"};

int planted(int64_t i) { return i % 100 == 30 ? static_cast<int>((i / 100) % 6) : kNone; }
bool has_tx(int64_t i) { return i % 10 == 0 && planted(i) != kMissingInLedger; }
bool repaid(int64_t i) { return i % 1000 == 500; }
int64_t member_of(int64_t i) { return i % 25 == 11 ? i - 1 : i; }
int64_t amount_of(int64_t i) { return (20 + (i * 13) % 81) * 1'000'000; }
Date disbursed_of(int64_t i) { return kFirstDisbursement.add_days((i * 37) % kDisbursementDays); }
// Never ending in 0: 16 significant digits ending in 0 read as a number Excel rounded.
std::string loan_no(int64_t i) { return fmt::format("6001{:011}7", i); }
std::string group_code(int64_t i) { return fmt::format("08{:05}", i / 25); }
std::string member_code(int64_t m) { return fmt::format("HV{:07}", m); }
std::string customer_code(int64_t m) { return fmt::format("KH{:08}", m); }
int64_t principal_paid(int64_t i) { return has_tx(i) ? (repaid(i) ? amount_of(i) : amount_of(i) / 10) : 0; }
int64_t interest_in_period(int64_t i) { return has_tx(i) ? (i % 5 + 1) * 50'000 : 0; }
int64_t own_savings(int64_t i) { return has_tx(i) ? 250'000 - (i % 30 == 0 ? 30'000 : 0) : 0; }
// The member's savings over her loans: her first loan m's (her second, m + 1 with (m + 1) % 25 ==
// 11, has no transactions), the same on both rows of a member with two loans.
int64_t member_savings(int64_t i) { return own_savings(member_of(i)); }

struct Expected {
  int64_t loans = 0, matched = 0;
  std::array<int64_t, 6> issues{};
  std::map<std::string, int> items;  // loan number → planted kind
  int64_t register_rows = 0, tx_rows = 0, statement_rows = 0;
};

Expected write_inputs(int64_t n, const fs::path& dir) {
  Expected e;
  std::ofstream reg(dir / "register.csv"), tx(dir / "transactions.csv"), st(dir / "statement.csv");
  if (!reg || !tx || !st) die("cannot write the input files in " + dir.string());
  reg << "loan_no,group_code,member_id,customer_code,national_id,borrower_name,programme,disbursed_on,amount,"
         "maturity_on\n";
  tx << "date,loan_no,kind,amount,receipt_no\n";
  st << "loan_no,group_code,customer_code,borrower_name,programme,disbursed_on,principal_outstanding,"
        "principal_overdue,principal_frozen,interest_collected,interest_unpaid,savings_balance,status\n";
  std::string buf;
  for (int64_t i = 0; i < n; ++i) {
    const int p = planted(i);
    const int64_t m = member_of(i);
    const std::string no = loan_no(i), group = group_code(i);
    const Date disbursed = disbursed_of(i);
    const int64_t amount = amount_of(i);
    const char* programme = (i % 3 == 0) ? "19" : "01";
    if (p != kMissingInLedger) {
      ++e.register_rows;
      reg << fmt::format("{},{},{},{},{},{},{},{},{},{}\n", no, group, member_code(m), customer_code(m),
                         i % 4 == 0 ? fmt::format("0841{:08}", m) : std::string(), name_of(m, false), programme,
                         disbursed.to_iso(), amount, disbursed.add_days(1095).to_iso());
    }
    if (has_tx(i)) {
      auto row = [&](const char* date, const char* kind, int64_t a, char r) {
        tx << fmt::format("{},{},{},{},R{}{}\n", date, no, kind, a, i, r);
        ++e.tx_rows;
      };
      row("2026-06-15", "principal", principal_paid(i), 'a');
      row("2026-10-20", "interest", 40'000, 'b');
      row("2026-11-20", "interest", interest_in_period(i), 'c');
      row("2026-07-10", "savings-in", 200'000, 'd');
      row("2026-11-20", "savings-in", 50'000, 'e');
      if (i % 30 == 0) row("2026-11-25", "savings-out", 30'000, 'f');
      if (i % 20 == 0 && !repaid(i)) row("2026-12-05", "principal", 1'000'000, 'g');
    }
    // The bank's row.
    if (repaid(i) && i % 2000 == 500) continue;  // repaid and absent: not counted
    const bool closed = repaid(i);               // repaid and CLOSE: not counted
    if (!closed) {
      ++e.loans;
      if (p == kNone) ++e.matched;
      else {
        ++e.issues[static_cast<std::size_t>(p)];
        e.items.emplace(no, p);
      }
    }
    if (p == kMissingInBank) continue;
    int64_t outstanding = closed ? 0 : amount - principal_paid(i);
    int64_t interest = interest_in_period(i), savings = member_savings(i);
    std::string name = name_of(m, i % 3 == 0), customer = customer_code(m);
    if (p == kPrincipal) outstanding += 1'000'000;
    if (p == kInterest) interest += 5'000;
    if (p == kSavings) savings += 10'000;
    if (p == kIdentity) {
      if ((i / 600) % 2 == 0) name = name_of(m, i % 3 == 0, 1);
      else customer = fmt::format("KX{:08}", m);
    }
    const int64_t overdue = i % 40 == 0 ? std::min<int64_t>(outstanding, 2'000'000) : 0;
    st << fmt::format("{},{},{},{},{},{},{},{},0,{},{},{},{}\n", no, group, customer, name, programme,
                      disbursed.to_iso(), outstanding, overdue, interest, (i % 7) * 10'000, savings,
                      closed ? "CLOSE" : "OPEN");
    ++e.statement_rows;
  }
  // CLOSE rows of loans in no register: not counted.
  for (int64_t k = 0; k < n / 1000; ++k) {
    st << fmt::format("6002{:011}7,{},KH9{:07},{},01,2023-05-10,0,0,0,0,0,0,CLOSE\n", k, group_code(k * 25),
                      k, name_of(k, false));
    ++e.statement_rows;
  }
  if (!reg || !tx || !st) die("writing the input files failed");
  return e;
}

// --- processes ------------------------------------------------------------------------------

struct Child {
  int status = -1;
  int64_t wall_ns = 0;
  int64_t cpu_ns = 0;  // user + system
  int64_t max_rss_kb = 0;
};

Child run(const std::vector<std::string>& args, const std::string& stdout_path, const std::string& stderr_path) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, stdout_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  pid_t pid = 0;
  const auto t0 = Clock::now();
  if (posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) != 0) die("cannot run " + args[0]);
  posix_spawn_file_actions_destroy(&fa);
  Child c;
  struct rusage ru {};
  if (wait4(pid, &c.status, 0, &ru) < 0) die("wait4");
  c.wall_ns = ns_since(t0);
  auto tv_ns = [](const timeval& tv) { return int64_t{tv.tv_sec} * 1'000'000'000 + int64_t{tv.tv_usec} * 1'000; };
  c.cpu_ns = tv_ns(ru.ru_utime) + tv_ns(ru.ru_stime);
  c.max_rss_kb = ru.ru_maxrss;
  return c;
}

// --- the raw SQLite load (the limit on this machine) ------------------------------------------

int64_t self_cpu_ns() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  auto tv_ns = [](const timeval& tv) { return int64_t{tv.tv_sec} * 1'000'000'000 + int64_t{tv.tv_usec} * 1'000; };
  return tv_ns(ru.ru_utime) + tv_ns(ru.ru_stime);
}

// The rows of `csv` loaded by SQLite alone, in this process, into a fresh database: one STRICT
// table of the file's columns as TEXT, column `unique_col` UNIQUE (the loan number or receipt
// soquy keeps unique), one prepared INSERT, WAL, synchronous NORMAL, a 64 MiB cache, one
// transaction; the time covers opening, reading, inserting, the commit and the close (checkpoint).
Child raw_load(const fs::path& csv, const fs::path& db_path, std::size_t unique_col) {
  for (const char* ext : {"", "-wal", "-shm"}) fs::remove(db_path.string() + ext);
  const auto t0 = Clock::now();
  const int64_t cpu0 = self_cpu_ns();
  sqlite3* db = nullptr;
  if (sqlite3_open(db_path.c_str(), &db) != SQLITE_OK) die("raw load: cannot open " + db_path.string());
  auto exec = [&](const std::string& sql) {
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) die("raw load: " + sql + ": " + sqlite3_errmsg(db));
  };
  exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536");
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> cols;
  for (std::size_t at = 0; at <= line.size();) {
    auto comma = line.find(',', at);
    if (comma == std::string::npos) comma = line.size();
    cols.push_back(line.substr(at, comma - at));
    at = comma + 1;
  }
  std::string create = "CREATE TABLE raw (id INTEGER PRIMARY KEY", insert = "INSERT INTO raw VALUES (NULL";
  for (std::size_t c = 0; c < cols.size(); ++c) {
    create += fmt::format(", {} TEXT{}", cols[c], c == unique_col ? " UNIQUE" : "");
    insert += ", ?";
  }
  exec(create + ") STRICT");
  exec("BEGIN");
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(db, (insert + ")").c_str(), -1, &q, nullptr) != SQLITE_OK) die("raw load: prepare");
  while (std::getline(in, line)) {
    int c = 1;
    for (std::size_t at = 0; at <= line.size() && c <= static_cast<int>(cols.size()); ++c) {
      auto comma = line.find(',', at);
      if (comma == std::string::npos) comma = line.size();
      sqlite3_bind_text(q, c, line.data() + at, static_cast<int>(comma - at), SQLITE_STATIC);
      at = comma + 1;
    }
    if (sqlite3_step(q) != SQLITE_DONE) die(std::string("raw load: insert: ") + sqlite3_errmsg(db));
    sqlite3_reset(q);
  }
  sqlite3_finalize(q);
  exec("COMMIT");
  sqlite3_close(db);
  Child c;
  c.status = 0;
  c.cpu_ns = self_cpu_ns() - cpu0;
  c.wall_ns = ns_since(t0);
  return c;
}

// "12.3x": a / b to one decimal, from integers.
std::string times(int64_t a, int64_t b) {
  if (b <= 0) return "-";
  const int64_t tenths = (a * 10 + b / 2) / b;
  return fmt::format("{}.{}x", tenths / 10, tenths % 10);
}

int exit_code(const Child& c) { return WIFEXITED(c.status) ? WEXITSTATUS(c.status) : 128 + WTERMSIG(c.status); }

std::string tail_of(const std::string& path) {
  std::ifstream in(path);
  std::string line, out;
  std::vector<std::string> lines;
  while (std::getline(in, line)) lines.push_back(line);
  for (std::size_t k = lines.size() > 10 ? lines.size() - 10 : 0; k < lines.size(); ++k) out += "  " + lines[k] + "\n";
  return out;
}

constexpr const char* kUsage =
    "usage: soquy_vbsp_bench [--loans N] [--workdir DIR] [--keep] [--reuse] [--soquy PATH] [--register-only]\n"
    "\n"
    "The VBSP reconciliation benchmark of issue 6: writes a register of N loans (default 1000000),\n"
    "a year of group transactions for every 10th loan and the bank's statement as of 2026-11-30 with\n"
    "a planted difference in 1 % of the loans; imports them with the soquy binary (each import timed);\n"
    "times `soquy vbsp reconcile --as-of 2026-11-30 --format json|csv --out FILE` with its max RSS;\n"
    "checks the summary and the items against the planted differences; prints the targets\n"
    "(< 10 s, < 1 GiB). Exit 0 when the output is right (whether or not the targets are met),\n"
    "1 when it is wrong, 2 on a usage or setup error.\n"
    "\n"
    "  --loans N        loans in the register (default 1000000)\n"
    "  --workdir DIR    where the files and the database go (default /tmp/soquy-vbsp-bench)\n"
    "  --keep           keep the files and the database afterwards\n"
    "  --reuse          the database of an earlier --keep run with the same N is there: skip the\n"
    "                   imports, only time and check the reconciliation (implies --keep)\n"
    "  --soquy PATH     the soquy binary (default: the one built with this benchmark, else ./soquy)\n"
    "  --register-only  time only `vbsp import-register` (and its raw SQLite load), then stop\n";

}  // namespace

int main(int argc, char** argv) {
  int64_t n = 1'000'000;
  fs::path workdir = "/tmp/soquy-vbsp-bench";
  bool keep = false, reuse = false, register_only = false;
  std::string soquy;
#ifdef SOQUY_BENCH_SOQUY_BIN
  soquy = SOQUY_BENCH_SOQUY_BIN;
#endif
  std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) die(args[i] + " needs a value\n" + kUsage);
      return args[++i];
    };
    if (args[i] == "--help" || args[i] == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (args[i] == "--loans") {
      const auto v = value();
      try {
        n = std::stoll(v);
      } catch (...) {
        die("--loans: '" + v + "' is not a number");
      }
      if (n < 1000 || n > 2'000'000) die("--loans: between 1000 and 2000000");
    } else if (args[i] == "--workdir") {
      workdir = value();
    } else if (args[i] == "--keep") {
      keep = true;
    } else if (args[i] == "--reuse") {
      reuse = true;
    } else if (args[i] == "--register-only") {
      register_only = true;
    } else if (args[i] == "--soquy") {
      soquy = value();
    } else {
      die("unknown argument '" + args[i] + "'\n" + kUsage);
    }
  }
  if (soquy.empty() || !fs::exists(soquy)) {
    const auto here = fs::path(argv[0]).parent_path() / "soquy";
    if (fs::exists(here)) soquy = here.string();
  }
  if (soquy.empty() || !fs::exists(soquy)) die("no soquy binary: give --soquy PATH");
  soquy = fs::absolute(soquy).string();

  fs::create_directories(workdir);
  const auto db = (workdir / "vbsp.db").string();
  if (reuse && !fs::exists(db)) die("--reuse: there is no " + db);
  for (const char* f : {"vbsp.db", "vbsp.db-wal", "vbsp.db-shm", "log.out", "log.err"})
    if (!reuse || std::string_view(f).starts_with("log")) fs::remove(workdir / f);
  const auto out_log = (workdir / "log.out").string(), err_log = (workdir / "log.err").string();

  std::cout << fmt::format("== VBSP reconciliation benchmark: {} loans, soquy {} ==\n", n, soquy);
  auto t0 = Clock::now();
  const Expected e = write_inputs(n, workdir);
  std::cout << fmt::format("inputs written in {} ms: register {} rows ({} MB), transactions {} rows ({} MB), "
                           "statement {} rows ({} MB)\n",
                           ms(ns_since(t0)), e.register_rows, fs::file_size(workdir / "register.csv") >> 20,
                           e.tx_rows, fs::file_size(workdir / "transactions.csv") >> 20, e.statement_rows,
                           fs::file_size(workdir / "statement.csv") >> 20);

  auto soquy_cmd = [&](std::vector<std::string> words) {
    std::vector<std::string> a{soquy, "--db", db};
    a.insert(a.end(), words.begin(), words.end());
    return a;
  };
  auto must = [&](const std::string& what, const std::vector<std::string>& words, int expected_exit = 0) {
    auto c = run(soquy_cmd(words), out_log, err_log);
    if (exit_code(c) != expected_exit)
      die(fmt::format("{} exited {} (expected {}); the end of {}:\n{}", what, exit_code(c), expected_exit, err_log,
                      tail_of(err_log)));
    return c;
  };
  if (!reuse) must("init", {"init"});
  if (!reuse) {
    must("unit add", {"unit", "add", "P", "--name", "Trà Vinh", "--kind", "province", "--from", "2020-01-01"});
    must("unit add", {"unit", "add", "C1", "--name", "Long Đức", "--kind", "commune", "--parent", "P", "--from",
                      "2020-01-01"});
  }

  struct Timed {
    std::string what;
    Child c;
  };
  std::vector<Timed> timed;
  auto step = [&](const std::string& what, const std::vector<std::string>& words, int expected_exit) {
    auto c = must(what, words, expected_exit);
    std::cout << fmt::format("TIME {}: exit {}, {} ms wall, {} ms CPU (user + sys), max RSS {} MB\n", what,
                             exit_code(c), ms(c.wall_ns), ms(c.cpu_ns), mb(c.max_rss_kb));
    std::cout.flush();
    timed.push_back({what, c});
    return c;
  };
  // Each import beside a raw SQLite load of the same file in the same run (register: loan_no
  // unique; transactions: receipt_no; statement: loan_no).
  auto against_raw = [&](const std::string& what, const Child& c, const char* file, std::size_t unique_col) {
    const auto raw = raw_load(workdir / file, workdir / "raw.db", unique_col);
    std::cout << fmt::format("RAW {}: raw SQLite load of {}: {} ms wall, {} ms CPU; soquy / raw: {} by CPU, {} by "
                             "wall\n",
                             what, file, ms(raw.wall_ns), ms(raw.cpu_ns), times(c.cpu_ns, raw.cpu_ns),
                             times(c.wall_ns, raw.wall_ns));
    for (const char* ext : {"", "-wal", "-shm"}) fs::remove((workdir / "raw.db").string() + ext);
  };
  if (!reuse) {
    auto r = step("import-register", {"vbsp", "import-register", (workdir / "register.csv").string(), "--unit", "C1"}, 0);
    against_raw("import-register", r, "register.csv", 0);
    if (register_only) {
      std::cout << fmt::format("database: {} MB (--register-only: nothing else run or checked)\n", fs::file_size(db) >> 20);
      if (!keep) fs::remove_all(workdir);
      return 0;
    }
    auto t = step("import-transactions", {"vbsp", "import-transactions", (workdir / "transactions.csv").string()}, 0);
    against_raw("import-transactions", t, "transactions.csv", 4);
    auto s = step("import-statement",
                  {"vbsp", "import-statement", (workdir / "statement.csv").string(), "--from", kFrom, "--as-of", kAsOf}, 0);
    against_raw("import-statement", s, "statement.csv", 0);
  }
  const auto json_out = (workdir / "reconcile.json").string(), csv_out = (workdir / "reconcile.csv").string();
  fs::remove(json_out);
  fs::remove(csv_out);
  const auto rj = step("reconcile json",
                       {"vbsp", "reconcile", "--as-of", kAsOf, "--format", "json", "--out", json_out}, 1);
  const auto rc = step("reconcile csv",
                       {"vbsp", "reconcile", "--as-of", kAsOf, "--format", "csv", "--out", csv_out}, 1);
  std::cout << fmt::format("database: {} MB; reconcile.json {} MB, reconcile.csv {} MB\n",
                           fs::file_size(db) >> 20, fs::file_size(json_out) >> 20, fs::file_size(csv_out) >> 20);

  // --- is it right? ---
  int wrong = 0;
  auto check = [&](bool ok, const std::string& what) {
    if (!ok) {
      ++wrong;
      if (wrong <= 20) std::cout << "WRONG: " << what << "\n";
    }
  };
  {
    std::ifstream in(json_out);
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(in);
    } catch (const std::exception& ex) {
      die(std::string("reconcile.json is not JSON: ") + ex.what());
    }
    const auto& s = j.at("summary");
    auto count = [&](const char* key, int64_t want) {
      const int64_t got = s.at(key).get<int64_t>();
      check(got == want, fmt::format("summary.{} is {}, planted {}", key, got, want));
    };
    check(j.at("as_of") == kAsOf, "as_of");
    check(j.at("period_from") == kFrom, "period_from");
    count("loans", e.loans);
    count("matched", e.matched);
    for (std::size_t k = 0; k < 6; ++k) count(kIssueName[k], e.issues[k]);
    const auto& items = j.at("items");
    check(items.size() == e.items.size(), fmt::format("{} items, planted {}", items.size(), e.items.size()));
    std::string previous;
    for (const auto& it : items) {
      const auto no = it.at("loan_no").get<std::string>();
      check(no > previous, "items are not by loan number at " + no);
      previous = no;
      auto p = e.items.find(no);
      if (p == e.items.end()) {
        check(false, "item " + no + " was not planted");
        continue;
      }
      const auto& issues = it.at("issues");
      check(issues.size() == 1 && issues[0] == kIssueName[static_cast<std::size_t>(p->second)],
            fmt::format("item {}: issues {}, planted {}", no, issues.dump(), kIssueName[static_cast<std::size_t>(p->second)]));
      check(it.at("bank").is_null() == (p->second == kMissingInBank), "item " + no + ": bank");
      check(it.at("ledger").is_null() == (p->second == kMissingInLedger), "item " + no + ": ledger");
    }
  }
  {
    std::ifstream in(csv_out);
    std::string line;
    std::getline(in, line);
    check(line.starts_with("loan_no,group_code,issue,"), "the CSV header is " + line);
    std::map<std::string, int64_t> per_issue;
    int64_t rows = 0;
    while (std::getline(in, line)) {
      ++rows;
      auto a = line.find(',');
      auto b = a == std::string::npos ? a : line.find(',', a + 1);
      auto c = b == std::string::npos ? b : line.find(',', b + 1);
      if (c == std::string::npos) {
        check(false, "CSV line " + line);
        continue;
      }
      ++per_issue[line.substr(b + 1, c - b - 1)];
    }
    check(rows == static_cast<int64_t>(e.items.size()), fmt::format("{} CSV rows, planted {}", rows, e.items.size()));
    for (std::size_t k = 0; k < 6; ++k)
      check(per_issue[kIssueName[k]] == e.issues[k],
            fmt::format("{} CSV rows {}, planted {}", kIssueName[k], per_issue[kIssueName[k]], e.issues[k]));
  }
  if (wrong == 0)
    std::cout << fmt::format("verified: summary ({} loans, {} matched, {} differences planted) and every item of "
                             "the JSON and CSV equal what was planted\n",
                             e.loans, e.matched, e.items.size());
  else
    std::cout << fmt::format("WRONG: {} check(s) failed\n", wrong);

  std::cout << "\n== targets (issue 6 item 8: reconcile " << n << " loans < 10 s, memory < 1 GiB) ==\n";
  for (const auto* r : {&rj, &rc}) {
    const char* what = r == &rj ? "json" : "csv";
    const int64_t t_ms = r->wall_ns / 1'000'000;
    std::cout << fmt::format(
        "reconcile {}: {} ms wall = {}% of 10 s: {} (CPU {} ms); max RSS {} MB = {}% of 1 GiB: {}\n", what,
        ms(r->wall_ns), t_ms * 100 / kTargetMs, t_ms < kTargetMs ? "MET" : "MISSED", ms(r->cpu_ns),
        mb(r->max_rss_kb), r->max_rss_kb * 100 / kTargetKb, r->max_rss_kb < kTargetKb ? "MET" : "MISSED");
  }
  if (!keep && !reuse) fs::remove_all(workdir);
  return wrong == 0 ? 0 : 1;
}
