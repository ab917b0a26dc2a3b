// `gouji check`: reports audited against compiled rule packs, and the two ways
// of showing the findings — a terminal listing that quotes the source, and the
// JSON contract documented in docs/findings.md.
#pragma once

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gouji/document.hpp"
#include "gouji/finding.hpp"
#include "gouji/report_model.hpp"
#include "gouji/rules.hpp"
#include "gouji/source.hpp"
#include "gouji/template_schema.hpp"

namespace gouji {

// One report of a batch: its findings, or why it could not be read.
struct ReportFindings {
    std::string file;         // as the user gave it (relative to tests/ in goldens)
    std::string template_id;  // template the report was checked against; empty when none fits
    std::string format;       // "text", "markdown", "html", "docx", "pdf": how source lines are quoted
    // The text's encoding as the reader decoded it (Document::encoding): "UTF-8",
    // "UTF-8 (BOM)", "GB18030", "UTF-16LE", "UTF-16BE"; "" for PDF and when not read.
    // SARIF declares it for a file that is not UTF-8, whose columns a viewer must count so.
    std::string encoding;
    std::string previous;     // the file of the year before that previous() read; empty when none
    // What the report's title says of it (ReportMetadata): 0 and empty when it
    // could not be read or says nothing.
    int year = 0;
    std::string agency;
    // What the rules did on it: how many ran, how many checks passed, failed or
    // were skipped (the JUnit output counts its tests by these).
    EvaluationStats stats;
    std::vector<std::string> reader_warnings;  // Document::warnings: what the reader read past
    std::vector<Finding> findings;
    // The source lines the findings point at, by line number, as the report was
    // read (text and Markdown only): the terminal listing quotes them without
    // opening the file again, which may have changed or be a pipe.
    std::map<std::uint32_t, std::string> source_lines;
    std::optional<InputError> error;  // set when the report could not be read (findings empty)
    // Set on the entry of a folder under the paths that could not be searched
    // (with `error`): the reports in it are unknown, and not counted as reports.
    bool folder = false;
    // Set on the entry of an input of `--previous` that gave no report (with
    // `error`; a folder too when `folder` is set): not audited, but the rules
    // that compare with last year had nothing from it.
    bool previous_year = false;
    // Set, to why, on a file a folder search found that models as no report (no
    // section heading and no table of any template: a README, a notice): not
    // audited, and no entry of the results (a note on stderr says so).
    std::string passed_over;
    // Rules that could not finish on this report (Evaluation::rule_errors); the
    // other rules' findings stand.
    std::vector<InputError> rule_errors;
    // Findings left out by `check --min-severity` (keep_findings_from): not in
    // `findings`, nor in any count of them, but said by the batch's closing line.
    std::size_t findings_not_shown = 0;
};

// Leaves out of `report.findings` those below `least` (a finding not assessable
// is an info, docs/findings.md) and counts them in `report.findings_not_shown`.
void keep_findings_from(ReportFindings& report, Severity least);

// Disjoint counts: every finding is in exactly one of them.
struct FindingsSummary {
    std::size_t errors = 0, warnings = 0;
    std::size_t infos = 0;           // assessable findings of severity info
    std::size_t not_assessable = 0;  // findings with assessable = false (severity info)

    FindingsSummary& operator+=(const FindingsSummary& other);
};
FindingsSummary summarize(const std::vector<Finding>& findings);

// A batch's running totals: all its closing line and exit code need, so that a
// batch of any size holds one report's findings at a time.
struct BatchTally {
    std::size_t reports = 0;
    std::size_t unreadable = 0;                   // reports that could not be read
    std::vector<std::string> unreadable_files;     // their files, in batch order (the text summary names them)
    std::size_t unreadable_folders = 0;           // folders under the paths that could not be searched
    std::size_t unreadable_previous = 0;          // reports of --previous that could not be read or used
    std::size_t unreadable_previous_folders = 0;  // folders of --previous that gave none (unreadable, or empty)
    std::size_t rule_errors = 0;                  // reports on which some rule could not finish
    std::size_t passed_over = 0;                  // files of a folder search that are no report (ReportFindings::passed_over)
    std::set<std::string> unfinished_rules;  // those rules, by their place in their pack
    FindingsSummary findings;
    std::size_t findings_not_shown = 0;  // ReportFindings::findings_not_shown, summed

