// `gouji check`: compile the rule packs once, then read, model and audit the
// reports, several at a time, writing each in turn; one unreadable report is
// said on stderr and the batch goes on.
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <new>
#include <optional>
#include <ostream>
#include <shared_mutex>
#include <streambuf>
#include <thread>
#include <utility>
#include <vector>

#include "engine/cli/commands.hpp"
#include "engine/cli/ordered_batch.hpp"
#include "engine/cli/results_writers.hpp"
#include "engine/output/finding_words.hpp"
#include "gouji/check.hpp"
#include "gouji/readers.hpp"
#include "gouji/report_model.hpp"
#include "rules/program.hpp"

namespace gouji::cli {

namespace {

namespace fs = std::filesystem;

// More threads than this gain nothing on any machine gouji is meant for, and
// asking for a million is a typo, not a plan.
constexpr std::size_t max_jobs = 256;

struct CheckOptions {
    std::vector<std::string> paths;
    std::vector<std::string> packs;
    std::vector<std::string> previous;  // reports of earlier years, read for previous()
    std::string format = "text";
    std::string output;  // --output: the file written instead of standard output
    bool no_standard = false;
    std::size_t jobs = 0;  // 0: one per CPU (job_count)
    std::string min_severity = "info";  // --min-severity: findings below it are left out of the results
};

bool is_report_extension(const fs::path& p) {
    const std::string ext = lower_extension(p);
    for (const char* e : {".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf"})
        if (ext == e) return true;
    return false;
}

// One entry of a batch: a report to read, or a path known to be unreadable
// already (a folder that cannot be searched, a pipe with a report's name), which
// takes its place in the batch as an entry with its error.
struct BatchItem {
    std::string file;
    std::size_t argument = 0;  // the path given that it came from
    std::optional<InputError> error;
    bool folder = false;  // a folder under the paths, not a report
    bool found_by_search = false;  // found in a folder, not named: passed over if it is no report
};

InputError unreadable_directory(const fs::path& dir, const std::error_code& ec) {
    return InputError(dir.string(), SourcePos{}, "cannot read directory: " + ec.message(),
                      "the reports in it are not checked: give read access to it, or leave it out of the paths");
}

InputError not_a_file(const fs::path& path, const fs::file_status& status) {
    const char* what = fs::is_fifo(status) ? "a named pipe" : fs::is_socket(status) ? "a socket" : "not a regular file";
    return InputError(path.string(), SourcePos{}, std::string("skipped: ") + what + ", not read when a folder is searched",
                      "give it by its own path to check what it gives");
}

// What a folder search does not look into: hidden files and folders (".git",
// ".DS_Store", an editor's ".report.md.swp") and the owner files Word and WPS
// keep beside a document while it is open ("~$报告2020.docx", 162 bytes of no
// document). A path given by name is read whatever its name.
bool never_a_report(const fs::path& p) {
    const std::string name = p.filename().string();
    return name.starts_with('.') || name.starts_with("~$");
}

// Whether the file at `p` is results gouji wrote, by how each format starts
// (engine/cli/results_writers.cpp, engine/output/findings_*.cpp), or holds
// nothing: what --output may write again when a folder search finds it. A
// report, or any other file, is not.
bool written_by_gouji(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::array<char, 1024> bytes{};
    in.read(bytes.data(), bytes.size());
    const std::string_view head(bytes.data(), static_cast<std::size_t>(in.gcount()));
    return head.empty() || head.starts_with("\u2500\u2500 ") || head.starts_with("{\n \"reports\": [") ||
           (head.starts_with("{\n \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\"") &&
            head.find("\"name\": \"gouji\"") != std::string_view::npos) ||
           head.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"gouji check\">") ||
           (head.starts_with("<!DOCTYPE html>") && head.find(html_page_generator) != std::string_view::npos);
}

// Whether `p` is a results page gouji wrote (`--format html`): an officer files
// each week's audit beside the reports, and the next week's search must neither
// audit it as a report (its quoted lines have a report's headings and tables) nor
// refuse to write it again as an input.
bool gouji_results_page(const fs::path& p) {
    const std::string ext = lower_extension(p);
    std::error_code ec;
    return (ext == ".html" || ext == ".htm") && fs::file_size(p, ec) > 0 && !ec && written_by_gouji(p);
}

// Adds to `found` the reports under `root`, and the folders that cannot be read
// (and pipes and sockets with a report's name) as items with their error: the
// reports under such a folder are not audited, and the user must hear so rather
// than take a partial batch for a whole one. Folders are walked with a stack, not
// recursion, so that a hostile tree thousands deep cannot overflow the call
// stack; links to folders are not followed, so a link loop cannot make the walk
// endless.
void find_reports(const fs::path& root, std::size_t argument, std::vector<BatchItem>& found) {
    std::vector<fs::path> pending{root};
    while (!pending.empty()) {
        fs::path dir = std::move(pending.back());
        pending.pop_back();
        // A folder that can be listed but not searched (read without execute
        // permission) would give names whose files all fail: said once, here.
        if (::access(dir.c_str(), R_OK | X_OK) != 0) {
            std::error_code denied(errno, std::generic_category());
            found.push_back({dir.string(), argument, unreadable_directory(dir, denied), true});
            continue;
        }
        std::error_code ec;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            if (never_a_report(it->path())) continue;
            std::error_code own;
            if (fs::is_directory(it->symlink_status(own))) {
                pending.push_back(it->path());
                continue;
            }
            if (!is_report_extension(it->path())) continue;
            // A link to nothing, a link loop, a file that cannot be looked at:
            // named as a report, it is one the user meant to audit, and reading it
            // says what is wrong. A pipe, socket or device so named is not opened (a
            // pipe would wait for a writer), but said, as an unread report is.
            fs::file_status status = it->status(own);
            if (!own && fs::is_regular_file(status) && gouji_results_page(it->path()))
                std::cerr << "gouji check: note: " << printable(it->path().string(), false)
                          << ": passed over, not a report: a results page gouji wrote (give the file by its own path "
                             "to audit it)\n";
            else if (own || fs::is_regular_file(status))
                found.push_back({it->path().string(), argument, std::nullopt, false, true});
            else if (!fs::is_directory(status))  // a link to a folder: links to folders are not followed
                found.push_back({it->path().string(), argument, not_a_file(it->path(), status), false});
        }
        if (ec) found.push_back({dir.string(), argument, unreadable_directory(dir, ec), true});
    }
}

