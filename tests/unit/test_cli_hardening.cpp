// `gouji check` against what a batch meets in the wild and must survive: a line of
// megabytes, a named pipe, folders and links that cannot be read, a file name with
// terminal commands in it, a report too big to put into words.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unicode/uchar.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "gouji/check.hpp"
#include "gouji/source.hpp"
#include "gouji/text.hpp"
#include "tests/unit/cli_test_support.hpp"
#include "tests/unit/golden.hpp"
#include "tests/unit/rule_fixture.hpp"

namespace fs = std::filesystem;

namespace {

using gouji::test::Run;
using gouji::test::shell_quoted;

const gouji::test::Scratch& scratch() {
    static const gouji::test::Scratch s("hardening");
    return s;
}

// `prefix`: put before the binary ("ulimit -v N;", "timeout 30", a user switch).
Run run_gouji_as(const std::string& prefix, const std::string& args) {
    return gouji::test::run_gouji_in(scratch(), prefix, args);
}

Run run_gouji(const std::string& args) { return run_gouji_as("", args); }

std::string seed(const std::string& name) { return gouji::test::test_dir() + "/corpus/seeds/" + name; }
const std::string seed000 = "000_831a942c0d0dfd8c.txt";  // three narrative findings on its line 18, column 129…
const std::string seed001 = "001_64c08c7c78b4b61b.txt";
const std::string seed002 = "002_0ec7f487509b9c4f.txt";

std::size_t count_of(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
    return n;
}

std::size_t width_of(char32_t c) {
    auto w = static_cast<UEastAsianWidth>(u_getIntPropertyValue(static_cast<UChar32>(c), UCHAR_EAST_ASIAN_WIDTH));
    return w == U_EA_WIDE || w == U_EA_FULLWIDTH ? 2 : 1;
}

// The quote under a finding as a terminal shows it: the source text after the
// gutter, and the character the caret stands under (0 past the end).
struct Quote {
    std::string text;
    std::size_t width = 0;
    char32_t under_caret = 0;
};

Quote quote_in(const std::string& listing) {
    const std::string gutter_end = " | ";
    std::size_t line_start = listing.find('\n') + 1;  // past the header
    line_start = listing.find('\n', line_start) + 1;   // past the finding's head
    std::size_t line_end = listing.find('\n', line_start);
    std::size_t caret_end = listing.find('\n', line_end + 1);
    std::string line = listing.substr(line_start, line_end - line_start);
    std::string caret = listing.substr(line_end + 1, caret_end - line_end - 1);
    REQUIRE(line.find(gutter_end) != std::string::npos);
    REQUIRE(caret.size() >= 9);
    REQUIRE(caret.back() == '^');
    Quote q;
    q.text = line.substr(line.find(gutter_end) + gutter_end.size());
    std::size_t caret_column = caret.size() - 1 - 9;  // "       | " is nine columns
    std::size_t column = 0;
    for (char32_t c : gouji::to_u32(q.text)) {
        if (column == caret_column && !q.under_caret) q.under_caret = c;
        column += width_of(c);
    }
    q.width = column;
    return q;
}

// The listing of one finding at `line`:`column` of `file`, quoted as gouji quotes it
// (the line as the check keeps it, ReportFindings::source_lines).
std::string listing_at(const std::string& file, std::uint32_t line, std::uint32_t column) {
    gouji::Finding f;
    f.rule = "X";
    f.message = "m";
    f.location.pos = gouji::SourcePos{line, column, 0};
    gouji::ReportFindings report;
    report.file = file;
    report.format = "text";
    report.findings.push_back(f);
    std::ifstream in(file, std::ios::binary);
    const gouji::SourceText source(file, std::string(std::istreambuf_iterator<char>(in), {}));
    if (line <= source.line_count()) report.source_lines.emplace(line, source.line(line));
    return gouji::findings_text(report, false);
}

bool sanitized_build() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
    return true;
#else
    return false;
#endif
#else
    return false;
#endif
}

}  // namespace

