// soquy — reports whose one long list is written row by row (issue 16, item 2).
//
// A report such as the audit log or the overdue loans can hold millions of rows. Built whole
// (render.h's Report), it holds every row three times: as JSON, as table cells and as the
// rendered text. A RowSink writes each row to the output as it is computed instead, so memory
// does not grow with the rows:
// - json and csv are streamed: the same bytes as render() of the whole report (the goldens
//   and tests/unit/row_stream_test.cc prove it);
// - table, xlsx and html collect the rows into the Report and render it at the end; xlsx and
//   html refuse more than document_row_limit() rows (kUsage, exit 2: the message names the
//   limit and suggests csv or json). The table keeps no limit: it is read on a terminal.
//
// The caller builds the skeleton: the Report as it would be with an empty list (its summary
// fields, its first table's columns, notes and the other tables); `list` is the JSON pointer of
// the list in skeleton.json ("/entries", "/loans"), an empty array there. CSV writes the first
// table, whose rows are the list's rows.
#pragma once

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "soquy/error.h"
#include "soquy/reports/render.h"

namespace soquy::reports {

// The most rows an xlsx or html output holds: $SOQUY_DOCUMENT_ROW_LIMIT when it is a positive
// whole number, else kDocumentRowLimit. docs/exports.md, "Size limits".
inline constexpr std::size_t kDocumentRowLimit = 100000;
std::size_t document_row_limit();

// Whether `format` is written row by row (json, csv) rather than collected.
bool streams(Format format);

class RowSink {
 public:
  // Writes nothing yet: the part of `skeleton` before the list (json: up to the list's '[',
  // csv: the BOM and the header line) goes out with the first row or at finish(), so an error
  // before any row leaves the output empty. `out` must outlive the sink. kInternal when
  // skeleton.json has no array at `list` or the skeleton has no table.
  static Result<RowSink> open(Report skeleton, std::string list, Format format, std::ostream& out,
                              const RenderOptions& options);

  // One row of the list: its JSON object and its cells in the first table's columns.
  // kUsage once an xlsx or html report would pass document_row_limit(); kIo on a write error.
  Result<void> row(const nlohmann::ordered_json& item, std::vector<std::string> cells);
  // One item of the list shown as several lines of the table (a reconciled loan: one line per
  // issue). The limit counts table lines.
  Result<void> row_lines(const nlohmann::ordered_json& item, std::vector<std::vector<std::string>> lines);

  // Writes the rest: json the end of the list and what follows it; table, xlsx and html the
  // whole report, after `complete` (when given) has filled in what depends on every row
  // (notes with counts, totals). The sink is spent.
  Result<void> finish(const std::function<void(Report&)>& complete = {});

  std::size_t rows() const { return rows_; }  // items of the list so far

 private:
  RowSink(Report skeleton, std::string list, Format format, std::ostream& out, RenderOptions options)
      : report_(std::move(skeleton)), list_(std::move(list)), format_(format), out_(&out),
        options_(std::move(options)) {}
  Result<void> begin();
  Result<void> check_written();

  Report report_;
  std::string list_;
  Format format_;
  std::ostream* out_;
  RenderOptions options_;
  std::size_t rows_ = 0;
  std::size_t lines_ = 0;  // table lines so far
  bool started_ = false;
  std::string json_tail_;    // json: what follows the list
  std::string json_indent_;  // json: the indentation of the list's items
};

// The message of a document over the limit: "an xlsx/html report holds at most N rows: …".
Error too_many_rows(Format format, std::size_t limit);

}  // namespace soquy::reports
