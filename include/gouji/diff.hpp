// `gouji diff`: two outputs of `gouji check --format json` compared, report by
// report and finding by finding — what a change of rule pack does to past audits,
// or how two audit runs differ. The JSON it writes is a contract: docs/diff.md.
//
// Three steps, each testable alone: read_check_results() reads a check output
// (docs/findings.md), diff_results() pairs and compares two of them, and the
// text and JSON functions below put one entry's differences into words.
#pragma once

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "gouji/check.hpp"

namespace gouji {

// The largest file of results read. A check of a thousand reports writes some
// 10 MiB; a larger file is refused, not read until memory runs out.
inline constexpr std::size_t kMaxCheckResultsBytes = std::size_t{1} << 30;

// One finding of a check output: what identifies it in its report (`rule` and
// `binding`, docs/findings.md), what a diff compares, and the finding whole.
struct CheckedFinding {
    std::string rule, binding;
    std::string severity;  // error, warning or info
    bool assessable = true;
    std::string message;
    // The finding's JSON as the input wrote it, without its indentation, so that
    // the diff's JSON copies it as it was: a tree of it would take three to four
    // times the memory of its text.
    std::string json;
};

// One entry of a check output's `reports`: a report, a folder that could not be
// read (`folder`), or an input of --previous that gave no report (`previous_year`).
struct CheckedEntry {
    std::string file;
    bool folder = false;
    bool previous_year = false;
    nlohmann::ordered_json template_id;  // as written: a string, or null
    nlohmann::ordered_json error;        // the `error` object of an unreadable entry; null when read
    nlohmann::ordered_json rule_errors = nlohmann::ordered_json::array();  // as written; [] when absent
    std::vector<CheckedFinding> findings;

    // Folders and --previous inputs are compared apart from the reports audited.
    bool is_report() const { return !folder && !previous_year; }
};

struct CheckResults {
    std::string file;  // the path it was read from, as given
    std::vector<CheckedEntry> entries;
};

// Reads a file gouji check --format json wrote. Throws InputError when it cannot be
// read, is over kMaxCheckResultsBytes, is empty, is not JSON (at the line and column
// where it stops being JSON; a file that ends mid-way is said to be cut off), or is
// JSON of another shape (naming the place, as `.reports[3].findings[7]`).
CheckResults read_check_results(const std::string& path);
// The same for a text already read; `file` names it in the errors.
CheckResults parse_check_results(const std::string& file, std::string_view text);

// An entry's findings counted as gouji check counts them (its `summary`).
FindingsSummary summarize(const std::vector<CheckedFinding>& findings);

// A finding of one report that only one input has, or whose severity,
// assessable or message differ (the other fields do not make a difference).
struct FindingDifference {
    enum class Kind { Added, Removed, Changed };
    Kind kind = Kind::Added;
    const CheckedFinding* before = nullptr;  // null when added
    const CheckedFinding* after = nullptr;   // null when removed
    std::vector<std::string> fields;         // Changed: of "severity", "assessable", "message", in that order
};

// One entry (by `file`) compared: in both inputs or in one.
struct EntryDiff {
    const CheckedEntry* before = nullptr;  // null when only after
    const CheckedEntry* after = nullptr;   // null when only before
    // In the order of the after input's findings, each removed one where it stood
    // among them: a rule's findings stay together.
    std::vector<FindingDifference> findings;
    std::size_t unchanged = 0;  // findings paired that do not differ
    bool template_changed = false;
    bool error_changed = false;  // it became unreadable, readable, or unreadable otherwise
    // Elements of `rule_errors` only one input has (compared whole, the n-th of
    // alike ones with the n-th).
    std::vector<const nlohmann::ordered_json*> rule_errors_removed, rule_errors_added;

    const CheckedEntry& entry() const { return after ? *after : *before; }
    std::string_view status() const;  // "both", "only_before" or "only_after"
    bool differs() const;
    std::size_t count(FindingDifference::Kind kind) const;
};

// What changed of a rule's changed findings: `field` with its old and new value
// (`from` and `to` empty for a message, which is too long to tally by).
struct FieldChange {
    std::string field, from, to;
    auto operator<=>(const FieldChange&) const = default;
};

// One rule's differences over every report in both inputs.
struct RuleTally {
    std::string rule;
    std::size_t added = 0, removed = 0, changed = 0;
    std::map<FieldChange, std::size_t> changes;  // of the changed findings, how many changed so
};

struct DiffSummary {
    std::size_t reports = 0;    // reports audited in either input, told apart by file
    std::size_t differing = 0;  // of them, those that differ (in one input only, or otherwise)
    // The findings of the reports in both inputs; a report in one input only has its
    // findings counted by no one of these.
    std::size_t added = 0, removed = 0, changed = 0, unchanged = 0;
    std::size_t only_before = 0, only_after = 0;  // reports in one input only
    std::size_t other_entries = 0;            // folder and --previous entries in either input
    std::size_t other_entries_differing = 0;  // of them, those that differ
};

struct ResultsDiff {
    // Each in the after input's order, with those only before where they stood
    // among the others (as findings are ordered in EntryDiff).
    std::vector<EntryDiff> reports;
    std::vector<EntryDiff> other_entries;  // folders and --previous inputs, kept apart
    std::vector<RuleTally> rules;          // rules with a difference, by id
    DiffSummary summary;

    bool differs() const { return summary.differing + summary.other_entries_differing > 0; }
};

// Pairs the entries of the two inputs by file (and kind: report, folder,
// --previous input), and the findings of each report by rule and binding; of
// several alike on one side, the n-th with the n-th. The diff points into both.
ResultsDiff diff_results(const CheckResults& before, const CheckResults& after);

// The inputs as named on the command line, as the text names them.
struct DiffNames {
    std::string before, after;
};

// One entry's block, for a person: a header as gouji check's, then a line per
// difference (`+` added, `-` removed, `~` changed); "" for an entry that does not
// differ. Terminal control characters are written as U+FFFD.
std::string entry_diff_text(const EntryDiff& entry, const DiffNames& names);
// The tally by rule, then the closing line that counts everything compared.
std::string diff_closing_text(const ResultsDiff& diff, const DiffNames& names);

// One element of the diff's `reports` or `other_entries` (docs/diff.md), findings
// copied as the inputs wrote them.
nlohmann::ordered_json entry_diff_to_json(const EntryDiff& entry);
nlohmann::ordered_json rules_to_json(const std::vector<RuleTally>& rules);
nlohmann::ordered_json diff_summary_to_json(const DiffSummary& summary);

}  // namespace gouji
