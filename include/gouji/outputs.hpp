// The formats `gouji check --format` writes (docs/outputs.md): each is written a
// report at a time, in batch order, while the batch goes on, so that a folder of
// any size is never held whole and what was written before a failure stays
// written. Every format says the same findings as the JSON contract
// (docs/findings.md); each page of docs/ on a format says how its fields map.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gouji/check.hpp"
#include "gouji/rules.hpp"

namespace gouji {

// What one run of `gouji check` was, for the formats that record it: SARIF's
// tool and invocation, SQLite's `runs` row, the HTML page's heading.
struct RunInfo {
    std::string tool_version;             // GOUJI_VERSION
    std::vector<std::string> arguments;   // the command line, program name first
    std::string working_directory;        // where relative report paths start
    std::string started_utc;              // "2026-12-03T11:40:00Z"
    std::vector<PackInfo> packs;          // every pack compiled, standard and given
    std::vector<RuleInfo> rules;          // every rule compiled, in pack order
};

// The current time as RunInfo::started_utc writes it.
std::string utc_now_iso8601();
// RunInfo::packs as the outputs that record a run write them (SARIF's run
// properties, SQLite's runs.packs): [{"id", "title", "version", "file"}].
nlohmann::ordered_json packs_to_json(const std::vector<PackInfo>& packs);

// One output format. entry() is called on the batch's worker threads at once;
// write() and close() on one thread, in batch order.
class ResultsWriter {
public:
    virtual ~ResultsWriter() = default;
    // A report's part of the output, ready to write. Reads only `report` and
    // what the writer was made with.
    virtual std::string entry(const ReportFindings& report) const = 0;
    // Writes one entry() and flushes it: a batch stopped after it keeps it.
    virtual void write(const std::string& entry) = 0;
    // After the last entry: the batch's closing part (its counts, the end of the
    // document).
    virtual void close(const BatchTally& tally) = 0;
    // False once the output cannot be written to (a full disk, a reader gone).
    virtual bool good() const = 0;
    // Why it cannot, when the writer knows better than its stream's state (a
    // database's error); empty otherwise.
    virtual std::string failure() const { return {}; }
    // Whether entry() quotes the report's source lines (ReportFindings::source_lines):
    // when not, a large report's text is let go before it is modelled.
    virtual bool quotes_source() const { return false; }
};

// The formats written to a stream, each a document read as a whole once the batch
// has ended: SARIF 2.1.0 (docs/sarif.md), JUnit XML (docs/junit.md), a
// self-contained HTML page (docs/html.md).
std::unique_ptr<ResultsWriter> sarif_writer(std::ostream& out, const RunInfo& run);
std::unique_ptr<ResultsWriter> junit_writer(std::ostream& out, const RunInfo& run);
std::unique_ptr<ResultsWriter> html_writer(std::ostream& out, const RunInfo& run);
// How a page of html_writer() says, in its first kilobyte, that gouji wrote it: a
// folder search passes such a page over (last week's audit filed beside the
// reports is no report, and --output may write it again).
inline constexpr std::string_view html_page_generator = "<meta name=\"generator\" content=\"gouji ";
// A SQLite database at `path` (docs/sqlite.md): made when it does not exist;
// each run is added beside the runs kept there, each report committed once
// written. Throws InputError when it cannot be opened, is no gouji database, or
// is one of a newer schema.
std::unique_ptr<ResultsWriter> sqlite_writer(const std::string& path, const RunInfo& run);

}  // namespace gouji