// A folder of --previous that holds no report, when none does: the reports are
// checked without last year's, which the user should know was not meant.
BatchItem previous_without_reports(const std::string& path, std::size_t argument) {
    const std::string folder = without_doubled_slashes(path);
    return {folder, argument,
            InputError(folder, SourcePos{}, "no reports (.txt .md .markdown .html .htm .docx .pdf) under this folder",
                       "the reports are checked without last year's: give --previous last year's reports or their "
                       "folder"),
            true};
}

// Files as given stay as given (whatever their extension but .yaml and .yml, and a
// missing one is reported when it is read), but for doubled slashes; directories
// are searched recursively for reports, taken in path order.
std::vector<BatchItem> expand_paths(const std::vector<std::string>& paths) {
    std::vector<BatchItem> items;
    for (std::size_t argument = 0; argument < paths.size(); ++argument) {
        const std::string path = without_doubled_slashes(paths[argument]);
        std::error_code ec;
        if (!fs::is_directory(path, ec)) {
            if (is_yaml_extension(path)) items.push_back({path, argument, yaml_given_as_report(path, kYamlAsReportHint), false});
            else items.push_back({path, argument, std::nullopt, false});
            continue;
        }
        std::vector<BatchItem> found;
        find_reports(path, argument, found);
        std::sort(found.begin(), found.end(), [](const BatchItem& a, const BatchItem& b) { return a.file < b.file; });
        items.insert(items.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
    }
    return items;
}

// What tells two names of one file apart from two files: the device and inode
// of what the name leads to (a link, a hard link, "./a.md"), else, for a name
// that leads nowhere, its absolute path without "." and "..".
std::string file_identity(const std::string& path) {
    struct stat status {};
    if (::stat(path.c_str(), &status) == 0)
        return "inode " + std::to_string(status.st_dev) + ':' + std::to_string(status.st_ino);
    std::error_code ec;
    const fs::path absolute = fs::absolute(path, ec);
    return "path " + (ec ? path : absolute.lexically_normal().string());
}

// `items` with each file once, at its first mention: "a.md" and "./a.md", a
// folder and a report in it, a link and its file. Each mention left out is
// said in a note on stderr, one line per argument (`done`: "checked", "read").
std::vector<BatchItem> each_file_once(std::vector<BatchItem> items, const std::vector<std::string>& paths,
                                      const std::string& done) {
    std::vector<BatchItem> kept;
    std::map<std::string, std::string> first_name;  // identity -> the name it was first given as
    struct Dropped {
        std::string name, first;
        bool folder;  // an entry of a folder without reports (--previous)
    };
    std::map<std::size_t, std::vector<Dropped>> dropped;  // by argument
    std::map<std::string, std::size_t> kept_at;  // identity -> its item in `kept`
    for (auto& item : items) {
        std::string identity = file_identity(item.file);
        auto [first, fresh] = first_name.emplace(identity, item.file);
        if (fresh) {
            kept_at.emplace(std::move(identity), kept.size());
            kept.push_back(std::move(item));
            continue;
        }
        // Found in a folder and named too ("check reports/ reports/notes.md"): it
        // is named, and audited as a named file is, whichever path came first.
        if (!item.found_by_search) kept[kept_at.at(identity)].found_by_search = false;
        dropped[item.argument].push_back({item.file, first->second, item.folder});
    }
    for (const auto& [argument, names] : dropped) {
        const auto& [name, first, folder] = names.front();
        std::string said = name == first ? printable(name, false) + " is named twice"
                                         : printable(name, false) + (folder ? " is the same folder as " : " is the same file as ") +
                                               printable(first, false);
        if (names.size() == 1) {
            std::cerr << "gouji check: note: " << said << ": it is " << done << " once\n";
        } else {
            std::cerr << "gouji check: note: " << names.size() << " files under "
                      << printable(without_doubled_slashes(paths[argument]), false) << " are in the batch already (" << said
                      << ", …): each is " << done << " once\n";
        }
    }
    return kept;
}

bool use_color() {
    const char* no_color = std::getenv("NO_COLOR");
    return ::isatty(STDOUT_FILENO) && !(no_color && *no_color);
}

int exit_code_of(const BatchTally& tally) {
    if (tally.unreadable || tally.unreadable_folders || tally.unreadable_previous || tally.unreadable_previous_folders ||
        tally.rule_errors)
        return kExitInputError;
    return tally.findings.errors > 0 ? kExitFindings : kExitOk;
}

// One report of the batch, checked and put into words: all the writer needs.
struct CheckedReport {
    std::size_t file = 0;       // its index in the batch
    std::string output;         // its entry in the output format
    std::string messages;       // its lines for stderr
    BatchTally tally;           // of this report alone
    std::string previous;       // the file of the year before it was compared with, if any
    bool out_of_memory = false;  // unreadable for want of memory
};

// The lines for stderr of what the reader read past in `file` (Document::warnings),
// each ending with `why` (said of a report not audited).
std::string reader_warning_lines(const std::string& file, const std::vector<std::string>& warnings,
                                 const std::string& why = "") {
    std::string lines;
    for (const auto& w : warnings) lines += printable(file, false) + ": warning: " + w + why + '\n';
    return lines;
}

// Reads, models and checks `file`; an unreadable report is one line on stderr
// and an entry of its own, and the batch goes on. std::bad_alloc is let through.
// `quoted`: the output quotes source lines, so the report's text is kept for them;
// JSON quotes none, and a large report's text is let go before it is modelled.
ReportFindings check_file(const BatchItem& item, const RuleSet& rules, const TemplateCatalog& catalog,
                          const ReportHistory& history, bool quoted, std::string& messages) {
    const std::string& file = item.file;
    try {
        Document document = read_document(file);
        if (!quoted) document.drop_text();
        ReportFindings report = check_document(std::move(document), rules, catalog, &history, item.found_by_search);
        if (!report.passed_over.empty()) {
            messages += "gouji check: note: " + printable(file, false) + ": passed over, not a report: " +
                        report.passed_over + " (give the file by its own path to audit it)\n";
            return report;
        }
        messages += reader_warning_lines(file, report.reader_warnings);
        for (const auto& e : report.rule_errors) messages += e.describe() + '\n';
        return report;
    } catch (const InputError& e) {
        messages += e.describe() + '\n';
        return unreadable_report(file, e);
    }
}

// How many reports are checked at once: --jobs, or one per CPU this process
// may run on.
std::size_t job_count(std::size_t asked) {
    if (asked) return asked;
    cpu_set_t cpus;
    if (sched_getaffinity(0, sizeof cpus, &cpus) == 0) return std::clamp<std::size_t>(CPU_COUNT(&cpus), 1, max_jobs);
    return std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, max_jobs);
}

