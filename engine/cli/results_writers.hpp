// How `gouji check` picks the writer of its --format.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "gouji/outputs.hpp"
#include "gouji/source.hpp"

namespace gouji::cli {

// Why a batch whose every file was passed over (BatchTally::only_passed_over)
// audited nothing: "gouji check: error: no reports under the paths given: …", on
// stderr and in the JSON.
InputError no_reports_under_paths(const BatchTally& tally);

// The values of --format, the default first.
const std::vector<std::string>& output_formats();
// Whether `format` is written only to the file --output names (a database), never to stdout.
bool writes_a_file_only(const std::string& format);
// The writer of `format`: to `out` (standard output or the --output file), or,
// for a format writes_a_file_only(), to `output_path`. `color`: ANSI colors in
// the terminal listing. Throws InputError when the output cannot be opened.
std::unique_ptr<ResultsWriter> make_results_writer(const std::string& format, std::ostream& out,
                                                   const std::string& output_path, const RunInfo& run, bool color);

}  // namespace gouji::cli