TEST_CASE("cli hardening: a line of megabytes is quoted as a window around the finding, caret in place") {
    // ASCII, then the finding's words, then three-byte CJK characters two columns wide.
    const std::string ascii(100000, 'x'), cjk_char = "数";
    std::string cjk;
    for (int i = 0; i < 100000; ++i) cjk += cjk_char;
    const std::string words = "予以公开”616件";
    std::string file = scratch().write("long-line.txt", "一、总体情况\n" + ascii + words + cjk + "\nend\n");
    const std::uint32_t six = 100000 + 6;  // the first '6' of 616

    std::string out = listing_at(file, 2, six);
    CHECK(out.size() < 2000);
    CHECK(gouji::is_valid_utf8(out));
    Quote q = quote_in(out);
    CHECK(q.under_caret == U'6');
    CHECK(q.width <= 160);
    CHECK(q.text.starts_with("…x"));
    CHECK(q.text.find(words) != std::string::npos);
    CHECK(q.text.ends_with(cjk_char + "…"));

    // Inside the CJK run: cut between characters, never inside one.
    out = listing_at(file, 2, 100000 + 10 + 50000);
    CHECK(gouji::is_valid_utf8(out));
    q = quote_in(out);
    CHECK(q.under_caret == U'数');
    CHECK(q.width <= 160);
    CHECK(q.text.starts_with("…数"));
    CHECK(q.text.ends_with("数…"));

    // At the start of the line nothing is cut before it; at the end nothing after.
    q = quote_in(listing_at(file, 2, 1));
    CHECK(q.under_caret == U'x');
    CHECK(q.text.starts_with("xxx"));
    CHECK(q.text.ends_with("x…"));
    const std::uint32_t last = 100000 + 9 + 100000;
    q = quote_in(listing_at(file, 2, last));
    CHECK(q.under_caret == U'数');
    CHECK(q.text.starts_with("…数"));
    CHECK(q.text.ends_with("数"));
    CHECK(q.width <= 160);
    // A column past the line's end puts the caret after its last character.
    q = quote_in(listing_at(file, 2, last + 1));
    CHECK(q.under_caret == 0);
    CHECK(q.text.ends_with("数"));

    // A line that fits is quoted whole, as before.
    q = quote_in(listing_at(file, 1, 3));
    CHECK(q.text == "一、总体情况");
    CHECK(q.under_caret == U'总');
}

TEST_CASE("cli hardening: the text of a cell or figure as written is cut too") {
    // HTML, DOCX and PDF findings quote their cell's text, which can be a whole page run together.
    gouji::Finding f;
    f.rule = "X";
    f.message = "m";
    f.location.pos = gouji::SourcePos{3, 1, 0};
    gouji::CellRef cell;
    cell.path = "narrative: 予以公开";
    cell.text = std::string(3'000'000, '1');
    cell.pos = f.location.pos;
    f.cells.push_back(cell);
    gouji::ReportFindings report;
    report.file = "page.html";
    report.format = "html";
    report.findings.push_back(f);
    std::string out = gouji::findings_text(report, false);
    CHECK(out.size() < 2000);
    CHECK(count_of(out, "1…") == 2);  // the quote and the value used
}

TEST_CASE("cli hardening: a report whose listing would not fit in memory does not stop the batch") {
    if (sanitized_build()) {
        MESSAGE("skipped: a sanitizer's shadow memory does not run under an address-space limit");
        return;
    }
    // Sixty findings quote line 18 of seed 000; made eight megabytes long, it was
    // quoted whole under each of them: half a gigabyte, std::bad_alloc under this
    // limit, and the batch stopped as an internal error with the third report unsaid.
    std::string text = gouji::test::read_text_file(seed(seed000));
    std::size_t line18 = 0;
    for (int i = 0; i < 17; ++i) line18 = text.find('\n', line18) + 1;
    std::size_t end18 = text.find('\n', line18);
    std::string row = text.substr(line18, end18 - line18);
    std::string wide;
    for (int i = 0; i < 20; ++i) wide += row;
    wide += std::string(8'000'000, 'x');
    std::string big = scratch().write("wide-line.txt", text.substr(0, line18) + wide + text.substr(end18));

    std::string batch = shell_quoted(seed(seed001)) + " " + shell_quoted(big) + " " + shell_quoted(seed(seed002));
    Run r = run_gouji_as("ulimit -v 600000;", "check -j 2 " + batch);
    CHECK(r.exit_code != 3);
    CHECK(r.exit_code != -1);
    CHECK(r.err.find("internal error") == std::string::npos);
    CHECK(r.out.size() < 10'000'000);
    CHECK(r.out.find("── " + seed(seed002)) != std::string::npos);
    CHECK(r.out.find("checked 3 reports") != std::string::npos);
    // Written or not, the wide report is either listed or one line of stderr naming it.
    bool listed = r.out.find("── " + big) != std::string::npos;
    bool said = r.err.find(big + ": error: not enough memory") != std::string::npos;
    CHECK(listed != said);
    if (said) CHECK(r.exit_code == 2);
}