// Checks `files` on `jobs` threads and writes each report's results to stdout
// (its messages to stderr) as soon as it and those before it are done, in the
// order given; only counts are kept. Stops when stdout fails. `previous_unread`:
// the entries of the --previous inputs that gave no report, written first (they
// were read first, and their lines are on stderr already).
BatchTally check_and_write(const std::vector<BatchItem>& items, const std::vector<ReportFindings>& previous_unread,
                           const RuleSet& rules, const TemplateCatalog& catalog, const ReportHistory& history,
                           ResultsWriter& out, std::size_t jobs, Severity least_shown,
                           std::set<std::string>& compared_with) {
    BatchTally tally;
    // A report that runs out of memory beside others is checked again alone
    // before it is called too big: whether it fits must not depend on --jobs.
    std::shared_mutex memory;
    auto format = [&](const ReportFindings& report) { return out.entry(report); };
    for (const auto& entry : previous_unread) {
        out.write(format(entry));
        tally.add(entry);
    }
    auto checked_report = [&](const BatchItem& item) {
        CheckedReport checked;
        const std::string& file = item.file;
        if (item.error) {  // known unreadable: its entry, and its line in turn
            ReportFindings report = unreadable_report(file, *item.error);
            report.folder = item.folder;
            checked.messages = item.error->describe() + '\n';
            checked.tally.add(report);
            checked.output = format(report);
            return checked;
        }
        bool formatting = false;
        // Putting the findings into words takes memory too (a report's listing
        // may be larger than the report): a report that cannot be written is as
        // unreadable as one that cannot be checked, and the batch goes on.
        try {
            ReportFindings report = check_file(item, rules, catalog, history, out.quotes_source(), checked.messages);
            keep_findings_from(report, least_shown);
            checked.previous = report.previous;
            formatting = true;
            if (report.passed_over.empty()) checked.output = format(report);  // no entry: it is no report
            checked.tally.add(report);
            return checked;
        } catch (const std::bad_alloc&) {
        }
        InputError e(file, SourcePos{},
                     formatting ? "not enough memory to write the findings of this report"
                                : "not enough memory to read and check this report",
                     "split it, or check it alone on a machine with more memory");
        ReportFindings report = unreadable_report(file, e);
        checked.messages = e.describe() + '\n';  // not its rule errors: none of its findings is written
        checked.tally.add(report);
        checked.output = format(report);
        checked.out_of_memory = true;
        return checked;
    };
    jobs = std::min(jobs, items.size());
    run_in_order<CheckedReport>(
        items.size(), jobs,
        [&](std::size_t i) {
            std::shared_lock beside_others(memory);
            CheckedReport checked = checked_report(items[i]);
            checked.file = i;
            return checked;
        },
        [&](CheckedReport& checked) {
            if (checked.out_of_memory && jobs > 1) {
                std::unique_lock alone(memory);
                checked = checked_report(items[checked.file]);
            }
            std::cerr << checked.messages;
            // A file passed over (no report) has no entry: its note is on stderr.
            if (!checked.output.empty()) out.write(checked.output);
            tally += checked.tally;
            if (!checked.previous.empty()) compared_with.insert(checked.previous);
            return out.good();  // else nowhere to put the rest of the results
        });
    if (out.good()) out.close(tally);
    return tally;
}

// The --previous reports no audited report was compared with, in one line on
// stderr: a report is compared with its agency's of the year before it, so one
// given for the wrong year or agency (or the audited report itself) compares
// nothing, and the across-year rules stay silent. A note, not an error: a
// folder of last year's reports may hold agencies that did not report this year.
void note_uncompared(const ReportHistory& history, const std::set<std::string>& compared_with) {
    std::vector<ReportHistory::Kept> uncompared;
    for (auto& k : history.kept())
        if (!compared_with.count(k.file)) uncompared.push_back(std::move(k));
    if (uncompared.empty()) return;
    std::sort(uncompared.begin(), uncompared.end(), [](const auto& a, const auto& b) { return a.file < b.file; });
    constexpr std::size_t named = 3;
    std::string which;
    for (std::size_t i = 0; i < std::min(named, uncompared.size()); ++i)
        which += (i ? "; " : "") + printable(uncompared[i].file, false) + " (" + std::to_string(uncompared[i].year) +
                 ", " + printable(uncompared[i].agency, false) + ")";
    if (uncompared.size() > named) which += "; and " + std::to_string(uncompared.size() - named) + " more";
    const bool one = uncompared.size() == 1;
    std::cerr << "gouji check: note: " << uncompared.size() << " of the " << history.size() << " --previous "
              << (history.size() == 1 ? "report" : "reports") << (one ? " was" : " were")
              << " compared with no report audited (a report is compared with its agency's of the year before): "
              << which << "\n";
}

