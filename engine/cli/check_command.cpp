// `gouji check`: compile the rule packs once, then read, model and audit each
// report; one unreadable report is said on stderr and the batch goes on.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <new>
#include <optional>
#include <ostream>

#include "engine/cli/commands.hpp"
#include "gouji/check.hpp"
#include "gouji/readers.hpp"

namespace gouji::cli {

namespace {

namespace fs = std::filesystem;

struct CheckOptions {
    std::vector<std::string> paths;
    std::vector<std::string> packs;
    std::string format = "text";
    bool no_standard = false;
};

bool is_report_extension(const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const char* e : {".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf"})
        if (ext == e) return true;
    return false;
}

// Files as given stay as given (whatever their extension, and a missing one is
// reported when it is read); directories are searched recursively for reports.
std::vector<std::string> expand_paths(const std::vector<std::string>& paths) {
    std::vector<std::string> files;
    for (const auto& path : paths) {
        std::error_code ec;
        if (!fs::is_directory(path, ec)) {
            files.push_back(path);
            continue;
        }
        std::vector<std::string> found;
        for (fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
             !ec && it != end; it.increment(ec))
            if (it->is_regular_file(ec) && is_report_extension(it->path())) found.push_back(it->path().string());
        std::sort(found.begin(), found.end());
        files.insert(files.end(), found.begin(), found.end());
    }
    return files;
}

bool use_color() {
    const char* no_color = std::getenv("NO_COLOR");
    return ::isatty(STDOUT_FILENO) && !(no_color && *no_color);
}

int exit_code_of(const BatchTally& tally) {
    if (tally.unreadable || tally.rule_errors) return kExitInputError;
    return tally.findings.errors > 0 ? kExitFindings : kExitOk;
}

// `{"reports": [...]}` written a report at a time, byte for byte as
// json_text(findings_to_json(all of them)) would print it: a folder of a hundred
// thousand reports must not be held in memory to be printed once.
class JsonReportsWriter {
public:
    explicit JsonReportsWriter(std::ostream& out) : out_(out) { out_ << "{\n \"reports\": ["; }
    void add(const ReportFindings& report) {
        // Two levels deeper than a report printed alone. JSON strings hold no raw
        // line breaks, so every line break starts a line of the report's text.
        std::string text = json_text(report_to_json(report));
        std::string indented = "  ";
        indented.reserve(text.size() + text.size() / 8);
        for (char c : text) {
            indented += c;
            if (c == '\n') indented += "  ";
        }
        out_ << (first_ ? "\n" : ",\n") << indented << std::flush;
        first_ = false;
    }
    void close() { out_ << (first_ ? "]\n}\n" : "\n ]\n}\n"); }

private:
    std::ostream& out_;
    bool first_ = true;
};

int run_check(const CheckOptions& options, const CommonOptions& common) {
    RegexTablesWarmup regex_tables;  // built while the templates load
    TemplateCatalog catalog;
    try {
        catalog = load_catalog(common);
    } catch (const InputError& e) {
        std::cerr << e.describe() << '\n';
        return kExitInputError;
    }
    std::vector<std::string> packs = options.no_standard ? std::vector<std::string>{} : standard_rule_pack_files();
    packs.insert(packs.end(), options.packs.begin(), options.packs.end());
    if (packs.empty()) {
        std::cerr << "gouji check: error: no rule packs to check with (give --pack FILE, or drop --no-standard)\n";
        return kExitInputError;
    }
    std::vector<RuleDiagnostic> diagnostics;
    RuleSet rules = compile_rule_packs(packs, catalog, diagnostics);
    if (!diagnostics.empty()) {
        std::cerr << render(diagnostics);
        return kExitInputError;
    }

    std::vector<std::string> files = expand_paths(options.paths);
    if (files.empty()) {
        std::cerr << "gouji check: error: no reports (.txt .md .markdown .html .htm .docx .pdf) under the paths given\n";
        return kExitInputError;
    }
    bool json = options.format == "json";
    bool color = !json && use_color();
    std::optional<JsonReportsWriter> json_out;
    if (json) json_out.emplace(std::cout);
    BatchTally tally;
    // Each report is written as soon as it is checked, and only its tally is kept.
    for (const auto& file : files) {
        ReportFindings report;
        try {
            report = check_document(read_document(file), rules, catalog);
            for (const auto& e : report.rule_errors) std::cerr << e.describe() << '\n';
        } catch (const InputError& e) {
            std::cerr << e.describe() << '\n';
            report = unreadable_report(file, e);
        } catch (const std::bad_alloc&) {
            // One report too big for memory is that report's error: the batch goes on.
            InputError e(file, SourcePos{}, "not enough memory to read and check this report",
                         "split it, or check it alone on a machine with more memory");
            std::cerr << e.describe() << '\n';
            report = unreadable_report(file, e);
        }
        tally.add(report);
        if (json_out) json_out->add(report);
        else std::cout << findings_text(report, color) << std::flush;
        if (!std::cout) break;  // nowhere to put the rest of the batch's results
    }
    if (json_out) json_out->close();
    else std::cout << batch_summary_text(tally, color);
    std::cout.flush();
    if (!std::cout) {
        std::cerr << "gouji check: error: could not write the results to standard output (disk full or pipe closed)\n";
        return kExitInputError;
    }
    return exit_code_of(tally);
}

}  // namespace

void register_check(CLI::App& app, CommonOptions& common, int& exit_code) {
    auto options = std::make_shared<CheckOptions>();
    CLI::App* cmd = app.add_subcommand("check", "Audit reports against the standard rule packs and any packs given");
    cmd->add_option("paths", options->paths, "Report files, or directories searched recursively for reports")->required();
    // One file per --pack: "--pack p.yaml report.txt --format json" must not read
    // the report as a second pack.
    cmd->add_option("--pack", options->packs,
                    "A rule pack YAML file to add (may extend, override or disable standard rules by id); repeatable")
        ->allow_extra_args(false);
    cmd->add_option("--format", options->format, "Output format: text (default) or json")->check(CLI::IsMember({"text", "json"}));
    cmd->add_flag("--no-standard", options->no_standard, "Use only the packs given with --pack");
    cmd->callback([options, &common, &exit_code]() { exit_code = run_check(*options, common); });
}

}  // namespace gouji::cli
