// The progress line of long work (imports): rows done of rows, rate, time left, on stderr, only
// when stderr is a terminal, only after the work has run about a second, at most ~4 times a
// second, on one line rewritten with '\r' and wiped at the end. Data never goes there: stdout
// and the goldens (which run without a terminal) see nothing of it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

#include "soquy/i18n.h"

namespace soquy::cli {

class ProgressLine {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  struct Settings {
    bool terminal = false;                    // isatty(2); false = never print
    std::chrono::milliseconds after{1000};    // silent before this much time has passed
    std::chrono::milliseconds every{250};     // at most one redraw per this much time
    std::string unit = "rows";                // what is counted, English source: "rows", "entries"
  };
  // The settings of this process: terminal = isatty(2) and not --quiet; `after` from
  // $SOQUY_PROGRESS_AFTER_MS when set (a test hook: 0 draws from the first row).
  static Settings for_stderr(bool quiet, std::string unit = N_("rows"));

  ProgressLine(std::ostream& out, Settings settings, Clock clock = &std::chrono::steady_clock::now);
  ~ProgressLine() { finish(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // `done` of `total` counted (total 0 = unknown). Cheap when nothing is drawn.
  void update(std::int64_t done, std::int64_t total = 0);
  // Wipes the line, if one was drawn (before the command prints its summary or an error).
  void finish();
  // The callback an importer's options take (soquy/ledger.h, loan_import.h, registry.h, vbsp.h).
  std::function<void(std::int64_t, std::int64_t)> callback() {
    return [this](std::int64_t done, std::int64_t total) { update(done, total); };
  }

  // The line itself, in the language (soquy/i18n.h; `unit` is translated): "1.200 / 5.000 dòng ·
  // 600 dòng/giây · còn 0:07", in English "1,200 / 5,000 rows · 600 rows/s · 0:07 left"; without
  // a total: "1.200 dòng · 600 dòng/giây".
  static std::string format(std::int64_t done, std::int64_t total, std::chrono::milliseconds elapsed,
                            const std::string& unit);

 private:
  std::ostream& out_;
  Settings settings_;
  Clock clock_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  std::size_t drawn_width_ = 0;  // characters of the line on screen (0 = nothing drawn)
  bool drawn_once_ = false;
};

}  // namespace soquy::cli