// Whether files `a` and `b` hold the same bytes (false when either cannot be read).
bool same_bytes(const std::string& a, const std::string& b) {
    std::ifstream x(a, std::ios::binary), y(b, std::ios::binary);
    if (!x || !y) return false;
    std::array<char, 1 << 16> bx{}, by{};
    while (true) {
        x.read(bx.data(), bx.size());
        y.read(by.data(), by.size());
        if (x.gcount() != y.gcount() || !std::equal(bx.begin(), bx.begin() + x.gcount(), by.begin())) return false;
        if (x.gcount() == 0) return true;  // both ended, alike
    }
}

// An input of --previous that gave no report, as an entry of the results: the
// rules that compare with last year had nothing from it, and whoever keeps only
// the JSON must see that as well as the exit code.
ReportFindings unread_previous(const std::string& file, const InputError& error, bool folder) {
    ReportFindings entry = unreadable_report(file, error);
    entry.folder = folder;
    entry.previous_year = true;
    return entry;
}

// The reports given with --previous, modelled on `jobs` threads and kept for
// previous(). One that cannot be read (or a folder of them) is said on stderr
// and added to `unread`, in path order; so are two different reports of the same
// agency and year, both left out (which one is meant cannot be told). One whose
// title names no agency or year is passed over with a note: a folder of last
// year's reports may hold other files (a README, a list of them). The rest are kept.
ReportHistory read_history(const std::vector<BatchItem>& items, const TemplateCatalog& catalog, std::size_t jobs,
                           std::vector<ReportFindings>& unread) {
    struct Read {
        std::size_t item = 0;
        std::optional<ReportModel> model;
        std::optional<InputError> error;
    };
    ReportHistory history(catalog);
    std::set<std::string> said_unused;  // a third report of an agency and year names the first again
    run_in_order<Read>(
        items.size(), std::min(jobs, items.size()),
        [&](std::size_t i) {
            Read read{.item = i, .model = std::nullopt, .error = items[i].error};
            if (read.error) return read;
            const std::string& file = items[i].file;
            try {
                Document document = read_document(file);
                document.drop_text();  // never quoted: last year's report is not audited
                read.model = build_model(std::move(document), catalog, ModelOptions{.judge_every_template = false});
            } catch (const InputError& e) {
                read.error = e;
            } catch (const std::bad_alloc&) {
                read.error = InputError(file, SourcePos{}, "not enough memory to read this previous-year report",
                                        "split it, or leave it out of --previous");
            }
            return read;
        },
        [&](Read& read) {
            if (!read.model) {
                std::cerr << read.error->describe() << '\n';
                unread.push_back(unread_previous(items[read.item].file, *read.error, items[read.item].folder));
                return true;
            }
            const std::string file = read.model->document.path, agency = read.model->metadata.agency;
            const int year = read.model->metadata.year;
            // Read past damage: its tables may be wrong, and the reports compared with it
            // would not say so (it has no entry of its own).
            std::cerr << reader_warning_lines(file, read.model->document.warnings, " (it is read as a previous-year report)");
            // Not usable, though readable: whoever keeps only the JSON must see that the
            // rules across years had nothing from it, as for one that cannot be read.
            auto not_used = [&](const std::string& which, std::string message, std::string hint) {
                if (!said_unused.insert(which).second) return;
                InputError error(which, SourcePos{}, std::move(message), std::move(hint));
                std::cerr << error.describe() << '\n';
                unread.push_back(unread_previous(which, error, false));
            };
            if (!ReportHistory::pairable(*read.model)) {
                std::cerr << "gouji check: note: " << printable(file, false) << ": its title names no "
                          << (agency.empty() ? "agency" : "year")
                          << ", so it is no report's previous year (passed over; if it is one, give it a title "
                             "naming the agency and the year, \"××市××局2021年政府信息公开工作年度报告\")\n";
                return true;
            }
            // The same file saved twice (a copy in another folder) is one report, not two
            // that cannot be told apart; so is a copy of one of two that cannot. (Said
            // without whether it is used: a report read later may still clash with it.)
            for (const auto& other : history.files_for(*read.model)) {
                if (!same_bytes(other, file)) continue;
                std::cerr << "gouji check: note: " << printable(file, false) << " holds the same bytes as "
                          << printable(other, false) << ": one report, the " << year << " report of "
                          << printable(agency, false) << "\n";
                return true;
            }
            if (auto other = history.add(std::move(*read.model))) {
                const std::string what = " are both the " + std::to_string(year) + " report of " + agency +
                                         ", so neither is used as a previous-year report";
                const std::string hint = "give --previous only one of them";
                not_used(*other, "it and " + file + what, hint);
                not_used(file, "it and " + *other + what, hint);
            }
            return true;
        });
    return history;
}

// Whether `text` holds `word` with no letter, digit, '-' or '_' (nor a character
// past ASCII) just before or after it: 'gov-2019' is not in 'gov-2019x'.
bool has_word(std::string_view text, std::string_view word) {
    auto part_of_word = [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u >= 0x80 || std::isalnum(u) || c == '-' || c == '_';
    };
    for (std::size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
        const std::size_t end = at + word.size();
        if ((at == 0 || !part_of_word(text[at - 1])) && (end == text.size() || !part_of_word(text[end]))) return true;
    }
    return false;
}

// Whether a pack error may come from template `t`: it names t, or it is a row, a
// column or a group not found in a table t has (named "… in 表三", without the
// templates when none of those the rule applies to has it).
bool concerns(const RuleDiagnostic& d, const TemplateSchema& t) {
    if (has_word(d.message, t.id)) return true;
    if (!d.message.starts_with("unknown row") && !d.message.starts_with("unknown column")) return false;
    for (const auto& table : t.tables)
        if (has_word(d.message, "in " + table.id)) return true;
    return false;
}

bool names_template(const std::vector<RuleDiagnostic>& diagnostics, const TemplateSchema& t) {
    return std::any_of(diagnostics.begin(), diagnostics.end(), [&](const RuleDiagnostic& d) { return concerns(d, t); });
}

