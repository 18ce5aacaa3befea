#include "progress.h"

#include <unistd.h>

#include <cstdlib>
#include <string_view>

#include <fmt/format.h>

#include "soquy/i18n.h"

namespace soquy::cli {
namespace {

// 1234567 → "1.234.567" (the Vietnamese grouping of table output), "1,234,567" in English.
std::string grouped(std::int64_t n) {
  const char sep = language() == Language::kEn ? ',' : '.';
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += sep;
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

// Seconds as m:ss, or h:mm:ss from an hour.
std::string clock_time(std::int64_t seconds) {
  if (seconds >= 3600) return fmt::format("{}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
  return fmt::format("{}:{:02}", seconds / 60, seconds % 60);
}

// Characters on screen of UTF-8 text (continuation bytes take no column).
std::size_t columns(std::string_view text) {
  std::size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

ProgressLine::Settings ProgressLine::for_stderr(bool quiet, std::string unit) {
  Settings s;
  s.terminal = !quiet && ::isatty(STDERR_FILENO) == 1;
  s.unit = std::move(unit);
  if (const char* after = std::getenv("SOQUY_PROGRESS_AFTER_MS"); after && *after)
    s.after = std::chrono::milliseconds(std::strtoll(after, nullptr, 10));
  return s;
}

ProgressLine::ProgressLine(std::ostream& out, Settings settings, Clock clock)
    : out_(out), settings_(std::move(settings)), clock_(std::move(clock)), start_(clock_()), last_draw_(start_) {}

void ProgressLine::update(std::int64_t done, std::int64_t total) {
  if (!settings_.terminal) return;
  const auto now = clock_();
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - start_);
  if (elapsed < settings_.after) return;
  if (drawn_once_ && now - last_draw_ < settings_.every) return;
  std::string line = format(done, total, elapsed, settings_.unit);
  const std::size_t width = columns(line);
  // Pad over what a longer previous line left on screen.
  if (width < drawn_width_) line.append(drawn_width_ - width, ' ');
  out_ << '\r' << line << std::flush;
  drawn_width_ = std::max(width, drawn_width_);
  last_draw_ = now;
  drawn_once_ = true;
}

void ProgressLine::finish() {
  if (drawn_width_ == 0) return;
  out_ << '\r' << std::string(drawn_width_, ' ') << '\r' << std::flush;
  drawn_width_ = 0;
}

std::string ProgressLine::format(std::int64_t done, std::int64_t total, std::chrono::milliseconds elapsed,
                                 const std::string& unit) {
  const std::int64_t ms = elapsed.count() > 0 ? elapsed.count() : 1;
  const std::int64_t rate = done * 1000 / ms;
  const std::string what = tr(unit.c_str());  // "rows", "entries": N_() where they are chosen
  if (total <= 0) return fmt::format(fmt::runtime(tr("{0} {1} · {2} {1}/s")), grouped(done), what, grouped(rate));
  if (done > 0 && done <= total) {
    // Time left at the rate so far, rounded up to a whole second.
    const std::int64_t left_ms = (total - done) * ms / done;
    return fmt::format(fmt::runtime(tr("{0} / {1} {2} · {3} {2}/s · {4} left")), grouped(done), grouped(total), what,
                       grouped(rate), clock_time((left_ms + 999) / 1000));
  }
  return fmt::format(fmt::runtime(tr("{0} / {1} {2} · {3} {2}/s")), grouped(done), grouped(total), what, grouped(rate));
}

}  // namespace soquy::cli