TEST_CASE("cli hardening: a report read from a named pipe is not opened again, and still quoted") {
    std::string fifo = scratch().path("pipe.txt");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // The writer gives the text once; a second open would wait for a writer that never comes.
    Run r = run_gouji_as("(timeout 60 cat " + shell_quoted(seed(seed000)) + " > " + shell_quoted(fifo) +
                             " &); timeout 60",
                         "check " + shell_quoted(fifo));
    CHECK(r.exit_code == 0);  // warnings only; 124 if it hung
    CHECK(r.out.find(fifo + ":18:129: warning[NARR-T3-DISCLOSED") != std::string::npos);
    // The line as the check read it: quoted without a second read.
    CHECK(r.out.find("    18 | …") != std::string::npos);
    CHECK(r.out.find("予以公开”616件") != std::string::npos);
    CHECK(r.out.find("checked 1 report: ") != std::string::npos);
    fs::remove(fifo);
}

// "-" is how many tools name standard input; gouji reads reports from files only, and
// says so (it said "cannot open file: No such file or directory (check the path)").
TEST_CASE("cli hardening: '-' as a report says that standard input is not read") {
    const std::string said = "-: error: a report is not read from standard input (save it to a file and give its path, "
                             "e.g. gouji check report.txt)\n";
    Run r = run_gouji("check - " + shell_quoted(seed(seed002)) + " < /dev/null");
    CHECK(r.exit_code == 2);
    CHECK(r.err == said);
    CHECK(r.out.find("checked 2 reports (1 could not be read: -): ") != std::string::npos);  // the other one audited
    Run e = run_gouji("explain - < /dev/null");
    CHECK(e.exit_code == 2);
    CHECK(e.err == said);
}

TEST_CASE("cli hardening: a named pipe with a report's name inside a folder is said, not opened") {
    const std::string dir = scratch().path("with-pipe");
    fs::create_directories(dir);
    fs::copy_file(seed(seed000), dir + "/a.txt");
    const std::string fifo = dir + "/b.txt";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // A link to a folder, named like a report, is a link not followed: no line.
    fs::create_directories(dir + "/sub");
    fs::create_directory_symlink("sub", dir + "/linked.md");
    // Nobody writes to it: opened, it would wait forever (timeout gives 124).
    Run r = run_gouji_as("timeout 60", "check " + shell_quoted(dir));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(fifo + ": error: skipped: a named pipe, not read when a folder is searched") != std::string::npos);
    // a.txt still audited; the pipe counted as a report not read, as it is listed in JSON.
    CHECK(r.out.find("checked 2 reports (1 could not be read: " + fifo + "): ") != std::string::npos);
    CHECK(r.err.find("linked.md") == std::string::npos);
    Run j = run_gouji_as("timeout 60", "check --format json " + shell_quoted(dir));
    CHECK(j.exit_code == 2);
    auto reports = nlohmann::json::parse(j.out)["reports"];
    REQUIRE(reports.size() == 2);
    CHECK(reports[1]["file"] == fifo);
    CHECK(reports[1]["error"]["message"] == "skipped: a named pipe, not read when a folder is searched");
    CHECK_FALSE(reports[1].contains("folder"));
    fs::remove(fifo);
}