// A template of a --templates file that no rule checks a table of: the standard
// packs name the templates they hold by id, so a new one based on none of them
// gets none of their table rules, and its reports would pass without a word.
// The rules that do not check a template's reports because it lacks a row or
// column they read (program::CompiledRule::set_aside), by what it lacks.
void note_set_aside(const TemplateSchema& t, const RuleSet& rules) {
    std::vector<std::pair<std::string, std::string>> by_reason;  // what is lacking, the rules' ids
    std::size_t count = 0;
    for (const auto& rule : rules.program().rules)
        for (const auto& a : rule.set_aside) {
            if (a.template_id != t.id) continue;
            ++count;
            auto it = std::find_if(by_reason.begin(), by_reason.end(), [&](const auto& r) { return r.first == a.reason; });
            if (it == by_reason.end()) by_reason.emplace_back(a.reason, rule.id);
            else it->second += ", " + rule.id;
        }
    if (by_reason.empty()) return;
    std::string list;
    for (const auto& [reason, ids] : by_reason) list += (list.empty() ? "" : "; ") + reason + " (" + ids + ")";
    std::cerr << printable(t.file, false) << ": note: " << count << (count == 1 ? " rule does" : " rules do")
              << " not check the reports of template '" << t.id << "': " << list
              << "; give the template what they read (under a label of its own) if they should\n";
}

// The rules set aside are said whatever the packs: one's own packs alone (--no-standard)
// need it most. That no rule checks a template's tables is said with the standard
// packs only, whose advice (base it on a standard template) it gives.
void note_unchecked_templates(const TemplateCatalog& catalog, const RuleSet& rules, bool standard_packs) {
    const std::string standard = default_rulepack_dir() + "/templates.yaml";
    for (const auto& t : catalog.templates) {
        if (t.file == standard || t.tables.empty()) continue;
        const bool checked = std::any_of(rules.program().rules.begin(), rules.program().rules.end(), [&](const auto& rule) {
            return !rule.tables.empty() &&
                   std::find(rule.template_ids.begin(), rule.template_ids.end(), t.id) != rule.template_ids.end() &&
                   std::all_of(rule.tables.begin(), rule.tables.end(), [&](const std::string& table) { return t.table(table); });
        });
        if (standard_packs && !checked)
            std::cerr << printable(t.file, false) << ": note: no rule checks the tables of template '" << t.id
                      << "': the standard packs name the templates they check by id; base it on one (based-on: "
                         "gov-2021, docs/templates.md) or give it a pack of its own\n";
        note_set_aside(t, rules);
    }
}

// The packs to compile: the standard ones (unless --no-standard), then each
// --pack file. A pack named twice, or a standard one named with --pack, is read
// once, with a note, as a report named twice is checked once. A report given with
// --pack is said on stderr (YAML would read it as a pack gone wrong) and left out:
// `reports_given` is then set.
std::vector<std::string> packs_to_compile(const CheckOptions& options, bool& reports_given) {
    std::vector<std::string> packs = options.no_standard ? std::vector<std::string>{} : standard_rule_pack_files();
    std::map<std::string, std::string> first_name;  // identity -> the name it was first given as
    for (const auto& p : packs) first_name.emplace(file_identity(p), p);
    const std::size_t standard = packs.size();
    for (const auto& pack : options.packs) {
        const std::string p = without_doubled_slashes(pack);
        if (is_report_extension(p)) {
            std::cerr << printable(p, false)
                      << ": error: this is a report, not a rule pack (give a report as a path, without --pack: gouji "
                         "check --pack PACK.yaml REPORT)\n";
            reports_given = true;
            continue;
        }
        const auto [first, fresh] = first_name.emplace(file_identity(p), p);
        if (fresh) {
            packs.push_back(p);
            continue;
        }
        const bool is_standard =
            std::find(packs.begin(), packs.begin() + static_cast<long>(standard), first->second) != packs.begin() + static_cast<long>(standard);
        std::cerr << "gouji check: note: --pack " << printable(p, false)
                  << (is_standard ? " is a standard pack, used already"
                      : first->second == p ? " is given twice"
                                           : " is the same file as --pack " + printable(first->second, false))
                  << ": it is read once" << (is_standard ? " (--no-standard uses only the packs given)" : "") << "\n";
    }
    return packs;
}

// Whether `output` is the same file as one of `inputs` (both must exist to be).
std::optional<std::string> same_file_as(const std::string& output, const std::vector<std::string>& inputs) {
    std::error_code ec;
    if (!fs::exists(output, ec)) return std::nullopt;
    for (const auto& input : inputs)
        if (fs::equivalent(output, input, ec)) return input;
    return std::nullopt;
}

// The bytes of --output, held until the batch writes its first entry, then
// written to the file, made or emptied only then: a batch whose every file is
// passed over as no report holds no report, and leaves the file of an earlier
// run as it was, as an empty folder does (docs/cli.md).
class DeferredFile final : public std::streambuf {
public:
    explicit DeferredFile(std::string path) : path_(std::move(path)) {}
    // Makes or empties the file and writes what was held; false, with why in
    // failure(), when it cannot be opened.
    bool open() {
        if (file_.is_open()) return true;
        if (!failure_.empty()) return false;
        if (!file_.open(path_, std::ios::binary | std::ios::out | std::ios::trunc)) {
            failure_ = std::error_code(errno, std::generic_category()).message();
            return false;
        }
        made_ = true;
        const auto n = static_cast<std::streamsize>(held_.size());
        const bool whole = file_.sputn(held_.data(), n) == n;
        held_.clear();
        return whole;
    }
    // Whether the file was made or emptied (it may be closed since).
    bool made() const { return made_; }
    // False when what was written could not be flushed or the file closed.
    bool close() { return !file_.is_open() || file_.close() != nullptr; }
    const std::string& failure() const { return failure_; }

protected:
    int_type overflow(int_type c) override {
        if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
        const char one = traits_type::to_char_type(c);
        return xsputn(&one, 1) == 1 ? c : traits_type::eof();
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        if (!file_.is_open()) {
            if (!failure_.empty()) return 0;
            held_.append(s, static_cast<std::size_t>(n));
            put_ += n;
            return n;
        }
        const std::streamsize put = file_.sputn(s, n);
        put_ += put;
        return put;
    }
    int sync() override { return file_.is_open() ? file_.pubsync() : 0; }
    // Where the next byte goes (tellp): all WholeEntries asks.
    pos_type seekoff(off_type off, std::ios_base::seekdir dir, std::ios_base::openmode) override {
        return off == 0 && dir == std::ios_base::cur ? pos_type(put_) : pos_type(off_type(-1));
    }

private:
    std::string path_, held_, failure_;
    std::filebuf file_;
    off_type put_ = 0;
    bool made_ = false;
};

