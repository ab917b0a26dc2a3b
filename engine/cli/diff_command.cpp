// `gouji diff`: two outputs of gouji check --format json compared (docs/diff.md),
// so that whoever changes a rule pack sees what the change does to past audits
// before it ships, and an officer can compare two audit runs.
#include <iostream>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "engine/cli/commands.hpp"
#include "gouji/diff.hpp"

namespace gouji::cli {

namespace {

struct DiffOptions {
    std::string before, after;
    std::string format = "text";
};

// Both files are read before either is said to be wrong: one run tells of both.
std::optional<CheckResults> read_or_say(const std::string& path) {
    try {
        return read_check_results(path);
    } catch (const InputError& e) {
        std::cerr << e.describe() << '\n';
        return std::nullopt;
    }
}

// ` "key": [...]` with the entries written one at a time, as json_text() would
// write the whole array one level down.
void write_entries(std::ostream& out, const char* key, const std::vector<EntryDiff>& entries) {
    out << " \"" << key << "\": ";
    if (entries.empty()) {
        out << "[]";
        return;
    }
    out << "[\n";
    for (std::size_t i = 0; i < entries.size() && out; ++i)  // with stdout gone, nowhere to put the rest
        out << (i ? ",\n" : "") << nested_json_text(entry_diff_to_json(entries[i]), 2) << std::flush;
    out << "\n ]";
}

// The diff as json_text() of the whole document would write it, each entry's
// findings turned into JSON only while the entry is written: a diff where
// every finding changed would otherwise hold two trees of every finding.
void write_json(std::ostream& out, const ResultsDiff& diff) {
    out << "{\n";
    write_entries(out, "reports", diff.reports);
    out << ",\n";
    write_entries(out, "other_entries", diff.other_entries);
    // A value after its key: the first line is on the key's.
    out << ",\n \"rules\": " << nested_json_text(rules_to_json(diff.rules), 1).substr(1);
    out << ",\n \"summary\": " << nested_json_text(diff_summary_to_json(diff.summary), 1).substr(1) << "\n}\n";
}

void write_text(std::ostream& out, const ResultsDiff& diff, const DiffNames& names) {
    for (const auto* entries : {&diff.reports, &diff.other_entries})
        for (std::size_t i = 0; i < entries->size() && out; ++i) out << entry_diff_text((*entries)[i], names);
    out << diff_closing_text(diff, names);
}

int run_diff(const DiffOptions& options) {
    std::optional<CheckResults> before = read_or_say(options.before);
    std::optional<CheckResults> after = read_or_say(options.after);
    if (!before || !after) return kExitInputError;
    try {
        const ResultsDiff diff = diff_results(*before, *after);
        if (options.format == "json") write_json(std::cout, diff);
        else write_text(std::cout, diff, DiffNames{options.before, options.after});
        std::cout.flush();
        // A reader gone (`gouji diff … | head`) had what it wanted: the code stands.
        if (!std::cout && !reader_gone()) {
            std::cerr << "gouji diff: error: could not write the differences to standard output (is its disk full? "
                         "free some space, or write them elsewhere)\n";
            return kExitInputError;
        }
        return diff.differs() ? kExitDifferences : kExitOk;
    } catch (const std::bad_alloc&) {
        std::cerr << "gouji diff: error: not enough memory to compare these results (check the reports in parts, a "
                     "folder at a time, and compare the results of each part)\n";
        return kExitInputError;
    }
}

}  // namespace

void register_diff(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<DiffOptions>();
    CLI::App* cmd = app.add_subcommand(
        "diff", "Compare two outputs of gouji check --format json: the findings added, removed and changed");
    cmd->footer("Exit code 0: no difference; 1: differences; 2: an input or usage error (docs/diff.md)");
    cmd->add_option("before", options->before, "The earlier results (gouji check --format json … > before.json)")
        ->required()
        ->option_text("BEFORE.json");
    cmd->add_option("after", options->after, "The later results, compared with the earlier")
        ->required()
        ->option_text("AFTER.json");
    cmd->add_option("--format", options->format, "Output format: text (default) or json")
        ->option_text("text|json")
        ->check(one_of({"text", "json"}));
    cmd->callback([options, &exit_code]() { exit_code = run_diff(*options); });
}

}  // namespace gouji::cli