TEST_CASE("cli hardening: the listing quotes a report as it was checked, though its file changed since") {
    const std::string file = scratch().write(
        "changing.md", "# 2020年政府信息公开工作年度报告\n\n## 一、总体情况\n\n全年收到申请12件，其中予以公开5件。\n");
    // The rules point into the catalog: it outlives them.
    static const gouji::TemplateCatalog catalog =
        gouji::load_templates(gouji::default_rulepack_dir() + "/templates.yaml");
    std::string errors;
    gouji::RuleSet rules = gouji::fixture::compile_texts(
        {{"test.yaml", gouji::fixture::pack_with_rules("  - id: X\n    severity: error\n    kind: consistency\n"
                                                       "    for: f in figures\n    check: f.value != 12\n")}},
        catalog, errors);
    REQUIRE(errors.empty());
    gouji::ReportFindings report = gouji::check_document(gouji::read_document(file), rules, catalog);
    REQUIRE(report.findings.size() == 1);
    CHECK(report.findings[0].location.pos.line == 5);
    scratch().write("changing.md", "rewritten\n");  // between the check and the listing
    const std::string out = gouji::findings_text(report, false);
    CHECK(out.find("     5 | 全年收到申请12件") != std::string::npos);
    CHECK(out.find("rewritten") == std::string::npos);
}

TEST_CASE("cli hardening: control characters of a file name reach stderr as U+FFFD") {
    gouji::InputError e("a\x1b[2J\x07\t\r\n\x7f\xc2\x85z.txt", gouji::SourcePos{}, "cannot open\nfile", "check\x1b it");
    std::string line = e.describe();
    for (unsigned char c : line) CHECK_MESSAGE((c >= 0x20 && c != 0x7f), line);
    CHECK(line.find("\xc2\x85") == std::string::npos);
    CHECK(line.starts_with("a\uFFFD[2J\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFDz.txt: error: "
                           "cannot open file (check\uFFFD it)"));

    Run r = run_gouji("check " + shell_quoted(scratch().path("no\x1b]0;owned\x07such.txt")));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find('\x1b') == std::string::npos);
    CHECK(r.err.find('\x07') == std::string::npos);
    CHECK(r.err.find("no\uFFFD]0;owned\uFFFDsuch.txt: error: cannot open file") != std::string::npos);
}

TEST_CASE("cli hardening: a dangling link or a link loop named as a report is an unreadable report, not skipped") {
    std::string dir = scratch().path("links");
    fs::create_directories(dir);
    fs::copy_file(seed(seed002), dir + "/good.md", fs::copy_options::overwrite_existing);
    fs::create_symlink(scratch().path("nowhere.txt"), dir + "/dangling.txt");
    fs::create_symlink("loop.md", dir + "/loop.md");
    fs::create_symlink("nowhere", dir + "/not-a-report");  // no report extension: nothing to say

    Run r = run_gouji("check " + shell_quoted(dir));
    CHECK(r.exit_code == 2);
    // The folder search listed the link: what is missing is its target (user tester), not the path.
    CHECK(r.err.find(dir + "/dangling.txt: error: cannot open file: it is a link to " + scratch().path("nowhere.txt") +
                     ", which does not exist (point the link at the file, or leave it out)\n") != std::string::npos);
    CHECK(r.err.find(dir + "/loop.md: error: cannot open file: Too many levels of symbolic links") !=
          std::string::npos);
    CHECK(r.err.find("not-a-report") == std::string::npos);
    CHECK(r.out.find("── " + dir + "/good.md") != std::string::npos);
    CHECK(r.out.find("checked 3 reports (2 could not be read: " + dir + "/dangling.txt, " + dir + "/loop.md)") !=
          std::string::npos);

    Run j = run_gouji("check --format json " + shell_quoted(dir));
    CHECK(j.exit_code == 2);
    auto doc = nlohmann::json::parse(j.out);
    REQUIRE(doc["reports"].size() == 3);
    CHECK(doc["reports"][0]["file"] == dir + "/dangling.txt");
    CHECK(doc["reports"][0].contains("error"));
}