// The file of --output, with where its last whole entry ends: a write that fails
// (a full disk) leaves part of an entry after it, and the file is cut back there,
// so that it ends after a whole report (docs/outputs.md).
struct OutputFile {
    explicit OutputFile(const std::string& path) : file(path) {}
    DeferredFile file;
    std::ostream stream{&file};
    std::streamoff whole_end = -1;  // -1: not written to
};

// `inner`, writing to `file`: each time an entry is written whole, where it ends.
class WholeEntries final : public ResultsWriter {
public:
    WholeEntries(std::unique_ptr<ResultsWriter> inner, OutputFile& file) : inner_(std::move(inner)), file_(file) {
        file_.whole_end = 0;  // a head that could not be written whole is cut off too
        mark();  // the format's head, written and flushed by its constructor
    }
    std::string entry(const ReportFindings& report) const override { return inner_->entry(report); }
    void write(const std::string& entry) override {
        open_file();
        inner_->write(entry);
        mark();
    }
    // A batch that audited nothing and wrote no entry leaves the file as it was.
    void close(const BatchTally& tally) override {
        if (tally.only_passed_over() && !file_.file.made()) return;
        open_file();
        inner_->close(tally);
    }
    bool good() const override { return inner_->good(); }
    std::string failure() const override {
        return file_.file.failure().empty() ? inner_->failure() : "cannot open it: " + file_.file.failure();
    }
    bool quotes_source() const override { return inner_->quotes_source(); }

private:
    void mark() {
        if (inner_->good()) file_.whole_end = file_.stream.tellp();
    }
    // With the first entry: the head held until then is written, or not whole.
    void open_file() {
        if (file_.file.open()) return;
        file_.stream.setstate(std::ios::badbit);
        file_.whole_end = 0;
    }
    std::unique_ptr<ResultsWriter> inner_;
    OutputFile& file_;
};

// Throws InputError when `path` could not be written as --output: an existing file
// that may not be written to, or a new one whose folder does not exist or may
// not be written to. The advice follows the reason (docs/cli.md).
void refuse_unwritable(const std::string& path) {
    std::error_code ec;
    const bool exists = fs::exists(path, ec);
    const fs::path folder = fs::path(path).has_parent_path() ? fs::path(path).parent_path() : fs::path(".");
    if (::access(exists ? path.c_str() : folder.c_str(), exists ? W_OK : W_OK | X_OK) == 0) return;
    const int reason = errno;
    const std::error_code why(reason, std::generic_category());
    std::string hint = "check the folder exists and may be written to, or write the results elsewhere";
    if (reason == EROFS) hint = "its disk is mounted read-only: write the results elsewhere";
    else if (exists && (reason == EACCES || reason == EPERM))
        hint = "the file is read-only: give write access to it, or write the results elsewhere";
    else if (reason == EACCES || reason == EPERM)
        hint = "the folder may not be written to: give write access to it, or write the results elsewhere";
    else if (reason == ENOENT || reason == ENOTDIR)
        hint = "check the folder exists, or write the results elsewhere";
    throw InputError(path, SourcePos{}, "cannot write --output: " + why.message(), hint);
}

// The writer of --format, to standard output or to --output. Throws InputError
// when the output cannot be written: a database on standard output, an --output
// that is one of the inputs (it would be overwritten), a file that cannot be made.
// Every file the run reads: the packs, the template files loaded (the standard
// one too), the reports audited and those of --previous.
std::vector<std::string> files_read(const std::vector<std::string>& packs, const TemplateCatalog& catalog,
                                    const std::vector<BatchItem>& items, const std::vector<BatchItem>& earlier) {
    std::vector<std::string> files = packs;
    files.push_back(default_rulepack_dir() + "/templates.yaml");
    for (const auto& t : catalog.templates) files.push_back(t.file);
    for (const auto& item : items) files.push_back(item.file);
    for (const auto& item : earlier) files.push_back(item.file);
    return files;
}

// The reports a folder search found that are this run's --output (a page kept in
// the folder it audits, from the run before): left out with a note, not audited
// and not refused. One named by its own path stays, and is refused as an input;
// so does one that gouji did not write (a report of the folder, which --output
// would overwrite).
void leave_out_output(const std::string& output, std::vector<BatchItem>& items) {
    std::error_code ec;
    if (output.empty() || !fs::exists(output, ec)) return;
    std::erase_if(items, [&](const BatchItem& item) {
        if (!item.found_by_search || item.error || !fs::equivalent(output, item.file, ec) ||
            !written_by_gouji(item.file))
            return false;
        std::cerr << "gouji check: note: " << printable(item.file, false)
                  << " is this run's --output: not audited, and written anew\n";
        return true;
    });
}

// Standard output when it is a regular file, by device and inode: `gouji check
// reports/ > reports/audit.txt` has the shell make it, empty, in the folder
// searched. A folder search leaves it out with a note, as it does --output's
// file: auditing it would read what this run is writing (an empty file, or part
// of the results, as the batch's speed has it).
void leave_out_stdout(std::vector<BatchItem>& items) {
    struct stat out {};
    if (::fstat(STDOUT_FILENO, &out) != 0 || !S_ISREG(out.st_mode)) return;
    std::erase_if(items, [&](const BatchItem& item) {
        struct stat found {};
        if (!item.found_by_search || item.error || ::stat(item.file.c_str(), &found) != 0 ||
            found.st_dev != out.st_dev || found.st_ino != out.st_ino)
            return false;
        std::cerr << "gouji check: note: " << printable(item.file, false)
                  << " is this run's standard output: not audited\n";
        return true;
    });
}