    void add(const ReportFindings& report);
    BatchTally& operator+=(const BatchTally& other);
    // Every file the paths gave was passed over as no report: the batch audited
    // nothing, an input error (exit 2) that every output must say.
    bool only_passed_over() const { return reports == 0 && passed_over > 0 && unreadable_folders == 0; }
};

// The standard packs: every rulepacks/*.yaml of default_rulepack_dir() but the
// template schemas (templates.yaml), in name order.
std::vector<std::string> standard_rule_pack_files();

// Reports of earlier years, given to be compared with (previous() in a rule
// reads their tables), not audited: `gouji check --previous`. A report's
// previous one has the same agency, as its title names it (normalize_label,
// without a suffix of TemplateCatalog::agency_suffixes), and the year before.
class ReportHistory {
public:
    ReportHistory() = default;
    explicit ReportHistory(const TemplateCatalog& catalog);
    // Keeps what previous() reads of `model` (its tables, agency, year, file).
    // Returns the file of a report already kept for the same agency and year:
    // both are then dropped, since which one is meant cannot be told.
    std::optional<std::string> add(ReportModel model);
    // The files given for `model`'s agency and year: the one kept, or each of
    // those dropped as reports that cannot be told apart.
    std::vector<std::string> files_for(const ReportModel& model) const;
    // Each report kept: its file, year and agency as its title names them.
    struct Kept {
        std::string file;
        int year = 0;
        std::string agency;
    };
    std::vector<Kept> kept() const;
    // The previous report of `model`, or null.
    const ReportModel* previous_of(const ReportModel& model) const;
    // Whether `model` can be paired at all: its title names an agency and a year.
    static bool pairable(const ReportModel& model) { return !model.metadata.agency.empty() && model.metadata.year != 0; }
    std::size_t size() const { return reports_.size(); }

private:
    std::string key(const std::string& agency, int year) const;
    std::vector<std::string> suffixes_;  // normalized
    std::map<std::string, ReportModel> reports_;
    std::map<std::string, std::vector<std::string>> ambiguous_;  // key -> the files given for it
};

// Models the document and evaluates `rules` against it (findings carry their
// suggestions). `document.path` becomes the report's file. `history`, when
// given, supplies the report of the year before. `found_by_search`: the file was
// found in a folder, not named, so one that models as no report is passed over
// (ReportFindings::passed_over) instead of audited.
ReportFindings check_document(Document document, const RuleSet& rules, const TemplateCatalog& catalog,
                              const ReportHistory* history = nullptr, bool found_by_search = false);
// A report that could not be read.
ReportFindings unreadable_report(std::string file, const InputError& error);

// {"reports": [...]} — docs/findings.md.
nlohmann::ordered_json findings_to_json(const std::vector<ReportFindings>& reports);
nlohmann::ordered_json report_to_json(const ReportFindings& report);
// A report's `summary`: {"errors", "warnings", "infos", "not_assessable"}.
nlohmann::ordered_json summary_to_json(const FindingsSummary& summary);

// The terminal listing of one report: a header, each finding with its quoted
// source line (text and Markdown: the file's line, re-read when it is a regular
// file; other formats, and pipes: the cell's text; past 160 columns, a window
// around the finding), the cells it used, its suggestion, and a summary line.
// `color` adds ANSI colors.
std::string findings_text(const ReportFindings& report, bool color);
// The batch's closing line: reports checked, unreadable, totals.
std::string batch_summary_text(const BatchTally& tally, bool color);

}  // namespace gouji