TEST_CASE("cli hardening: an --output that cannot be written is told what to do by the reason") {
    std::string as_user;
    if (::geteuid() == 0) {  // root writes every file: the check runs as an unprivileged user then
        as_user = "setpriv --reuid=65534 --regid=65534 --clear-groups";
        Run probe = run_gouji_as(as_user, "check " + shell_quoted(seed(seed000)));
        if (probe.exit_code != 0) {
            MESSAGE("skipped: running as root, and user 65534 cannot run gouji on the corpus here");
            return;
        }
    }
    const std::string dir = scratch().path("writable");
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms::all);
    // A read-only file in a folder anyone may write to: it was told to "check the folder exists".
    const std::string read_only = scratch().write("writable/ro.json", "kept\n");
    fs::permissions(read_only, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    Run r = run_gouji_as(as_user, "check --format json -o " + shell_quoted(read_only) + " " + shell_quoted(seed(seed000)));
    CHECK(r.exit_code == 2);
    CHECK(r.err == read_only + ": error: cannot write --output: Permission denied (the file is read-only: give write "
                               "access to it, or write the results elsewhere)\n");
    CHECK(gouji::test::read_text_file(read_only) == "kept\n");
    // A new file in a folder that may not be written to.
    const std::string locked = scratch().path("locked-out");
    fs::create_directories(locked);
    fs::permissions(locked, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                fs::perms::others_read | fs::perms::others_exec);
    if (as_user.empty()) fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
    r = run_gouji_as(as_user, "check -o " + shell_quoted(locked + "/out.txt") + " " + shell_quoted(seed(seed000)));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("cannot write --output: Permission denied (the folder may not be written to: give write access "
                     "to it, or write the results elsewhere)") != std::string::npos);
    fs::permissions(locked, fs::perms::owner_all);
}