std::unique_ptr<ResultsWriter> open_output(const CheckOptions& options, const CommonOptions& common,
                                           const RuleSet& rules, const std::vector<std::string>& inputs,
                                           OutputFile& output_file) {
    const std::string& path = options.output;
    if (!path.empty()) {
        if (auto input = same_file_as(path, inputs))
            throw InputError(path, SourcePos{}, "--output names " + printable(*input, false) + ", which gouji reads",
                             "write the results to another file");
        std::error_code ec;
        if (fs::is_directory(path, ec))
            throw InputError(path, SourcePos{}, "--output names a folder", "name a file in it, e.g. " +
                             printable((fs::path(path) / ("audit." + options.format)).string(), false));
    }
    RunInfo run;
    run.tool_version = GOUJI_VERSION;
    run.arguments = common.command_line;
    std::error_code ec;
    run.working_directory = fs::current_path(ec).string();
    run.started_utc = utc_now_iso8601();
    run.packs = rules.packs();
    run.rules = rules.rules();
    std::ostream* stream = &std::cout;
    if (!path.empty() && !writes_a_file_only(options.format)) {
        // Made or emptied with the first entry (DeferredFile): whether it can be is
        // known now, before any report is read.
        refuse_unwritable(path);
        stream = &output_file.stream;
    }
    // A database keeps its journal beside it: its folder must exist and take new
    // files. Else SQLite says "unable to open database file" or "attempt to write a
    // readonly database" of a file that may be writable itself.
    if (writes_a_file_only(options.format)) {
        const fs::path folder = fs::path(path).has_parent_path() ? fs::path(path).parent_path() : fs::path(".");
        if (::access(folder.c_str(), W_OK | X_OK) != 0) {
            const std::error_code why(errno, std::generic_category());
            throw InputError(path, SourcePos{},
                             "cannot write --output: " + why.message() +
                                 (errno == ENOENT ? std::string() : " (its folder, where the database keeps its journal)"),
                             "check the folder exists and may be written to, or write the results elsewhere");
        }
    }
    const bool color = options.format == "text" && path.empty() && use_color();
    std::unique_ptr<ResultsWriter> writer = make_results_writer(options.format, *stream, path, run, color);
    if (stream == &output_file.stream) return std::make_unique<WholeEntries>(std::move(writer), output_file);
    return writer;
}

int run_check(const CheckOptions& given, const CommonOptions& common) {
    // `-o -` is standard output, as for most tools that write a file: a file named
    // "-" is more often a slip than wanted.
    CheckOptions options = given;
    if (options.output == "-") options.output.clear();
    if (options.output.empty() && writes_a_file_only(options.format)) {
        std::cerr << "gouji check: error: --format " << options.format
                  << " needs --output FILE, e.g. --output audits.db: a database is not written to standard output "
                     "(gouji check --help)\n";
        return kExitInputError;
    }
    RegexTablesWarmup regex_tables;  // built while the templates load
    TemplateCatalog catalog;
    std::vector<RuleDiagnostic> template_errors;
    if (!load_catalog(common, catalog, template_errors)) {
        std::cerr << render(template_errors)
                  << "gouji check: note: the rule packs were not compiled: their errors could follow from the "
                     "templates'; fix these first\n";
        return kExitInputError;
    }
    bool reports_given = false;
    const std::vector<std::string> packs = packs_to_compile(options, reports_given);
    if (packs.empty() && reports_given) return kExitInputError;
    if (packs.empty()) {
        if (options.no_standard)
            std::cerr << "gouji check: error: no rule packs to check with: --no-standard leaves out the standard ones "
                         "(give --pack FILE, or drop --no-standard)\n";
        else  // the standard folder holds none: GOUJI_RULEPACKS names another, or the source tree moved
            std::cerr << "gouji check: error: no rule packs to check with: " << printable(default_rulepack_dir(), false)
                      << " has no .yaml pack but templates.yaml (set GOUJI_RULEPACKS to gouji's rulepacks folder, or "
                         "give --pack FILE)\n";
        return kExitInputError;
    }
    std::vector<RuleDiagnostic> diagnostics;
    RuleSet rules = compile_rule_packs(packs, catalog, diagnostics);
    if (!diagnostics.empty()) {
        std::cerr << render(diagnostics);
        // A --templates file may replace a standard template: the standard packs'
        // errors about its tables then come from that file, which they do not name.
        // Said of a template some error names, and of no other.
        const std::string standard = default_rulepack_dir() + "/templates.yaml";
        for (const auto& t : catalog.templates)
            if (t.file != standard && names_template(diagnostics, t))
                std::cerr << printable(t.file, false) << ": note: template '" << t.id
                          << "' is the one this file (--templates) defines; the packs' errors about its tables, rows "
                             "and columns may come from it\n";
        return kExitInputError;
    }
    if (reports_given) return kExitInputError;

    note_unchecked_templates(catalog, rules, !options.no_standard);

    std::vector<BatchItem> items = each_file_once(expand_paths(options.paths), options.paths, "checked");
    leave_out_output(options.output, items);
    leave_out_stdout(items);
    if (items.empty()) {
        std::cerr << "gouji check: error: no reports (.txt .md .markdown .html .htm .docx .pdf) under the paths given "
                     "(give report files, or folders that hold some)\n";
        return kExitInputError;
    }
    // The output is opened once the batch is known to run: a usage or rule error
    // leaves an --output file of an earlier run as it was.
    // Last year's reports are listed first: --output may not be one of them either.
    std::vector<BatchItem> earlier;
    if (!options.previous.empty()) {
        earlier = each_file_once(expand_paths(options.previous), options.previous, "read");
        // Only a folder gives no item: each --previous path is a folder without
        // reports. (Beside paths that give files, one is passed over, as a folder
        // without reports among the paths audited is.)
        if (earlier.empty()) {
            for (std::size_t argument = 0; argument < options.previous.size(); ++argument)
                earlier.push_back(previous_without_reports(options.previous[argument], argument));
            earlier = each_file_once(std::move(earlier), options.previous, "reported");
        }
        leave_out_stdout(earlier);
    }
    OutputFile output_file(options.output);
    std::unique_ptr<ResultsWriter> out;
    try {
        out = open_output(options, common, rules, files_read(packs, catalog, items, earlier), output_file);
    } catch (const InputError& e) {
        std::cerr << e.describe() << '\n';
        return kExitInputError;
    }
    // ICU publishes its regex tables through atomics a thread sanitizer cannot
    // see into: built before the threads start, they are ordered by the join too,
    // and the sanitizer's runs of the suite show only real races.
    regex_tables.join();
    // Last year's reports are not audited: one that cannot be read is a line on
    // stderr, an entry of the results before the reports and exit 2, and the
    // audit goes on.
    std::vector<ReportFindings> previous_unread;
    ReportHistory history;
    if (!options.previous.empty()) history = read_history(earlier, catalog, job_count(options.jobs), previous_unread);
    std::set<std::string> compared_with;
    BatchTally tally = check_and_write(items, previous_unread, rules, catalog, history, *out, job_count(options.jobs),
                                       *parse_severity(options.min_severity), compared_with);
    std::cout.flush();
    if (!output_file.file.close()) output_file.stream.setstate(std::ios::badbit);  // out->good() sees it
    const bool written = out->good() && std::cout;
    // A write that failed left part of a report after the last whole one: cut off,
    // the file ends after a whole report, and the space is free again.
    std::error_code ec;
    if (!written && output_file.file.made() && output_file.whole_end >= 0 && fs::is_regular_file(options.output, ec) &&
        fs::file_size(options.output, ec) > static_cast<std::uintmax_t>(output_file.whole_end) && !ec)
        fs::resize_file(options.output, static_cast<std::uintmax_t>(output_file.whole_end), ec);
    // Only of a whole batch: one stopped early (its results had nowhere to go) did not
    // audit the reports the others would have been compared with.
    if (written) note_uncompared(history, compared_with);

    // A reader gone (`| head`) had what it wanted: the code is that of the reports
    // written until then, as if the batch had been only those.
    if (!written && (!options.output.empty() || !reader_gone())) {
        const std::string where = options.output.empty() ? "standard output" : printable(options.output, false);
        const std::string why = out->failure();
        std::cerr << "gouji check: error: could not write the results to " << where
                  << (why.empty() ? "" : ": " + why)
                  << " (is its disk full? free some space, or write them elsewhere); the reports written before "
                     "stay written\n";
        return kExitInputError;
    }
    // The results went to a file: the terminal still hears how the audit went,
    // and where to read it.
    if (!options.output.empty() && !tally.only_passed_over()) {
        std::string summary = batch_summary_text(tally, false);
        if (summary.ends_with('\n')) summary.pop_back();
        std::cerr << "gouji check: " << summary << " (written to " << printable(options.output, false) << ")\n";
    } else if (tally.findings_not_shown && options.format != "text") {
        // The terminal's closing line says it; the other formats on stdout have none.
        std::cerr << "gouji check: note: " << plural(tally.findings_not_shown, "finding")
                  << " below --min-severity not shown\n";
    }
    // Folders whose every file was passed over held no report, as an empty one holds none.
    if (tally.only_passed_over()) {
        std::cerr << no_reports_under_paths(tally).describe() << '\n';
        return kExitInputError;
    }
    return exit_code_of(tally);
}

}  // namespace

