// soquy — how the user asked for an imported file to be read (the reader decides the rest).
//
// Every import takes these and hands them to the CSV reader (soquy/csv_reader.h, target
// soquy_io), which documents the detection rules. The command line passes them as given.
#pragma once

#include <string>

namespace soquy {

struct CsvReadOptions {
  std::string delimiter;  // ",", ";", "tab" (or a TAB character); "" = detect from the header
  std::string encoding;   // an ICU converter name ("windows-1258", "UTF-16LE", "utf-8"); "" = detect
};

}  // namespace soquy