TEST_CASE("cli hardening: a folder that cannot be read is said, and the rest is still audited") {
    // Root reads every folder: the check runs as an unprivileged user then, if one can be switched to.
    std::string as_user;
    if (::geteuid() == 0) {
        as_user = "setpriv --reuid=65534 --regid=65534 --clear-groups";
        Run probe = run_gouji_as(as_user, "check " + shell_quoted(seed(seed000)));
        if (probe.exit_code != 0) {
            MESSAGE("skipped: running as root, and user 65534 cannot run gouji on the corpus here");
            return;
        }
    }
    std::string dir = scratch().path("locked-batch");
    fs::create_directories(dir + "/open");
    fs::create_directories(dir + "/locked");
    fs::copy_file(seed(seed002), dir + "/open/good.md", fs::copy_options::overwrite_existing);
    fs::copy_file(seed(seed000), dir + "/locked/hidden.txt", fs::copy_options::overwrite_existing);
    fs::permissions(dir + "/locked", fs::perms::none);
    // Listed but not searchable: its names can be read, its files cannot be reached.
    fs::create_directories(dir + "/listed");
    fs::copy_file(seed(seed000), dir + "/listed/reached.txt", fs::copy_options::overwrite_existing);
    fs::permissions(dir + "/listed", fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);

    // A file of it that cannot be opened: said so, with what to do about a permission.
    fs::copy_file(seed(seed000), dir + "/open/shut.txt", fs::copy_options::overwrite_existing);
    fs::permissions(dir + "/open/shut.txt", fs::perms::none);

    const std::string denied = ": error: cannot read directory: Permission denied (the reports in it are not checked: "
                               "give read access to it, or leave it out of the paths)";
    Run r = run_gouji_as(as_user, "check " + shell_quoted(dir));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(dir + "/locked" + denied + "\n") != std::string::npos);
    CHECK(r.err.find(dir + "/listed" + denied + "\n") != std::string::npos);
    CHECK(r.err.find(dir + "/open/shut.txt: error: cannot open file: Permission denied (give read access to it, or "
                           "leave it out of the paths)\n") != std::string::npos);
    CHECK(r.out.find("── " + dir + "/open/good.md") != std::string::npos);
    // The closing line counts what was not read: the folders too.
    CHECK(r.out.find("checked 2 reports (1 could not be read: " + dir + "/open/shut.txt; 2 folders could not be read): ") !=
          std::string::npos);

    // Whoever keeps only the JSON sees why it exits 2: each folder is an entry,
    // in path order among the reports, with its error.
    Run j = run_gouji_as(as_user, "check --format json " + shell_quoted(dir));
    CHECK(j.exit_code == 2);
    CHECK(j.err == r.err);
    auto reports = nlohmann::json::parse(j.out)["reports"];
    REQUIRE(reports.size() == 4);
    CHECK(reports[0]["file"] == dir + "/listed");
    CHECK(reports[0]["folder"] == true);
    CHECK(reports[0]["template"].is_null());
    CHECK(reports[0]["error"]["message"] == "cannot read directory: Permission denied");
    CHECK(reports[0]["error"]["hint"] == "the reports in it are not checked: give read access to it, or leave it out of "
                                         "the paths");
    CHECK(reports[0]["error"]["text"] == dir + "/listed" + denied);
    CHECK(reports[0]["findings"].empty());
    CHECK(reports[0]["summary"]["errors"] == 0);
    CHECK(reports[1]["file"] == dir + "/locked");
    CHECK(reports[1]["folder"] == true);
    CHECK(reports[2]["file"] == dir + "/open/good.md");
    CHECK_FALSE(reports[2].contains("folder"));
    CHECK(reports[3]["file"] == dir + "/open/shut.txt");
    CHECK(reports[3].contains("error"));

    // Named directly, it is not "no reports": it could not be looked in.
    Run locked = run_gouji_as(as_user, "check --format json " + shell_quoted(dir + "/locked"));
    CHECK(locked.exit_code == 2);
    CHECK(locked.err == dir + "/locked" + denied + "\n");
    REQUIRE(nlohmann::json::parse(locked.out)["reports"].size() == 1);
    CHECK(nlohmann::json::parse(locked.out)["reports"][0]["folder"] == true);
    Run locked_text = run_gouji_as(as_user, "check " + shell_quoted(dir + "/locked"));
    // The folder is an entry of the text too, in its place, with its error line.
    CHECK(locked_text.out == "── " + dir + "/locked (folder could not be read)\n" + dir + "/locked" + denied +
                                 "\n\nchecked 0 reports (1 folder could not be read): 0 errors, 0 warnings, 0 infos, 0 not "
                                 "assessable\n");

    // Reports of earlier years are searched alike; they are not audited, and the
    // audit goes on, but the folder is an entry of the results, marked as given to
    // --previous, and counted.
    Run previous = run_gouji_as(as_user, "check --previous " + shell_quoted(dir + "/locked") + " " + shell_quoted(seed(seed000)));
    CHECK(previous.exit_code == 2);
    CHECK(previous.err.find(dir + "/locked" + denied) != std::string::npos);
    CHECK(previous.out.find("checked 1 report (1 --previous folder gave no report): ") != std::string::npos);
    Run previous_json = run_gouji_as(as_user, "check --format json --previous " + shell_quoted(dir + "/locked") + " " +
                                                  shell_quoted(seed(seed000)));
    CHECK(previous_json.exit_code == 2);
    auto earlier = nlohmann::json::parse(previous_json.out)["reports"];
    REQUIRE(earlier.size() == 2);
    CHECK(earlier[0]["file"] == dir + "/locked");
    CHECK(earlier[0]["folder"] == true);
    CHECK(earlier[0]["previous_year"] == true);
    CHECK(earlier[0]["error"]["text"] == dir + "/locked" + denied);
    CHECK_FALSE(earlier[1].contains("previous_year"));

    fs::permissions(dir + "/locked", fs::perms::owner_all);
    fs::permissions(dir + "/listed", fs::perms::owner_all);
    fs::permissions(dir + "/open/shut.txt", fs::perms::owner_all);
}

TEST_CASE("cli hardening: a rule pack or template file of absurd size is refused, not read to the end") {
    // /dev/zero never ends: read whole, it took gigabytes until killed.
    Run pack = run_gouji_as("timeout 30", "check --pack /dev/zero " + shell_quoted(seed(seed002)));
    CHECK(pack.exit_code == 2);
    CHECK(pack.err.find("/dev/zero: error: is larger than 16 MiB, so not a rule pack") != std::string::npos);
    Run templates = run_gouji_as("timeout 30", "--templates /dev/zero check " + shell_quoted(seed(seed002)));
    CHECK(templates.exit_code == 2);
    CHECK(templates.err.find("/dev/zero: error: is larger than 16 MiB, so not a template file") != std::string::npos);
    std::string extends = scratch().write("extends-zero.yaml", "pack: z\nextends: [/dev/zero]\nrules: []\n");
    Run base = run_gouji_as("timeout 30", "check --pack " + shell_quoted(extends) + " " + shell_quoted(seed(seed002)));
    CHECK(base.exit_code == 2);
    CHECK(base.err.find(extends + ":2:11: error: the extended pack '/dev/zero' is larger than 16 MiB") != std::string::npos);
}