void register_check(CLI::App& app, CommonOptions& common, int& exit_code) {
    auto options = std::make_shared<CheckOptions>();
    CLI::App* cmd = app.add_subcommand("check", "Audit reports against the standard rule packs and any packs given");
    // --templates is the main command's (both commands read templates), so its own help would not show it.
    cmd->footer("Also --templates FILE (before or after the command, repeatable): an extra template schema YAML, "
                "added to rulepacks/templates.yaml (docs/templates.md)");
    cmd->add_option("paths", options->paths, "Report files, or directories searched recursively for reports")->required();
    // One file per --pack: "--pack p.yaml report.txt --format json" must not read
    // the report as a second pack. CLI11 would show "TEXT ..." for a list, which
    // reads as several files after one --pack.
    cmd->add_option("--pack", options->packs,
                    "A rule pack YAML file to add (may extend, override or disable standard rules by id); repeatable, "
                    "one file each: --pack a.yaml --pack b.yaml")
        ->allow_extra_args(false)
        ->option_text("FILE");
    cmd->add_option("--format", options->format,
                    "Output format: text (default), json (docs/findings.md), sarif, junit, html, or sqlite (a "
                    "database, with --output; docs/outputs.md)")
        ->option_text("FORMAT")
        ->check(one_of(output_formats()));
    cmd->add_option("-o,--output", options->output,
                    "Write the results to FILE instead of standard output (- is standard output; required for "
                    "sqlite, whose file keeps every run written to it)")
        ->allow_extra_args(false)
        ->option_text("FILE");
    // No "=value": CLI11 would read --no-standard=no as false, and run the standard packs.
    // Given twice is a usage error, as for the options that take a value (docs/cli.md).
    cmd->add_flag("--no-standard", options->no_standard, "Use only the packs given with --pack")
        ->disable_flag_override()
        ->multi_option_policy(CLI::MultiOptionPolicy::Throw);
    cmd->add_option("--previous", options->previous,
                    "A report of an earlier year, or a directory of them, read (not audited) so that rules compare each "
                    "report with its agency's report of the year before (previous(表三)); repeatable, one path each")
        ->allow_extra_args(false)
        ->option_text("PATH");
    cmd->add_option("--min-severity", options->min_severity,
                    "Leave out of the results the findings below LEVEL: warning (no infos, nor findings not "
                    "assessable, which are infos) or error; the closing line counts what was left out; the exit code "
                    "is the same")
        ->option_text("LEVEL")
        ->check(one_of({"info", "warning", "error"}));
    cmd->add_option("-j,--jobs", options->jobs,
                    "Reports checked at once, 1 to 256 (default: one per CPU); the output is the same for any number")
        ->option_text("N")
        ->check(whole_number(1, max_jobs));
    cmd->callback([options, &common, &exit_code]() { exit_code = run_check(*options, common); });
}

}  // namespace gouji::cli
