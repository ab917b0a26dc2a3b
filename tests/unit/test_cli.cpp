// The gouji binary as a user runs it: exit codes, what goes to stderr, batches
// with a bad file, and rule packs given at run time (no rebuild).
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "engine/output/json_text.hpp"
#include "gouji/template_schema.hpp"
#include "tests/unit/cli_test_support.hpp"
#include "tests/unit/golden.hpp"

namespace fs = std::filesystem;

namespace {

using gouji::test::read_text_file;
using gouji::test::Run;
using gouji::test::shell_quoted;

const gouji::test::Scratch& scratch() {
    static const gouji::test::Scratch s("cli");
    return s;
}

// `environment`: assignments put before the command ("NAME=value …").
Run run_gouji_with(const std::string& environment, const std::string& args) {
    return gouji::test::run_gouji_in(scratch(), environment, args);
}

Run run_gouji(const std::string& args) { return run_gouji_with("", args); }

std::string corpus(const std::string& relative) { return gouji::test::test_dir() + "/corpus/" + relative; }

const std::string seed002 = "seeds/002_0ec7f487509b9c4f.txt";

std::size_t count_lines(const std::string& s) {
    std::size_t n = 0;
    for (char c : s) n += c == '\n';
    return n;
}

bool has_finding(const nlohmann::json& report, const std::string& rule) {
    for (const auto& f : report["findings"])
        if (f["rule"] == rule) return true;
    return false;
}

}  // namespace

TEST_CASE("cli: a report with arithmetic errors exits 1 and quotes the line with the suggestion") {
    Run r = run_gouji("check " + shell_quoted(corpus(seed002)));
    CHECK(r.exit_code == 1);
    CHECK(r.err.empty());
    CHECK(r.out.find(":95:92: error[T3-BALANCE[c=商业企业]] 表三「商业企业」列：新收 0 + 结转 0 ≠ 总计 9 + 结转下年度 0\n") !=
          std::string::npos);
    CHECK(r.out.find("    95 | | 一、本年新收政府信息公开申请数量") != std::string::npos);
    CHECK(r.out.find("= 表三.总计.商业企业 = 9  (line 120)") != std::string::npos);
    CHECK(r.out.find("suggestion: 表三 本年新收 × 商业企业 0 → 9") != std::string::npos);
    // A check not assessable points at the blank it could not read, and lists it
    // (only it: the values it did read explain nothing).
    CHECK(r.out.find(":121:40: info[T3-BALANCE[c=自然人]] not assessable: 表三.结转下年度继续办理.自然人 (blank)\n"
                     "   121 | | 四、结转下年度继续办理") != std::string::npos);
    CHECK(r.out.find("^\n       = 表三.结转下年度继续办理.自然人 = (blank)  (line 121)\n") != std::string::npos);
    CHECK(r.out.find("\x1b[") == std::string::npos);
    CHECK(r.out.find("checked 1 report: ") != std::string::npos);

    Run j = run_gouji("check --format json " + shell_quoted(corpus(seed002)));
    CHECK(j.exit_code == 1);
    auto doc = nlohmann::json::parse(j.out);
    REQUIRE(doc["reports"].size() == 1);
    CHECK(doc["reports"][0]["template"] == "gov-2019");
    CHECK(doc["reports"][0]["summary"]["errors"].get<int>() >= 2);
    bool suggested = false;
    for (const auto& f : doc["reports"][0]["findings"])
        if (f.contains("suggestion"))
            suggested = f["suggestion"]["row"] == "本年新收" && f["suggestion"]["column"] == "商业企业" &&
                        f["suggestion"]["current"] == 0 && f["suggestion"]["value"] == 9;
    CHECK(suggested);
}

// Seed 002 has 2 errors, 4 warnings and 2 findings not assessable (infos).
TEST_CASE("cli: --min-severity leaves out the findings below it, says how many, and keeps the exit code") {
    Run all = run_gouji("check --format json " + shell_quoted(corpus(seed002)));
    const auto everything = nlohmann::json::parse(all.out)["reports"][0]["findings"];
    REQUIRE(everything.size() == 8);

    Run warnings = run_gouji("check --min-severity warning " + shell_quoted(corpus(seed002)));
    CHECK(warnings.exit_code == 1);
    CHECK(warnings.out.find("not assessable: ") == std::string::npos);
    CHECK(warnings.out.find("warning[NARR-T3-RECEIVED]") != std::string::npos);
    CHECK(warnings.out.find("checked 1 report: 2 errors, 4 warnings, 0 infos, 0 not assessable (2 findings below "
                            "--min-severity not shown)\n") != std::string::npos);

    Run errors = run_gouji("check --min-severity error --format json " + shell_quoted(corpus(seed002)));
    CHECK(errors.exit_code == 1);
    const auto report = nlohmann::json::parse(errors.out)["reports"][0];
    REQUIRE(report["findings"].size() == 2);
    for (const auto& f : report["findings"]) CHECK(f["severity"] == "error");
    CHECK(report["summary"]["warnings"] == 0);
    // The kept findings are as the full run wrote them, suggestion and all.
    for (const auto& f : report["findings"])
        CHECK(std::find(everything.begin(), everything.end(), f) != everything.end());
    CHECK(errors.err == "gouji check: note: 6 findings below --min-severity not shown\n");

    // A clean report stays clean, with nothing to say; a level that is none is a usage error.
    Run clean = run_gouji("check --min-severity error --format json " +
                          shell_quoted(gouji::test::test_dir() + "/corpus/real/shuyang-2025.txt"));
    CHECK(clean.exit_code == 0);
    CHECK(clean.err.empty());
    Run wrong = run_gouji("check --min-severity Warn " + shell_quoted(corpus(seed002)));
    CHECK(wrong.exit_code == 2);
    CHECK(wrong.err.find("--min-severity takes info, warning or error, not 'Warn'") != std::string::npos);
}

// The keys of `object` in the order the CLI wrote them.
std::vector<std::string> keys_of(const nlohmann::ordered_json& object) {
    std::vector<std::string> keys;
    for (const auto& [key, value] : object.items()) keys.push_back(key);
    return keys;
}

// A section or the period, read before the blank, has no number by nature: the
// finding still points at the blank.
TEST_CASE("cli: a cell marked none that its table reads as 0 says so beside its mark") {
    Run r = run_gouji("check " + shell_quoted(gouji::test::test_dir() + "/fixtures/markdown/dash-and-zero-2023.md"));
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("\n       = 表三.法律法规禁止.自然人 = - (read as 0)  (line 50)\n") != std::string::npos);
    CHECK(r.out.find("\n       = 表三.国家秘密.自然人 = 1  (line 49)\n") != std::string::npos);
    // A zero written 〇 is a number as written, no mark read as 0.
    Run zeros = run_gouji("check " + shell_quoted(gouji::test::test_dir() + "/fixtures/markdown/chinese-zero-cells-2023.md"));
    CHECK(zeros.out.find(" = 〇  (line ") != std::string::npos);
    CHECK(zeros.out.find("(read as 0)") == std::string::npos);
}

TEST_CASE("cli: a check not assessable points at its blank, whatever it read before") {
    std::string pack = scratch().write("read-before-blank.yaml", R"(pack: read-before-blank
rules:
  - id: SECTION-THEN-CELL
    severity: error
    kind: consistency
    when: contains(section("总体情况").text, "公开") and period.found or true
    check: 表三.结转下年度继续办理.自然人 >= 0
)");
    Run r = run_gouji("check --no-standard --pack " + shell_quoted(pack) + " " + shell_quoted(corpus(seed002)));
    INFO(r.out);
    CHECK(r.out.find(":121:40: info[SECTION-THEN-CELL] not assessable: 表三.结转下年度继续办理.自然人 (blank)\n") !=
          std::string::npos);
    CHECK(r.out.find("= section 总体情况") == std::string::npos);
}

// The fixture's 部分公开 总计 is one too many (6, its parts add up to 5), and its
// prose says 5: 6 → 5 is suggested. With the prose saying 6, mending the cell would
// make NARR-T3-PARTIAL fail, which holds: no suggestion.
TEST_CASE("cli: a suggestion that a narrative rule would then fail on is not made") {
    const std::string fixture = gouji::test::read_text_file(gouji::test::test_dir() + "/fixtures/markdown/report-2021.md");
    const std::string says = "部分公开5件";
    REQUIRE(fixture.find(says) != std::string::npos);
    Run as_is = run_gouji("check " + shell_quoted(scratch().write("says-5.md", fixture)));
    CHECK(as_is.out.find("suggestion: 表三 部分公开 × 总计 6 → 5") != std::string::npos);
    std::string says_six = fixture;
    says_six.replace(says_six.find(says), says.size(), "部分公开6件");
    Run agreed = run_gouji("check " + shell_quoted(scratch().write("says-6.md", says_six)));
    INFO(agreed.out);
    CHECK(agreed.out.find("T3-ROW-SUM[r=部分公开]") != std::string::npos);
    CHECK(agreed.out.find("suggestion:") == std::string::npos);
}

TEST_CASE("cli: JSON keys come in the documented order, not sorted") {
    // docs/findings.md and docs/explain-json.md promise this order; a plain
    // nlohmann::json on the way out sorted them once.
    Run j = run_gouji("check --format json " + shell_quoted(corpus(seed002)));
    auto doc = nlohmann::ordered_json::parse(j.out);
    const auto& report = doc["reports"][0];
    CHECK(keys_of(report) == std::vector<std::string>{"file", "template", "findings", "summary"});
    const auto& finding = report["findings"][0];
    CHECK(keys_of(finding) == std::vector<std::string>{"rule", "severity", "kind", "assessable", "message", "location",
                                                       "cells", "basis", "pack", "binding", "title", "tags",
                                                       "severity_from"});
    CHECK(keys_of(finding["cells"][0]) == std::vector<std::string>{"path", "value", "text", "line", "column"});

    Run e = run_gouji("explain --format json " + shell_quoted(corpus(seed002)));
    REQUIRE(e.exit_code == 0);
    auto model = nlohmann::ordered_json::parse(e.out);
    auto keys = keys_of(model);
    REQUIRE(keys.size() >= 3);
    CHECK(std::vector<std::string>(keys.begin(), keys.begin() + 3) == std::vector<std::string>{"file", "format", "encoding"});
}

TEST_CASE("cli: explain --format json of several files is one array, a bad file keeps its place, with its error") {
    // Written report by report: it must still be the array nlohmann would write.
    std::string missing = scratch().path("no-such-report.txt");
    Run one = run_gouji("explain --format json " + shell_quoted(corpus(seed002)));
    Run several = run_gouji("explain --format json " + shell_quoted(corpus(seed002)) + " " + shell_quoted(missing) + " " +
                            shell_quoted(corpus(seed002)));
    CHECK(several.exit_code == 2);
    CHECK(count_lines(several.err) == 1);
    // The n-th object is the n-th file's: an unreadable one is {"file", "error"},
    // the error as check's JSON gives it (docs/findings.md).
    Run checked = run_gouji("check --format json " + shell_quoted(missing));
    nlohmann::ordered_json unreadable;
    unreadable["file"] = missing;
    unreadable["error"] = nlohmann::ordered_json::parse(checked.out)["reports"][0]["error"];
    CHECK(unreadable["error"]["text"] == several.err.substr(0, several.err.size() - 1));
    auto array = nlohmann::ordered_json::array();
    array.push_back(nlohmann::ordered_json::parse(one.out));
    array.push_back(unreadable);
    array.push_back(array.front());
    CHECK(several.out == array.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    // One file, one object, readable or not: not an empty array.
    Run alone = run_gouji("explain --format json " + shell_quoted(missing));
    CHECK(alone.exit_code == 2);
    CHECK(alone.out == unreadable.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    Run none = run_gouji("explain --format json " + shell_quoted(missing) + " " + shell_quoted(missing));
    CHECK(none.exit_code == 2);
    auto both = nlohmann::json::parse(none.out);
    REQUIRE(both.size() == 2);
    CHECK(both[1]["error"]["message"] == "cannot open file: No such file or directory");
    // The text output is unchanged: the line on stderr says it all.
    Run text = run_gouji("explain " + shell_quoted(missing));
    CHECK(text.exit_code == 2);
    CHECK(text.out.empty());
}

TEST_CASE("cli: a missing file exits 2 with one line on stderr naming it") {
    std::string missing = scratch().path("no-such-report.txt");
    Run r = run_gouji("check " + shell_quoted(missing));
    CHECK(r.exit_code == 2);
    CHECK(count_lines(r.err) == 1);
    CHECK(r.err.rfind(missing + ": error: ", 0) == 0);
}

TEST_CASE("cli: PDFs are read by a module loaded on the first PDF, without it a PDF is an input error") {
    // gouji starts without poppler's libraries: they come with libgouji_pdf.so.
    const std::string pdf = gouji::test::test_dir() + "/fixtures/pdf/report-2021.pdf";
    Run read = run_gouji("check --format json " + shell_quoted(pdf));
    CHECK(read.exit_code != 2);
    CHECK(read.out.find("\"template\": \"gov-2021\"") != std::string::npos);
    const std::string missing = scratch().path("no-module/libgouji_pdf.so");
    Run without = run_gouji_with("GOUJI_PDF_MODULE=" + shell_quoted(missing),
                                 "check " + shell_quoted(pdf) + " " + shell_quoted(corpus(seed002)));
    CHECK(without.exit_code == 2);
    CHECK(count_lines(without.err) == 1);
    CHECK(without.err.rfind(pdf + ": error: PDF support is not installed", 0) == 0);
    CHECK(without.err.find("libgouji_pdf.so") != std::string::npos);
    CHECK(without.out.find("T3-BALANCE") != std::string::npos);  // the other report is still audited
}

TEST_CASE("cli: a directory with a good and a corrupt report: both reported, exit 2") {
    std::string good = corpus("seeds/004_361d8fbe3341eb2a.txt");
    fs::create_directories(scratch().path("batch/sub"));
    fs::copy_file(good, scratch().path("batch/sub/good.txt"), fs::copy_options::overwrite_existing);
    scratch().write("batch/corrupt.docx", std::string("PK\x03\x04", 4) + "this is no zip archive");
    scratch().write("batch/notes.csv", "not a report: skipped by extension");
    Run r = run_gouji("check --format json " + shell_quoted(scratch().path("batch")));
    CHECK(r.exit_code == 2);
    CHECK(count_lines(r.err) == 1);
    CHECK(r.err.rfind(scratch().path("batch/corrupt.docx") + ": error: ", 0) == 0);
    auto doc = nlohmann::json::parse(r.out);
    REQUIRE(doc["reports"].size() == 2);  // sorted: corrupt.docx, sub/good.txt
    CHECK(doc["reports"][0]["file"] == scratch().path("batch/corrupt.docx"));
    CHECK(doc["reports"][0].contains("error"));
    CHECK(doc["reports"][0]["findings"].empty());
    CHECK(doc["reports"][1]["file"] == scratch().path("batch/sub/good.txt"));
    CHECK_FALSE(doc["reports"][1].contains("error"));
    CHECK(doc["reports"][1]["template"] == "gov-2019");
}

TEST_CASE("cli: a folder's README, hidden files and Word's owner files are not audited as reports") {
    const std::string dir = scratch().path("with-readme");
    fs::create_directories(dir + "/.git");
    fs::copy_file(corpus("seeds/004_361d8fbe3341eb2a.txt"), dir + "/report.txt", fs::copy_options::overwrite_existing);
    // Dated and counted like a report's first lines, but no part and no table of one:
    // audited, it gave nine errors (SEC-1…6, T2/T3/T4-FOUND) and exit 1.
    const std::string readme = scratch().write(
        "with-readme/README.md", "# 2020年度报告汇总说明\n\n本文件夹收录各单位2020年政府信息公开工作年度报告，共收到报告12份。\n");
    fs::copy_file(corpus("seeds/004_361d8fbe3341eb2a.txt"), dir + "/.report.txt.swp.txt", fs::copy_options::overwrite_existing);
    scratch().write("with-readme/~$报告2020.docx", std::string(162, '\0'));  // Word's owner file: no zip, "damaged"
    scratch().write("with-readme/.git/HEAD.md", "ref: refs/heads/main\n");

    Run text = run_gouji("check " + shell_quoted(dir));
    CHECK(text.exit_code == 0);  // 004 gives warnings only
    CHECK(text.err == "gouji check: note: " + readme +
                          ": passed over, not a report: no section heading or table of an annual report's template "
                          "(give the file by its own path to audit it)\n");
    CHECK(text.out.find("checked 1 report (1 file passed over, not a report): 0 errors") != std::string::npos);

    Run json = run_gouji("check --format json " + shell_quoted(dir));
    CHECK(json.exit_code == 0);
    auto doc = nlohmann::json::parse(json.out);
    REQUIRE(doc["reports"].size() == 1);
    CHECK(doc["reports"][0]["file"] == dir + "/report.txt");

    // Named, it is audited: the user asked for it.
    Run named = run_gouji("check --format json " + shell_quoted(readme));
    CHECK(named.exit_code == 1);
    CHECK(nlohmann::json::parse(named.out)["reports"][0]["summary"]["errors"] == 9);
    // Named after its folder too: the folder's finding it first does not pass it over.
    Run named_after = run_gouji("check --format json " + shell_quoted(dir) + " " + shell_quoted(readme));
    CHECK(named_after.exit_code == 1);
    CHECK(named_after.err.find("passed over") == std::string::npos);
    auto both = nlohmann::json::parse(named_after.out);
    REQUIRE(both["reports"].size() == 2);
    CHECK(both["reports"][0]["file"] == readme);

    // A PDF poppler reads past damage in, whose text kept no heading: its headings
    // may be what the damage took. Audited with its warning, not passed over.
    const std::string content = "BT\n) ) > ) )\n/F1 12 Tf 72 720 Td (Page one of the annual report) Tj ET\n";
    const std::vector<std::string> objects = {
        "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "endstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
    std::string pdf = "%PDF-1.4\n", xref;
    for (std::size_t k = 0; k < objects.size(); ++k) {
        const std::string at = std::to_string(pdf.size());
        xref += std::string(10 - at.size(), '0') + at + " 00000 n \n";
        pdf += std::to_string(k + 1) + " 0 obj\n" + objects[k] + "\nendobj\n";
    }
    pdf += "xref\n0 6\n0000000000 65535 f \n" + xref + "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n" +
           std::to_string(pdf.size()) + "\n%%EOF\n";
    const std::string damaged_dir = scratch().path("damaged-in-folder");
    fs::create_directories(damaged_dir);
    fs::copy_file(corpus("seeds/004_361d8fbe3341eb2a.txt"), damaged_dir + "/report.txt", fs::copy_options::overwrite_existing);
    const std::string damaged = scratch().write("damaged-in-folder/a.pdf", pdf);
    Run in_folder = run_gouji("check --format json " + shell_quoted(damaged_dir));
    CHECK(in_folder.exit_code == 1);
    CHECK(in_folder.err.find("passed over") == std::string::npos);
    CHECK(in_folder.err.find(damaged + ": warning: poppler reported") != std::string::npos);
    REQUIRE(nlohmann::json::parse(in_folder.out)["reports"].size() == 2);

    // A folder of no report but the README holds none, as an empty one.
    const std::string only = scratch().path("only-readme");
    fs::create_directories(only);
    fs::copy_file(readme, only + "/README.md", fs::copy_options::overwrite_existing);
    Run none = run_gouji("check --format json " + shell_quoted(only));
    CHECK(none.exit_code == 2);
    CHECK(none.err.ends_with("gouji check: error: no reports under the paths given: the file found there is no report "
                             "(give report files, or folders that hold some)\n"));
    CHECK(nlohmann::json::parse(none.out)["reports"].empty());
}

TEST_CASE("cli: a batch's JSON is written a report at a time, as if printed whole") {
    // Each report as it reads alone, in the order given, and the text exactly as
    // the JSON library prints the whole document (indentation included).
    const std::vector<std::string> seeds = {"seeds/000_831a942c0d0dfd8c.txt", seed002, "seeds/003_facd0ed23eb95129.txt"};
    std::string args = "check --format json";
    for (const auto& s : seeds) args += " " + shell_quoted(corpus(s));
    Run batch = run_gouji(args + " " + shell_quoted(scratch().path("no-such-report.txt")));
    CHECK(batch.exit_code == 2);
    auto doc = nlohmann::ordered_json::parse(batch.out);
    CHECK(batch.out == doc.dump(1) + "\n");
    REQUIRE(doc["reports"].size() == seeds.size() + 1);
    for (std::size_t i = 0; i < seeds.size(); ++i) {
        Run alone = run_gouji("check --format json " + shell_quoted(corpus(seeds[i])));
        CHECK(doc["reports"][i] == nlohmann::ordered_json::parse(alone.out)["reports"][0]);
    }
    CHECK(doc["reports"][seeds.size()].contains("error"));
}

TEST_CASE("cli: --jobs changes nothing of what is written: stdout, stderr and exit code, text and JSON") {
    // Every corpus report, a DOCX, two PDFs (read one at a time, whatever the
    // threads) and a corrupt file: a report written out of turn, or a message on
    // stderr away from its report, would show.
    const std::string batch = scratch().path("jobs");
    fs::create_directories(batch);
    auto add = [&](const fs::path& report, const std::string& name) {
        fs::copy_file(report, batch + "/" + name, fs::copy_options::overwrite_existing);
    };
    for (const auto& e : fs::recursive_directory_iterator(corpus("")))
        if (e.is_regular_file() && e.path().filename() != "README.md" &&
            e.path().filename().string().find(".check.") == std::string::npos &&
            e.path().filename().string().find(".explain.") == std::string::npos)
            add(e.path(), e.path().filename().string());
    const std::string fixtures = gouji::test::test_dir() + "/fixtures/";
    add(fixtures + "docx/report-2020.docx", "report-2020.docx");
    add(fixtures + "pdf/report-2021.pdf", "a.pdf");
    add(fixtures + "pdf/report-2021.pdf", "b.pdf");
    // Unreadable reports spread through the batch, each a line on stderr.
    scratch().write("jobs/a-corrupt.docx", std::string("PK\x03\x04", 4) + "this is no zip archive");
    scratch().write("jobs/m-empty.txt", "");
    scratch().write("jobs/p-cut.pdf", "%PDF-1.4\n1 0 obj\n");
    scratch().write("jobs/z-empty.html", "");
    const std::string paths = shell_quoted(batch) + " " + shell_quoted(scratch().path("no-such-report.txt")) + " " +
                              shell_quoted(corpus(seed002));
    for (const std::string format : {"text", "json"}) {
        CAPTURE(format);
        Run one = run_gouji("check --jobs 1 --format " + format + " " + paths);
        CHECK(one.exit_code == 2);
        CHECK(count_lines(one.err) == 5);
        for (const std::string jobs : {"2", "5"}) {
            CAPTURE(jobs);
            Run many = run_gouji("check --jobs " + jobs + " --format " + format + " " + paths);
            CHECK(many.exit_code == one.exit_code);
            CHECK(many.out == one.out);
            CHECK(many.err == one.err);
        }
    }
    CHECK(run_gouji("check --jobs 0 " + shell_quoted(corpus(seed002))).exit_code == 2);
    CHECK(run_gouji("check --jobs 100000 " + shell_quoted(corpus(seed002))).exit_code == 2);
}

TEST_CASE("cli: --pack takes one file, whatever follows it") {
    // Options after the reports are common ("--pack p.yaml report.txt --format json");
    // the report must not be read as a second pack.
    std::string pack = scratch().write("one.yaml", "pack: one\nrules: []\n");
    Run r = run_gouji("check --pack " + shell_quoted(pack) + " " + shell_quoted(corpus(seed002)) + " --format json");
    INFO(r.err);
    CHECK(r.exit_code == 1);
    auto doc = nlohmann::json::parse(r.out);
    REQUIRE(doc["reports"].size() == 1);
    CHECK(has_finding(doc["reports"][0], "T3-BALANCE"));
}

TEST_CASE("cli: a .yaml file among the reports is a pack given without its --pack: an input error, not a report") {
    // `--pack a.yaml b.yaml REPORT`: b.yaml was audited as a report, its findings
    // (no sections, no tables) hiding that the pack was left out.
    std::string a = scratch().write("given-a.yaml", "pack: given-a\nrules: []\n");
    std::string b = scratch().write("given-b.YML", "pack: given-b\nrules: []\n");
    Run r = run_gouji("check --format json --pack " + shell_quoted(a) + " " + shell_quoted(b) + " " +
                      shell_quoted(corpus(seed002)));
    CHECK(r.exit_code == 2);
    CHECK(r.err == b + ": error: this is a rule pack or template file, not a report (give each pack with its own "
                       "--pack FILE, a template file with --templates FILE)\n");
    auto doc = nlohmann::json::parse(r.out);
    REQUIRE(doc["reports"].size() == 2);  // the rest of the batch is still audited
    CHECK(doc["reports"][0]["file"] == b);
    CHECK(doc["reports"][0]["error"]["text"] == r.err.substr(0, r.err.size() - 1));
    CHECK(doc["reports"][0]["findings"].empty());
    CHECK(has_finding(doc["reports"][1], "T3-BALANCE"));
    // The text's closing line counts it as a report that could not be read.
    Run text = run_gouji("check " + shell_quoted(b) + " " + shell_quoted(corpus(seed002)));
    CHECK(text.exit_code == 2);
    // Named there, so that results kept in a file say which report they lack.
    CHECK(text.out.find("\nchecked 2 reports (1 could not be read: " + b + "): ") != std::string::npos);
    // A folder is searched by the reports' extensions: a pack in it is passed over.
    scratch().write("with-pack/local.yaml", "pack: local\nrules: []\n");
    fs::copy_file(corpus(seed002), scratch().path("with-pack/report.txt"), fs::copy_options::overwrite_existing);
    Run folder = run_gouji("check --format json " + shell_quoted(scratch().path("with-pack")));
    CHECK(folder.exit_code == 1);
    CHECK(folder.err.empty());
    CHECK(nlohmann::json::parse(folder.out)["reports"].size() == 1);
    // The help shows one file per --pack.
    Run help = run_gouji("check --help");
    CHECK(help.out.find("--pack FILE ") != std::string::npos);
    CHECK(help.out.find("--pack TEXT") == std::string::npos);
    CHECK(help.out.find("--previous PATH ") != std::string::npos);
    CHECK(help.out.find(" ...  ") == std::string::npos);
}

TEST_CASE("cli: --pack disables a standard rule by id, or adds one, with no rebuild") {
    Run before = run_gouji("check --format json " + shell_quoted(corpus(seed002)));
    auto base = nlohmann::json::parse(before.out)["reports"][0];
    REQUIRE(has_finding(base, "T3-BALANCE"));

    std::string disable = scratch().write("disable.yaml", R"(pack: local-disable
extends: [gov-tables]
overrides:
  - id: T3-BALANCE
    disabled: true
)");
    Run r = run_gouji("check --format json --pack " + shell_quoted(disable) + " " + shell_quoted(corpus(seed002)));
    INFO(r.err);
    auto report = nlohmann::json::parse(r.out)["reports"][0];
    CHECK_FALSE(has_finding(report, "T3-BALANCE"));
    CHECK(has_finding(report, "T3-ROW-SUM"));
    CHECK(r.exit_code == 1);
    // One failing relation left: no single cell can be blamed any more.
    for (const auto& f : report["findings"]) CHECK_FALSE(f.contains("suggestion"));

    std::string add = scratch().write("add.yaml", R"(pack: local-add
applies-to: template == "gov-2019"
rules:
  - id: LOCAL-NEW-REQUESTS
    severity: warning
    kind: consistency
    check: 表三.本年新收.总计 < 200
    message: "本年新收 {表三.本年新收.总计} 件，超过本地预警线 200"
)");
    // A severity an override set says which pack set it; the rule's own says none.
    std::string soften = scratch().write("soften.yaml", R"(pack: local-soften
extends: [gov-tables]
overrides:
  - {id: T3-BALANCE, severity: warning}
)");
    Run w = run_gouji("check --format json --pack " + shell_quoted(soften) + " " + shell_quoted(corpus(seed002)));
    // A finding not assessable is an info, whatever the override: it names no pack.
    const auto softened = nlohmann::json::parse(w.out);
    std::size_t softened_balances = 0;
    for (const auto& f : softened["reports"][0]["findings"]) {
        if (f["rule"] == "T3-BALANCE" && f["assessable"] == true) {
            ++softened_balances;
            CHECK(f["severity"] == "warning");
            CHECK(f["severity_from"] == "local-soften");
            CHECK(f["pack"] == "gov-tables");
        } else {
            CHECK(f["severity_from"].is_null());
        }
    }
    CHECK(softened_balances > 0);

    Run a = run_gouji("check --format json --pack " + shell_quoted(add) + " " + shell_quoted(corpus(seed002)));
    auto added = nlohmann::json::parse(a.out)["reports"][0];
    REQUIRE(has_finding(added, "LOCAL-NEW-REQUESTS"));
    for (const auto& f : added["findings"])
        if (f["rule"] == "LOCAL-NEW-REQUESTS") {
            CHECK(f["message"] == "本年新收 231 件，超过本地预警线 200");
            CHECK(f["severity"] == "warning");
            CHECK(f["pack"] == "local-add");
        }
    CHECK(has_finding(added, "T3-BALANCE"));

    // Only the pack given.
    Run only = run_gouji("check --format json --no-standard --pack " + shell_quoted(add) + " " + shell_quoted(corpus(seed002)));
    auto alone = nlohmann::json::parse(only.out)["reports"][0];
    CHECK(alone["findings"].size() == 1);
    CHECK(only.exit_code == 0);
}

TEST_CASE("cli: a rule that cannot finish on a report is an error of its own, the other rules' findings stand") {
    std::string slow = scratch().write("slow.yaml", R"(pack: local-slow
rules:
  - id: SLOW
    severity: error
    kind: consistency
    check: all(a in 表三.rows, all(b in 表三.rows, all(c in 表三.rows, all(d in 表三.rows, all(e in 表三.rows, a.总计 >= 0)))))
)");
    Run r = run_gouji("check --format json --pack " + shell_quoted(slow) + " " + shell_quoted(corpus(seed002)));
    CHECK(r.exit_code == 2);
    CHECK(count_lines(r.err) == 1);
    CHECK(r.err.rfind(slow + ":3:9: error: rule 'SLOW' needs more than 2000000 evaluation steps for report " +
                          corpus(seed002),
                      0) == 0);
    // The report's size tells a reviewer who cannot edit the rule that splitting an
    // ordinary report would not help.
    INFO(r.err);
    CHECK(r.err.find(" (the report is of an ordinary size (its text 10 KB, ") != std::string::npos);
    CHECK(r.err.ends_with(" figures in its prose): the rule is at fault, tell its author; if you wrote it, simplify "
                          "its quantifiers or split it into several rules)\n"));
    auto report = nlohmann::json::parse(r.out)["reports"][0];
    CHECK_FALSE(report.contains("error"));
    REQUIRE(report["rule_errors"].size() == 1);
    CHECK(report["rule_errors"][0]["file"] == slow);
    CHECK(report["rule_errors"][0]["line"] == 3);
    CHECK(report["rule_errors"][0]["rule"] == "SLOW");  // for tools, without reading the message
    CHECK(has_finding(report, "T3-BALANCE"));  // the standard packs' findings are all there
}

TEST_CASE("cli: a rule over cells of few distinct numbers still meets the work bound as a check of each cell") {
    // gouji runs without verification: checks whose cell's number was seen are
    // counted without their plan (RuleRunner::bind_last_by_cell), and charged the
    // steps the first one took. Each check here costs about 90,000 steps; seed 002
    // has 175 cells, and far fewer distinct numbers.
    std::string heavy = scratch().write("heavy.yaml", R"(pack: local-heavy
rules:
  - id: HEAVY
    severity: error
    kind: consistency
    for:
      - r in 表三.rows
      - c in 表三.columns
    when: present(r[c])
    check: count(x in 表三.rows, count(y in 表三.columns, count(z in 表三.rows, count(w in [1, 2], r[c] <= 1000000000) > 0) > 0) > 0) >= 0
)");
    Run r = run_gouji("check --format json --no-standard --pack " + shell_quoted(heavy) + " " + shell_quoted(corpus(seed002)));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("rule 'HEAVY' needs more than 2000000 evaluation steps") != std::string::npos);
}

TEST_CASE("cli: a file name that is not UTF-8 keeps the JSON of the batch valid") {
    std::string good = corpus(seed002);
    std::string odd = scratch().path("gbk\xb1\xa8\xb8\xe6.txt");  // 报告 in GBK
    fs::copy_file(good, odd, fs::copy_options::overwrite_existing);
    Run r = run_gouji("check --format json " + shell_quoted(good) + " " + shell_quoted(odd));
    CHECK(r.exit_code == 1);
    auto doc = nlohmann::json::parse(r.out);
    REQUIRE(doc["reports"].size() == 2);
    CHECK(doc["reports"][1]["file"] == scratch().path("gbk\uFFFD\uFFFD\uFFFD\uFFFD.txt"));
    CHECK(doc["reports"][1]["findings"].size() == doc["reports"][0]["findings"].size());
}

TEST_CASE("cli: control characters of a report reach the terminal as U+FFFD, not as commands") {
    // Seed 002 with an escape sequence (clear the screen) at the end of the line its T3 findings quote.
    std::string text = gouji::test::read_text_file(corpus(seed002));
    std::size_t row = text.find("| 一、本年新收政府信息公开申请数量");
    REQUIRE(row != std::string::npos);
    text.insert(text.find('\n', row), "\x1b[2J\x07");
    std::string report = scratch().write("escapes.md", text);
    Run r = run_gouji("check " + shell_quoted(report));
    CHECK(r.exit_code == 1);
    CHECK(r.out.find('\x1b') == std::string::npos);
    CHECK(r.out.find('\x07') == std::string::npos);
    CHECK(r.out.find("\uFFFD[2J\uFFFD") != std::string::npos);
}

TEST_CASE("cli: results that cannot be written are an error, not a silent success") {
    REQUIRE(fs::exists("/dev/full"));  // writes to it fail with ENOSPC
    std::string err = scratch().path("full-stderr");
    std::string cmd = "NO_COLOR=1 " + shell_quoted(GOUJI_BINARY) + " check " + shell_quoted(corpus(seed002)) +
                      " >/dev/full 2>" + shell_quoted(err);
    int status = std::system(cmd.c_str());
    CHECK((WIFEXITED(status) ? WEXITSTATUS(status) : -1) == 2);
    CHECK(gouji::test::read_text_file(err).find("could not write the results") != std::string::npos);
}

TEST_CASE("cli: a model that cannot be written is an error of explain too, in either format") {
    REQUIRE(fs::exists("/dev/full"));
    for (const std::string format : {"text", "json"}) {
        CAPTURE(format);
        std::string err = scratch().path("explain-full-stderr");
        std::string cmd = shell_quoted(GOUJI_BINARY) + " explain --format " + format + " " + shell_quoted(corpus(seed002)) +
                          " >/dev/full 2>" + shell_quoted(err);
        int status = std::system(cmd.c_str());
        CHECK((WIFEXITED(status) ? WEXITSTATUS(status) : -1) == 2);
        CHECK(gouji::test::read_text_file(err).find("could not write the model") != std::string::npos);
    }
}

TEST_CASE("cli: a reader that goes away mid-batch stops gouji quietly, with the exit code of what was written") {
    std::string err = scratch().path("pipe-stderr");
    std::string args;
    // Twenty files: one file named twenty times is checked once.
    for (int i = 0; i < 20; ++i) {
        const std::string copy = scratch().path("gone-reader/" + std::to_string(i) + ".txt");
        fs::create_directories(fs::path(copy).parent_path());
        fs::copy_file(corpus(seed002), copy, fs::copy_options::overwrite_existing);
        args += " " + shell_quoted(copy);
    }
    // `head` reads one byte and leaves; gouji's next writes find the pipe closed.
    // That is normal use (`gouji check … | head`): no error, and the exit code of
    // the reports written (their error findings: 1), not 2, nor SIGPIPE's 141. Nor
    // a note that last year's report was compared with nothing: the report that would
    // have been compared with it, last, was never audited.
    args = " --previous " + shell_quoted(gouji::test::test_dir() + "/fixtures/markdown/report-2021.md") + args + " " +
           shell_quoted(gouji::test::test_dir() + "/fixtures/across-years/yunling-2022.md");
    std::string cmd = "bash -c " + shell_quoted("NO_COLOR=1 " + shell_quoted(GOUJI_BINARY) + " check" + args + " 2>" +
                                                shell_quoted(err) + " | head -c 1 >/dev/null; exit ${PIPESTATUS[0]}");
    int status = std::system(cmd.c_str());
    CHECK((WIFEXITED(status) ? WEXITSTATUS(status) : -1) == 1);
    CHECK(gouji::test::read_text_file(err).empty());
    // explain likewise, in either format; an unreadable file before the reader left keeps its 2.
    const std::string one = scratch().path("gone-reader/0.txt"), two = scratch().path("gone-reader/1.txt");
    for (const std::string format : {"text", "json"})
        for (const bool missing_first : {false, true}) {
            CAPTURE(format);
            CAPTURE(missing_first);
            std::string files = (missing_first ? shell_quoted(scratch().path("gone-reader/none.txt")) + " " : "");
            for (int i = 0; i < 20; ++i) files += shell_quoted(i % 2 ? one : two) + " ";
            std::string explain = "bash -c " + shell_quoted(shell_quoted(GOUJI_BINARY) + " explain --format " + format +
                                                            " " + files + "2>" + shell_quoted(err) +
                                                            " | head -1 >/dev/null; exit ${PIPESTATUS[0]}");
            int explained = std::system(explain.c_str());
            CHECK((WIFEXITED(explained) ? WEXITSTATUS(explained) : -1) == (missing_first ? 2 : 0));
            const std::string said = gouji::test::read_text_file(err);
            CHECK(said.find("could not write") == std::string::npos);
            CHECK(count_lines(said) == (missing_first ? 1u : 0u));
        }
}

TEST_CASE("cli: a pack with a syntax error exits 2 with file:line:col, the line and a caret") {
    std::string bad = scratch().write("bad.yaml", R"(pack: local-bad
applies-to: template == "gov-2019"
rules:
  - id: BROKEN
    severity: error
    kind: sum
    check: 表三.本年新收.总计 + == 3
)");
    Run r = run_gouji("check --pack " + shell_quoted(bad) + " " + shell_quoted(corpus(seed002)));
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    INFO(r.err);
    CHECK(r.err.rfind(bad + ":7:", 0) == 0);
    CHECK(r.err.find("\n    check: 表三.本年新收.总计 + == 3\n") != std::string::npos);
    CHECK(r.err.find("^\n") != std::string::npos);
}

TEST_CASE("cli: a --templates file that replaces a standard template is named when the packs then fail") {
    std::string local = scratch().write("local-templates.yaml", R"(templates:
  - id: gov-2019
    title: local copy
    years: {from: 2019, to: 2020}
    sections:
      - {id: 总体情况, number: 1}
    tables: []
)");
    Run r = run_gouji("--templates " + shell_quoted(local) + " check " + shell_quoted(corpus(seed002)));
    CHECK(r.exit_code == 2);
    INFO(r.err);
    CHECK(r.err.find("error: table '表二' is not in gov-2019") != std::string::npos);
    CHECK(r.err.find(local + ": note: template 'gov-2019' is the one this file (--templates) defines") != std::string::npos);
}

TEST_CASE("cli: the --templates note is printed only for a template the packs' errors concern") {
    // A template of one's own, sound; a pack with an error that has nothing to do with it.
    std::string local = scratch().write("gov-2026-note.yaml", "templates:\n  - id: gov-2026\n    based-on: gov-2021\n    years: {from: 2026}\n");
    std::string typo = scratch().write("typo-pack.yaml", "pack: typo\nrules:\n  - id: T\n    severity: error\n    kind: sum\n"
                                                         "    check: 表三.本年新收.总计 + == 3\n");
    Run unrelated = run_gouji("--templates " + shell_quoted(local) + " check --pack " + shell_quoted(typo) + " " +
                              shell_quoted(corpus(seed002)));
    CHECK(unrelated.exit_code == 2);
    INFO(unrelated.err);
    CHECK(unrelated.err.rfind(typo + ":6:", 0) == 0);
    CHECK(unrelated.err.find("note:") == std::string::npos);
    // An unknown row of a table the template has: it may come from the template, which is named.
    std::string row = scratch().write("row-pack.yaml", "pack: row\nrules:\n  - id: R\n    severity: error\n    kind: sum\n"
                                                       "    check: 表三.本年新收年.总计 == 3\n");
    Run related = run_gouji("--templates " + shell_quoted(local) + " check --pack " + shell_quoted(row) + " " +
                            shell_quoted(corpus(seed002)));
    CHECK(related.exit_code == 2);
    INFO(related.err);
    CHECK(related.err.find(local + ": note: template 'gov-2026' is the one this file (--templates) defines") != std::string::npos);
}

TEST_CASE("cli: a template file's errors come all at once, with line and caret, before or after the command") {
    std::string bad = scratch().write("two-errors.yaml", R"(templates:
  - id: gov-2026
    based-on: gov-2021
    years: {from: 2026}
    tables:
      - id: 表四
        columns: [{id: 总计, alias: [合计]}]
        groups: [复议]
        rows: [{id: 行政复议, group: 复意}]
)");
    const std::string expected = bad + ":7:28: error: unknown key 'alias' in a column (did you mean 'aliases'?) (the keys here are id, label, aliases, unit)\n"
                                       "        columns: [{id: 总计, alias: [合计]}]\n"
                                       "                             ^\n" +  // 总计 takes four columns
                                 bad + ":9:34: error: unknown group '复意' (declare it under the table's 'groups')\n"
                                       "        rows: [{id: 行政复议, group: 复意}]\n"
                                       "                                     ^\n";
    for (const std::string& args : {"--templates " + shell_quoted(bad) + " explain " + shell_quoted(corpus(seed002)),
                                    "explain --templates " + shell_quoted(bad) + " " + shell_quoted(corpus(seed002))}) {
        CAPTURE(args);
        Run r = run_gouji(args);
        CHECK(r.exit_code == 2);
        CHECK(r.out.empty());
        CHECK(r.err == expected);
    }
    for (const std::string& args : {"--templates " + shell_quoted(bad) + " check " + shell_quoted(corpus(seed002)),
                                    "check --templates " + shell_quoted(bad) + " " + shell_quoted(corpus(seed002))}) {
        CAPTURE(args);
        Run r = run_gouji(args);
        CHECK(r.exit_code == 2);
        CHECK(r.out.empty());
        CHECK(r.err == expected + "gouji check: note: the rule packs were not compiled: their errors could follow from the "
                                  "templates'; fix these first\n");
    }
    // After the command, a sound file is used as before it is.
    std::string good = scratch().write("gov-2025-after.yaml", "templates:\n  - id: gov-2025\n    based-on: gov-2021\n    years: {from: 2025}\n");
    Run after = run_gouji("explain --templates " + shell_quoted(good) + " " + shell_quoted(corpus("real/shuyang-2025.txt")));
    CHECK(after.exit_code == 0);
    CHECK(after.out.find("report year 2025 → gov-2025") != std::string::npos);
}

TEST_CASE("cli: a let or param holding `template` names the templates based on the one it is compared with") {
    std::string later = scratch().write("gov-2025-let.yaml", "templates:\n  - id: gov-2025\n    based-on: gov-2021\n    years: {from: 2025}\n");
    std::string pack = scratch().write("template-held.yaml", R"yaml(pack: template-held
params:
  form: template
rules:
  - id: BY-LET
    severity: error
    kind: consistency
    let:
      t: template
    check: t != "gov-2021"
    message: "let: {t}"
  - id: BY-PARAM
    severity: error
    kind: consistency
    check: not (form in ["gov-2019", "gov-2021"])
    message: "param: {form}"
  - id: BY-TEMPLATE
    severity: error
    kind: consistency
    check: template != "gov-2021"
    message: "template: {template}"
  - id: LAST-YEAR
    severity: info
    kind: consistency
    check: form == previous(form)
)yaml");
    Run r = run_gouji("--templates " + shell_quoted(later) + " check --no-standard --format json --pack " + shell_quoted(pack) +
                      " " + shell_quoted(corpus("real/shuyang-2025.txt")));
    INFO(r.err);
    REQUIRE(r.exit_code == 1);
    const nlohmann::json doc = nlohmann::json::parse(r.out);
    CHECK(doc["reports"][0]["template"] == "gov-2025");
    std::map<std::string, std::string> messages;
    for (const auto& f : doc["reports"][0]["findings"]) {
        // The param is a param still: previous() reads it in last year's report (none given).
        if (f["rule"] == "LAST-YEAR") {
            CHECK(f["assessable"] == false);
            continue;
        }
        messages[f["rule"].get<std::string>()] = f["message"].get<std::string>();
    }
    // All three fail alike: gov-2025 is held to gov-2021's rules however `template` is reached.
    CHECK(messages == std::map<std::string, std::string>{
                          {"BY-LET", "let: gov-2025"}, {"BY-PARAM", "param: gov-2025"}, {"BY-TEMPLATE", "template: gov-2025"}});
}

TEST_CASE("cli: a --templates file adds the words a report's metadata is read by, no rebuild") {
    // A period stated with a key the standard words lack: not found, so not checked.
    std::string report = scratch().write("own-period-key.txt", "某县人民政府2021年政府信息公开工作年度报告\n"
                                                             "本报告中数据的报告区间为2020年1月1日至2020年12月31日。\n");
    auto rules = [](const Run& r) {
        std::set<std::string> ids;
        const nlohmann::json doc = nlohmann::json::parse(r.out);
        for (const auto& f : doc["reports"][0]["findings"]) ids.insert(f["rule"].get<std::string>());
        return ids;
    };
    Run standard = run_gouji("check --format json " + shell_quoted(report));
    INFO(standard.err);
    REQUIRE_FALSE(standard.out.empty());
    CHECK(rules(standard).count("PERIOD-FOUND") == 1);
    CHECK(rules(standard).count("PERIOD-YEAR") == 0);
    std::string words = scratch().write("period-words.yaml", "metadata:\n  period-keys: [报告区间]\ntemplates: []\n");
    Run added = run_gouji("--templates " + shell_quoted(words) + " check --format json " + shell_quoted(report));
    INFO(added.err);
    REQUIRE_FALSE(added.out.empty());
    CHECK(rules(added).count("PERIOD-FOUND") == 0);
    CHECK(rules(added).count("PERIOD-YEAR") == 1);  // 2020 is not the report's year
}

TEST_CASE("cli: a template based on another takes its years over and is held to its rules, no rebuild") {
    // A new form from 2025 that changes nothing yet: shuyang-2025 gets it, and every
    // standard rule that names gov-2021 holds it to the same.
    std::string based = scratch().write("gov-2025.yaml", R"(templates:
  - id: gov-2025
    title: 新格式
    based-on: gov-2021
    years: {from: 2025}
)");
    const std::string report = corpus("real/shuyang-2025.txt");
    Run standard = run_gouji("check --format json " + shell_quoted(report));
    Run local = run_gouji("--templates " + shell_quoted(based) + " check --format json " + shell_quoted(report));
    INFO(local.err);
    REQUIRE_FALSE(local.out.empty());
    const auto a = nlohmann::json::parse(standard.out)["reports"][0];
    const auto b = nlohmann::json::parse(local.out)["reports"][0];
    CHECK(a["template"] == "gov-2021");
    CHECK(b["template"] == "gov-2025");
    CHECK(a["findings"] == b["findings"]);
    CHECK(a["summary"] == b["summary"]);
    CHECK(local.err.find("no rule checks") == std::string::npos);
    // Based on none, a template's tables are checked by no standard rule: said, not left to pass.
    std::string alone = scratch().write("alone.yaml", R"(templates:
  - id: gov-2025
    years: {from: 2025}
    sections: [总体情况]
    tables:
      - {id: 表九, columns: [总计], rows: [合计]}
)");
    Run unchecked = run_gouji("--templates " + shell_quoted(alone) + " check " + shell_quoted(report));
    CHECK(unchecked.err.find(alone + ": note: no rule checks the tables of template 'gov-2025'") != std::string::npos);
    Run explained = run_gouji("--templates " + shell_quoted(based) + " explain " + shell_quoted(report));
    CHECK(explained.out.find("report year 2025 → gov-2025 (新格式, based on gov-2021)") != std::string::npos);
}

TEST_CASE("cli: a rule reading a row a based-on template drops does not check its reports, and is named") {
    // A new form without 二、上年结转 (a hypothetical 2026 表三): the rules that read that
    // row leave its reports alone, and the others still check them. No rebuild, no override.
    std::string dropped = scratch().write("gov-2026-dropped.yaml", R"(templates:
  - id: gov-2026
    based-on: gov-2021
    years: {from: 2026}
    tables:
      - id: 表三
        label: 收到和处理政府信息公开申请情况
        section: 收到和处理政府信息公开申请情况
        anchors: [本列数据的勾稽关系, 本年新收政府信息公开申请数量]
        columns: [自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, {id: 总计, aliases: [合计]}]
        column-groups: [申请人情况, 法人或其他组织]
        groups: [{id: 本年度办理结果, label: 三、本年度办理结果}, {id: 不予公开, label: （三）不予公开},
                 {id: 无法提供, label: （四）无法提供}, {id: 不予处理, label: （五）不予处理}, {id: 其他处理, label: （六）其他处理}]
        rows:
          - {id: 本年新收, label: 一、本年新收政府信息公开申请数量}
          - {id: 予以公开, label: （一）予以公开, group: 本年度办理结果}
          - {id: 部分公开, label: （二）部分公开（区分处理的，只计这一情形，不计其他情形）, group: 本年度办理结果}
          - {id: 国家秘密, label: 1.属于国家秘密, group: 不予公开}
          - {id: 法律法规禁止, label: 2.其他法律行政法规禁止公开, group: 不予公开}
          - {id: 三安全一稳定, label: 3.危及“三安全一稳定”, group: 不予公开}
          - {id: 第三方合法权益, label: 4.保护第三方合法权益, group: 不予公开}
          - {id: 内部事务信息, label: 5.属于三类内部事务信息, group: 不予公开}
          - {id: 过程性信息, label: 6.属于四类过程性信息, group: 不予公开}
          - {id: 行政执法案卷, label: 7.属于行政执法案卷, group: 不予公开}
          - {id: 行政查询事项, label: 8.属于行政查询事项, group: 不予公开}
          - {id: 不掌握, label: 1.本机关不掌握相关政府信息, group: 无法提供}
          - {id: 另行制作, label: 2.没有现成信息需要另行制作, group: 无法提供}
          - {id: 补正后不明确, label: 3.补正后申请内容仍不明确, group: 无法提供}
          - {id: 信访举报投诉, label: 1.信访举报投诉类申请, group: 不予处理}
          - {id: 重复申请, label: 2.重复申请, group: 不予处理}
          - {id: 公开出版物, label: 3.要求提供公开出版物, group: 不予处理}
          - {id: 大量反复申请, label: 4.无正当理由大量反复申请, group: 不予处理}
          - {id: 确认或重新出具, label: 5.要求行政机关确认或重新出具已获取信息, group: 不予处理}
          - {id: 逾期不补正, label: 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请, group: 其他处理}
          - {id: 逾期未缴费, label: 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请, group: 其他处理}
          - {id: 其他处理其他, label: 3.其他, group: 其他处理}
          - {id: 总计, label: （七）总计, group: 本年度办理结果, aliases: [合计]}
          - {id: 结转下年度继续办理, label: 四、结转下年度继续办理}
)");
    // The fixture, as a 2026 report, its 上年结转 row five too many (2 → 7): T3-BALANCE fails on gov-2021.
    std::string text = gouji::test::read_text_file(gouji::test::test_dir() + "/fixtures/markdown/report-2021.md");
    for (std::size_t at = text.find("2021"); at != std::string::npos; at = text.find("2021", at)) text.replace(at, 4, "2026");
    const std::string row = "| 二、上年结转政府信息公开申请数量 |  |  | 2 |";
    REQUIRE(text.find(row) != std::string::npos);
    text.replace(text.find(row), row.size(), "| 二、上年结转政府信息公开申请数量 |  |  | 7 |");
    std::string report = scratch().write("carried-in-2026.md", text);
    auto rules = [](const Run& r) {
        std::multiset<std::string> ids;
        const nlohmann::json doc = nlohmann::json::parse(r.out);
        for (const auto& f : doc["reports"][0]["findings"]) ids.insert(f["rule"].get<std::string>());
        return ids;
    };
    Run standard = run_gouji("check --format json " + shell_quoted(report));
    REQUIRE_FALSE(standard.out.empty());
    CHECK(rules(standard).count("T3-BALANCE") == 1);
    Run local = run_gouji("--templates " + shell_quoted(dropped) + " check --format json " + shell_quoted(report));
    INFO(local.err);
    CHECK(local.exit_code == 1);
    REQUIRE_FALSE(local.out.empty());
    CHECK(nlohmann::json::parse(local.out)["reports"][0]["template"] == "gov-2026");
    CHECK(rules(local).count("T3-BALANCE") == 0);
    CHECK(rules(local).count("T3-BALANCE-TOTAL") == 0);
    // The others hold it to the same: the fixture's own two sums still fail.
    CHECK(rules(local).count("T3-ROW-SUM") >= 1);
    CHECK(rules(local).count("T3-OUTCOME-SUM") >= 1);
    CHECK(local.err.find(dropped + ": note: ") != std::string::npos);
    CHECK(local.err.find("rules do not check the reports of template 'gov-2026': 表三 has no row '上年结转' (") != std::string::npos);
    CHECK(local.err.find(" T3-BALANCE)") != std::string::npos);
    // A rule of one's own that admits only the new form and reads the row it lacks is a mistake in the rule.
    std::string pack = scratch().write("only-2026.yaml", "pack: only-2026\nrules:\n  - id: ONLY\n"
                                                         "    applies-to: template == \"gov-2026\"\n    severity: error\n"
                                                         "    kind: sum\n    check: 表三.上年结转.总计 == 0\n");
    Run own = run_gouji("--templates " + shell_quoted(dropped) + " check --pack " + shell_quoted(pack) + " " + shell_quoted(report));
    CHECK(own.exit_code == 2);
    CHECK(own.err.rfind(pack + ":7:15: error: unknown row or member '上年结转' in 表三", 0) == 0);
    // One's own packs alone are set aside the same, and said so (user tester): only the
    // note that no rule checks the template, whose advice is the standard packs', is not given.
    std::string for_2021 = scratch().write("for-2021.yaml", "pack: for-2021\nrules:\n  - id: CARRIED\n"
                                                             "    severity: error\n    kind: sum\n"
                                                             "    check: 表三.上年结转.总计 >= 0\n");
    Run alone = run_gouji("--templates " + shell_quoted(dropped) + " check --no-standard --pack " + shell_quoted(for_2021) + " " +
                          shell_quoted(report));
    CHECK(alone.exit_code == 0);
    CHECK(alone.err == dropped + ": note: 1 rule does not check the reports of template 'gov-2026': 表三 has no row "
                                 "'上年结转' (CARRIED); give the template what they read (under a label of its own) if they should\n");
}

TEST_CASE("cli: templates that give no metadata words are refused, not read as reports of unknown year") {
    // A rule pack folder kept from before the words moved into templates.yaml.
    std::string dir = scratch().path("old-rulepacks");
    fs::create_directories(dir);
    std::string templates = gouji::test::read_text_file(gouji::default_rulepack_dir() + "/templates.yaml");
    const std::size_t from = templates.find("\nmetadata:\n"), to = templates.find("\ncommon:\n");
    REQUIRE(from != std::string::npos);
    REQUIRE(to != std::string::npos);
    templates.erase(from + 1, to - from);
    scratch().write("old-rulepacks/templates.yaml", templates);
    Run r = run_gouji_with("GOUJI_RULEPACKS=" + shell_quoted(dir), "explain " + shell_quoted(corpus(seed002)));
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.rfind(dir + "/templates.yaml: error: no file defines the words a report's title and statistics period", 0) == 0);
}

TEST_CASE("cli: usage errors are said as gouji's other errors, with the command's help, and exit 2") {
    const std::string report = shell_quoted(corpus(seed002));
    const std::string first = scratch().write("empty-value/a.txt", read_text_file(corpus(seed002)));
    const std::string a = shell_quoted(first), b = shell_quoted(corpus("seeds/000_831a942c0d0dfd8c.txt"));
    struct Case {
        std::string args, err;
    };
    std::vector<Case> cases = {
        {"", "gouji: error: no command given: the commands are explain, check, diff (gouji --help)"},
        {"check", "gouji check: error: no report given: name the report files or folders to check (gouji check --help)"},
        {"explain", "gouji explain: error: no report given: name the report files to explain (gouji explain --help)"},
        // CLI11 said "paths is required" for this one: the unknown option is what is wrong.
        {"check --bogus", "gouji check: error: unknown option '--bogus' (gouji check --help)"},
        {"check --bogus " + report, "gouji check: error: unknown option '--bogus' (gouji check --help)"},
        {"check --jbos 2 " + report, "gouji check: error: unknown option '--jbos' (did you mean '--jobs'?) (gouji check --help)"},
        {"check -x " + report, "gouji check: error: unknown option '-x' (gouji check --help)"},
        {"--bogus check " + report, "gouji check: error: unknown option '--bogus' (gouji check --help)"},
        {"--bogus", "gouji: error: unknown option '--bogus' (gouji --help)"},
        {"explain --bogus " + report, "gouji explain: error: unknown option '--bogus' (gouji explain --help)"},
        // What the option takes, in gouji's words: CLI11 said "--jobs: Value abc not in
        // range 1 to 256", "--format: xml not in {text,json}", "--format: At Most 1
        // required but received 2", "no-standard was given a disallowed flag override".
        {"check --jobs 0 " + report, "gouji check: error: --jobs takes a whole number from 1 to 256, not '0' (gouji check --help)"},
        {"check -j0 " + report, "gouji check: error: --jobs takes a whole number from 1 to 256, not '0' (gouji check --help)"},
        {"check --jobs abc " + report, "gouji check: error: --jobs takes a whole number from 1 to 256, not 'abc' (gouji check --help)"},
        {"check --jobs 4.5 " + report, "gouji check: error: --jobs takes a whole number from 1 to 256, not '4.5' (gouji check --help)"},
        {"check --format xml " + report, "gouji check: error: --format takes text, json, sarif, junit, html or sqlite, not 'xml' (gouji check --help)"},
        {"explain --format yaml " + report, "gouji explain: error: --format takes text or json, not 'yaml' (gouji explain --help)"},
        {"check --format=json --format text " + report,
         "gouji check: error: --format is given more than once: give it once (gouji check --help)"},
        {"check -j 2 --jobs 3 " + report, "gouji check: error: --jobs is given more than once: give it once (gouji check --help)"},
        // A flag too (user tester): docs/cli.md says any option given twice is a usage error.
        {"check --no-standard --no-standard " + report,
         "gouji check: error: --no-standard is given more than once: give it once (gouji check --help)"},
        {"check --no-standard=x " + report,
         "gouji check: error: --no-standard takes no value: write --no-standard alone (gouji check --help)"},
        // CLI11 would read it as false, and run the standard packs.
        {"check --no-standard=no " + report,
         "gouji check: error: --no-standard takes no value: write --no-standard alone (gouji check --help)"},
        {"check " + report + " --format", "gouji check: error: --format needs a value (gouji check --help)"},
        {"check --pack", "gouji check: error: --pack needs a value (gouji check --help)"},
        {"--templates", "gouji: error: --templates needs a value (gouji --help)"},
        // An empty value, as any other (below): the main command's option before the command.
        {"--templates= check " + a, "gouji check: error: --templates needs a value (gouji check --help)"},
        {"check --no-standard= " + a,
         "gouji check: error: --no-standard takes no value: write --no-standard alone (gouji check --help)"},
        // After a flag, which takes no value: it was said as "The following argument was not expected".
        {"check --no-standard --bogus " + report, "gouji check: error: unknown option '--bogus' (gouji check --help)"},
        // The first problem in the command line is said: here the unknown option.
        {"check --bogus --output= " + a, "gouji check: error: unknown option '--bogus' (gouji check --help)"},
    };
    // An empty value, of any option of any command: `--output="$OUT"` with OUT unset.
    // CLI11 read "--output=" as "--output" alone and took the next argument as the
    // file, writing the results over the first report (exit 0); "-o ''" wrote them
    // to standard output. (command, its arguments, the option said)
    const std::vector<std::array<std::string, 3>> empty_values = {
        {"check", "--format json --output= " + a + " " + b, "--output"}, {"check", "--output= -j 2 " + b, "--output"},
        {"check", "-o '' " + a, "--output"}, {"check", "--output '' " + a, "--output"},
        {"check", "--previous= " + a + " " + b, "--previous"}, {"check", "--pack= " + a, "--pack"},
        {"check", "--pack '' " + a, "--pack"}, {"check", "--format= json " + a, "--format"},
        {"check", "--min-severity= " + a, "--min-severity"}, {"check", "--jobs= 2 " + a, "--jobs"},
        {"check", "-j '' " + a, "--jobs"}, {"check", "--templates= " + a, "--templates"},
        {"explain", "--format= " + a, "--format"}, {"diff", "--format= " + a + " " + b, "--format"},
    };
    for (const auto& [command, args, option] : empty_values)
        cases.push_back({command + " " + args,
                         "gouji " + command + ": error: " + option + " needs a value (gouji " + command + " --help)"});
    // Run where a file CLI11 would write ("-j", "--format") can be looked for.
    const std::string here = "cd " + shell_quoted(scratch().path("empty-value")) + " &&";
    for (const Case& c : cases) {
        CAPTURE(c.args);
        Run r = run_gouji_with(here, c.args);
        CHECK(r.exit_code == 2);
        CHECK(r.err == c.err + "\n");
        CHECK(r.out.empty());
    }
    CHECK(read_text_file(first) == read_text_file(corpus(seed002)));
    // Nothing was written beside it.
    CHECK(std::distance(fs::directory_iterator(scratch().path("empty-value")), fs::directory_iterator()) == 1);
    // After "--" an empty argument is no option's value.
    Run path = run_gouji("check " + a + " -- ''");
    CHECK(path.exit_code == 2);
    CHECK(path.err.find("needs a value") == std::string::npos);
    // An option's value that looks like an option is the value ("--pack --x.yaml").
    Run value = run_gouji("check --pack --x.yaml " + report);
    CHECK(value.exit_code == 2);
    CHECK(value.err.rfind("--x.yaml: error: cannot read the rule pack: No such file or directory", 0) == 0);
    CHECK(run_gouji("check --help").exit_code == 0);
    CHECK(run_gouji("--version").exit_code == 0);
    // A mistyped command is named, with the one meant.
    Run typo = run_gouji("chek " + shell_quoted(corpus(seed002)));
    CHECK(typo.exit_code == 2);
    CHECK(typo.err == "gouji: error: unknown command 'chek' (did you mean 'check'?); the commands are explain, check, diff (gouji --help)\n");
    Run templates_value = run_gouji("--templates check.yaml explain");  // a --templates value is no command
    CHECK(templates_value.exit_code == 2);
    CHECK(templates_value.err.find("unknown command") == std::string::npos);
    // Each command's help names --templates, which is the main command's.
    for (const char* command : {"check", "explain"}) {
        Run help = run_gouji(std::string(command) + " --help");
        CAPTURE(command);
        CHECK(help.exit_code == 0);
        CHECK(help.out.find("Also --templates FILE") != std::string::npos);
    }
    CHECK(run_gouji("check --format xml " + shell_quoted(corpus(seed002))).exit_code == 2);
    Run none = run_gouji("check --no-standard " + shell_quoted(corpus(seed002)));
    CHECK(none.exit_code == 2);
    CHECK(none.err == "gouji check: error: no rule packs to check with: --no-standard leaves out the standard ones (give "
                      "--pack FILE, or drop --no-standard)\n");
}

TEST_CASE("cli: a folder of no report says why in every format, and leaves an --output file of an earlier run as it was") {
    const std::string only = scratch().path("no-report");
    scratch().write("no-report/README.md", "# 2020年度报告汇总说明\n\n本文件夹收录各单位2020年政府信息公开工作年度报告。\n");
    const std::string why = "gouji check: error: no reports under the paths given: the file found there is no report "
                            "(give report files, or folders that hold some)";
    // The JSON carries the reason as the SARIF and JUnit do: it was {"reports": []}.
    Run json = run_gouji("check --format json " + shell_quoted(only));
    CHECK(json.exit_code == 2);
    CHECK(json.err.ends_with(why + "\n"));
    const auto doc = nlohmann::ordered_json::parse(json.out);
    CHECK(doc["reports"].empty());
    REQUIRE(doc.contains("error"));
    CHECK(doc["error"]["text"] == why);
    CHECK(doc["error"]["message"] ==
          "no reports under the paths given: the file found there is no report");
    CHECK(doc["error"]["hint"] == "give report files, or folders that hold some");
    CHECK(json.out == gouji::json_text(doc));  // written as the whole document would be

    // --output is made or emptied only once the paths hold reports: as for an empty
    // folder, the file of the earlier run stays, in every format.
    for (const std::string format : {"text", "json", "sarif", "junit", "html"}) {
        CAPTURE(format);
        const std::string kept = scratch().write("kept-" + format + ".out", "an earlier run's results\n");
        Run r = run_gouji("check --format " + format + " -o " + shell_quoted(kept) + " " + shell_quoted(only));
        CHECK(r.exit_code == 2);
        CHECK(r.err.ends_with(why + "\n"));
        CHECK(read_text_file(kept) == "an earlier run's results\n");
        const std::string fresh = scratch().path("fresh-" + format + ".out");
        r = run_gouji("check --format " + format + " -o " + shell_quoted(fresh) + " " + shell_quoted(only));
        CHECK(r.exit_code == 2);
        CHECK(!fs::exists(fresh));
    }
    // With a report beside the README the file is written, the head before the first report too.
    const std::string with_report = scratch().path("no-report-and-one");
    fs::create_directories(with_report);
    fs::copy_file(only + "/README.md", with_report + "/README.md", fs::copy_options::overwrite_existing);
    fs::copy_file(corpus(seed002), with_report + "/z.txt", fs::copy_options::overwrite_existing);
    const std::string out = scratch().write("one.json", "old");
    Run one = run_gouji("check --format json -o " + shell_quoted(out) + " " + shell_quoted(with_report));
    Run to_stdout = run_gouji("check --format json " + shell_quoted(with_report));
    CHECK(one.exit_code == 1);
    CHECK(read_text_file(out) == to_stdout.out);
}

TEST_CASE("cli: a blank file is an empty report, as a file of no bytes is") {
    const std::string dir = scratch().path("blank");
    fs::create_directories(dir);
    fs::copy_file(corpus("seeds/004_361d8fbe3341eb2a.txt"), dir + "/county.md", fs::copy_options::overwrite_existing);
    const std::string blank = scratch().write("blank/city.txt", "\r\n");
    // It was passed over silently, as no report, and the batch exited 0.
    Run r = run_gouji("check " + shell_quoted(dir));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(blank + ": error: file is empty but for white space (it holds no report: download or copy the "
                             "report again, or leave it out)\n") != std::string::npos);
    CHECK(r.err.find("passed over") == std::string::npos);
    for (const std::string spaces : {"  \n\n\t\n", "\n", "\xEF\xBB\xBF \n"}) {
        scratch().write("blank-one.txt", spaces);
        Run named = run_gouji("explain " + shell_quoted(scratch().path("blank-one.txt")));
        CHECK(named.exit_code == 2);
        CHECK(named.err.find("file is empty but for white space") != std::string::npos);
    }
    // The closing line's parts are one parenthesis, joined by "; ".
    scratch().write("blank/readme.md", "# 2020年度报告汇总说明\n\n本文件夹收录各单位2020年政府信息公开工作年度报告。\n");
    r = run_gouji("check " + shell_quoted(dir));
    CHECK(r.exit_code == 2);
    CHECK(r.out.find("checked 2 reports (1 file passed over, not a report; 1 could not be read: " + blank + "): ") !=
          std::string::npos);
}

TEST_CASE("cli: make demo takes check's exit 1 (the examples' findings) as success, and fails on exit 2") {
    // Each `gouji check` and `gouji diff` line of the Makefile's demo recipe, run as
    // make runs it (from the source folder, $(BUILD)/gouji the binary built, the
    // other $(BUILD) files in a scratch folder): make's "-" said "Error 1 (ignored)"
    // after each, which reads as a failed demo. Exit 1 is findings, or differences.
    const fs::path source = fs::path(gouji::test::test_dir()).parent_path();
    std::ifstream makefile(source / "Makefile");
    std::vector<std::string> lines;
    bool in_demo = false;
    for (std::string line; std::getline(makefile, line);) {
        if (!line.empty() && line[0] != '\t') in_demo = line.starts_with("demo:");
        else if (in_demo && (line.find("$(BUILD)/gouji check") != std::string::npos ||
                             line.find("$(BUILD)/gouji diff") != std::string::npos))
            lines.push_back(line.substr(1));
    }
    REQUIRE(lines.size() == 7);
    const std::string build_dir = scratch().path("demo-build");
    fs::create_directories(build_dir);
    auto run = [&](std::string line) {
        for (std::size_t at = line.find("$$"); at != std::string::npos; at = line.find("$$", at + 1)) line.erase(at, 1);
        const std::string gouji = "$(BUILD)/gouji", build = "$(BUILD)";
        line.replace(line.find(gouji), gouji.size(), shell_quoted(GOUJI_BINARY));
        for (std::size_t at = line.find(build); at != std::string::npos; at = line.find(build, at))
            line.replace(at, build.size(), shell_quoted(build_dir));
        const std::string cmd = "cd " + shell_quoted(source.string()) + " && NO_COLOR=1 /bin/sh -c " +
                                shell_quoted(line) + " >/dev/null 2>&1";
        const int status = std::system(cmd.c_str());
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    };
    for (const std::string& line : lines) {
        CAPTURE(line);
        // no "-": make would say "(ignored)"
        CHECK((line.starts_with("$(BUILD)/gouji check ") || line.starts_with("$(BUILD)/gouji diff ")));
        CHECK(run(line) == 0);
    }
    // An input error (a report or a results file that is not there) still fails the demo.
    for (const std::string& line : lines) {
        CAPTURE(line);
        std::string broken = line;
        const std::size_t command_end = broken.find(' ', broken.find("gouji ") + 6);
        broken.insert(command_end, broken.find("gouji diff") != std::string::npos ? " no-such-results.json" : " no-such-report.txt");
        CHECK(run(broken) != 0);
    }
}

TEST_CASE("cli: explain of a folder or of a rule pack says what explain takes, and what to do instead") {
    const std::string folder = scratch().path("explain-folder");
    fs::create_directories(folder);
    fs::copy_file(corpus(seed002), folder + "/a.txt", fs::copy_options::overwrite_existing);
    const std::string pack = gouji::test::test_dir() + "/../rulepacks/common.yaml";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {folder, "is a directory: explain takes report files, not folders (name the report files in it, or audit "
                 "them all with: gouji check " + folder + ")"},
        {pack, "this is a rule pack or template file, not a report (explain takes reports; to see what a pack's "
               "rules find, run gouji check --pack " + pack + " REPORT)"},
    };
    for (const auto& [path, said] : cases) {
        CAPTURE(path);
        Run r = run_gouji("explain " + shell_quoted(path) + " " + shell_quoted(folder + "/a.txt"));
        CHECK(r.exit_code == 2);
        CHECK(r.err == path + ": error: " + said + "\n");
        CHECK(r.out.find("表三") != std::string::npos);  // the file after it is still explained
    }
}

TEST_CASE("cli: explain shows what the reader read past, in text and JSON") {
    const std::string damaged = gouji::test::test_dir() + "/fixtures/pdf/damaged.pdf";
    Run text = run_gouji("explain " + shell_quoted(damaged));
    CHECK(text.exit_code == 0);
    CHECK(text.out.find("\nwarning   poppler reported 5 errors reading this PDF") != std::string::npos);
    Run json = run_gouji("explain --format json " + shell_quoted(damaged));
    const auto model = nlohmann::json::parse(json.out);
    REQUIRE(model["reader_warnings"].size() == 1);
    CHECK(model["reader_warnings"][0].get<std::string>().starts_with("poppler reported 5 errors"));
}

TEST_CASE("cli: a pack or template file that cannot be read is said with the OS's reason and what to do") {
    const std::string report = shell_quoted(corpus(seed002));
    const std::string missing = scratch().path("no-such-pack.yaml");
    Run pack = run_gouji("check --pack " + shell_quoted(missing) + " " + report);
    CHECK(pack.exit_code == 2);
    CHECK(pack.err == missing + ": error: cannot read the rule pack: No such file or directory (check the path)\n");
    Run templates = run_gouji("--templates " + shell_quoted(missing) + " explain " + report);
    CHECK(templates.exit_code == 2);
    CHECK(templates.err == missing + ": error: cannot read the template file: No such file or directory (check the path)\n");
    const std::string extends = scratch().write("extends-missing.yaml", "pack: x\nextends: [./no-such-base.yaml]\nrules: []\n");
    Run base = run_gouji("check --pack " + shell_quoted(extends) + " " + report);
    CHECK(base.exit_code == 2);
    CHECK(base.err.find(extends + ":2:11: error: the extended pack '" + scratch().path("./no-such-base.yaml") +
                        "' cannot be read: No such file or directory (check the path)") == 0);

    // The standard files come from GOUJI_RULEPACKS when it is set: the line names it.
    const std::string nowhere = scratch().path("no-such-rulepacks");
    Run env = run_gouji_with("GOUJI_RULEPACKS=" + shell_quoted(nowhere), "check " + report);
    CHECK(env.exit_code == 2);
    CHECK(env.err.rfind(nowhere + "/templates.yaml: error: cannot read the template file: No such file or directory "
                                  "(GOUJI_RULEPACKS=" + nowhere + " names the folder of the standard templates and rule "
                                  "packs: set it to gouji's rulepacks folder, or unset it)\n",
                        0) == 0);
    // Templates but no pack there.
    const std::string bare = scratch().path("bare-rulepacks");
    fs::create_directories(bare);
    fs::copy_file(gouji::default_rulepack_dir() + "/templates.yaml", bare + "/templates.yaml",
                  fs::copy_options::overwrite_existing);
    Run no_packs = run_gouji_with("GOUJI_RULEPACKS=" + shell_quoted(bare), "check " + report);
    CHECK(no_packs.exit_code == 2);
    CHECK(no_packs.err == "gouji check: error: no rule packs to check with: " + bare +
                              " has no .yaml pack but templates.yaml (set GOUJI_RULEPACKS to gouji's rulepacks folder, "
                              "or give --pack FILE)\n");
}

TEST_CASE("cli: a file named twice is checked once, with a note, paths keep their form but for doubled slashes") {
    const std::string dir = scratch().path("twice");
    fs::create_directories(dir + "/sub");
    fs::copy_file(corpus(seed002), dir + "/sub/a.txt", fs::copy_options::overwrite_existing);
    fs::copy_file(corpus("seeds/004_361d8fbe3341eb2a.txt"), dir + "/b.txt", fs::copy_options::overwrite_existing);
    fs::remove(dir + "/link.txt");
    fs::create_symlink("b.txt", dir + "/link.txt");
    const std::string b = dir + "/b.txt";

    // The same name, another spelling of it, a link to it: one report.
    Run r = run_gouji("check " + shell_quoted(b) + " " + shell_quoted(b) + " " + shell_quoted(dir + "/./b.txt"));
    Run once = run_gouji("check " + shell_quoted(b));
    CHECK(r.exit_code == once.exit_code);
    CHECK(r.out == once.out);
    CHECK(r.err == "gouji check: note: " + b + " is named twice: it is checked once\n"
                   "gouji check: note: " + dir + "/./b.txt is the same file as " + b + ": it is checked once\n");

    // A folder searched, "//" in what was given: the files as "dir/sub/a.txt".
    Run folder = run_gouji("check --format json " + shell_quoted(dir + "//") + " " + shell_quoted(dir + "/sub//a.txt"));
    auto reports = nlohmann::json::parse(folder.out)["reports"];
    REQUIRE(reports.size() == 2);  // b.txt (link.txt is it again), sub/a.txt
    CHECK(reports[0]["file"] == b);
    CHECK(reports[1]["file"] == dir + "/sub/a.txt");
    CHECK(folder.err == "gouji check: note: " + dir + "/link.txt is the same file as " + b + ": it is checked once\n"
                        "gouji check: note: " + dir + "/sub/a.txt is named twice: it is checked once\n");
    Run text = run_gouji("check " + shell_quoted(dir + "//"));
    CHECK(text.out.find("── " + dir + "/sub/a.txt (") != std::string::npos);
    CHECK(text.out.find(dir + "//") == std::string::npos);

    // A folder given twice: one note for the lot.
    Run again = run_gouji("check " + shell_quoted(dir + "/sub") + " " + shell_quoted(dir + "/sub/") + " " + shell_quoted(dir));
    CHECK(again.err == "gouji check: note: " + dir + "/sub/a.txt is named twice: it is checked once\n"
                       "gouji check: note: 2 files under " + dir + " are in the batch already (" + dir +
                           "/link.txt is the same file as " + dir + "/b.txt, …): each is checked once\n");
    CHECK(again.out.find("checked 2 reports: ") != std::string::npos);

    // explain keeps one object per file named, in order: nothing is left out there.
    Run explain = run_gouji("explain --format json " + shell_quoted(b) + " " + shell_quoted(dir + "//b.txt"));
    auto models = nlohmann::json::parse(explain.out);
    REQUIRE(models.size() == 2);
    CHECK(models[1]["file"] == b);
}

TEST_CASE("cli: the closing line says when a rule could not finish, and on how many reports") {
    // Fails for each of 表三's rows cubed: past the bound of 1,000 findings on each report.
    std::string many = scratch().write("many.yaml", R"(pack: local-many
rules:
  - {id: EVERYWHERE, severity: warning, kind: consistency, check: "a.总计 + b.总计 + c.总计 < 0",
     for: [a in 表三.rows, b in 表三.rows, c in 表三.rows]}
)");
    const std::string two = shell_quoted(corpus(seed002)) + " " + shell_quoted(corpus("seeds/004_361d8fbe3341eb2a.txt"));
    Run r = run_gouji("check --pack " + shell_quoted(many) + " " + two);
    CHECK(r.exit_code == 2);
    CHECK(count_lines(r.err) == 2);
    CHECK(r.out.find("\nchecked 2 reports (1 rule could not finish on 2 reports): ") != std::string::npos);
    Run missing = run_gouji("check --pack " + shell_quoted(many) + " " + two + " " +
                            shell_quoted(scratch().path("no-such-report.txt")));
    CHECK(missing.out.find("\nchecked 3 reports (1 could not be read: " + scratch().path("no-such-report.txt") +
                           "; 1 rule could not finish on 2 reports): ") != std::string::npos);
}

TEST_CASE("cli: a PDF poppler read past damage in is audited, with its warning on stderr and in the JSON") {
    const std::string damaged = gouji::test::test_dir() + "/fixtures/pdf/damaged.pdf";
    Run json = run_gouji("check --format json " + shell_quoted(damaged));
    CHECK(json.exit_code != 2);  // read: its findings decide
    CHECK(json.err.rfind(damaged + ": warning: poppler reported 5 errors reading this PDF", 0) == 0);
    CHECK(count_lines(json.err) == 1);
    const auto report = nlohmann::json::parse(json.out)["reports"][0];
    REQUIRE(report["reader_warnings"].size() == 1);
    CHECK(report["reader_warnings"][0].get<std::string>() + "\n" == json.err.substr(json.err.find("poppler reported")));
    Run clean = run_gouji("check --format json " + shell_quoted(gouji::test::test_dir() + "/fixtures/pdf/furniture.pdf"));
    CHECK_FALSE(nlohmann::json::parse(clean.out)["reports"][0].contains("reader_warnings"));
    // Given as last year's report, it is not audited, but its damage is still said.
    Run previous = run_gouji("check --previous " + shell_quoted(damaged) + " " +
                             shell_quoted(gouji::test::test_dir() + "/fixtures/across-years/yunling-2022.md"));
    CHECK(previous.err.find(damaged + ": warning: poppler reported 5 errors reading this PDF") != std::string::npos);
    CHECK(previous.err.find("(it is read as a previous-year report)\n") != std::string::npos);
}

TEST_CASE("cli: --previous reads last year's reports, unaudited, and each report is compared with its own") {
    const std::string last_year = gouji::test::test_dir() + "/fixtures/markdown/report-2021.md";
    const std::string this_year = gouji::test::test_dir() + "/fixtures/across-years/yunling-2022.md";
    // Alone, the 2022 report is consistent: the across-years rules wait for a previous report.
    Run alone = run_gouji("check --format json " + shell_quoted(this_year));
    CHECK(alone.exit_code == 0);
    CHECK_FALSE(nlohmann::json::parse(alone.out)["reports"][0].contains("previous"));

    // A directory of last year's reports, one of them unreadable: said on stderr,
    // exit 2, and the audit goes on with the rest. (Its entry of the results:
    // the test case after this one.)
    fs::create_directories(scratch().path("last-year"));
    fs::copy_file(last_year, scratch().path("last-year/yunling-2021.md"), fs::copy_options::overwrite_existing);
    scratch().write("last-year/broken.docx", std::string("PK\x03\x04", 4) + "no zip");
    Run r = run_gouji("check --format json --previous " + shell_quoted(scratch().path("last-year")) + " " +
                      shell_quoted(this_year) + " " + shell_quoted(last_year));
    CHECK(r.exit_code == 2);
    CHECK(count_lines(r.err) == 1);
    CHECK(r.err.rfind(scratch().path("last-year/broken.docx") + ": error: ", 0) == 0);
    auto doc = nlohmann::json::parse(r.out);
    REQUIRE(doc["reports"].size() == 3);  // the unread --previous report, then the reports audited
    CHECK(doc["reports"][0]["previous_year"] == true);
    doc["reports"].erase(0);
    const auto& report = doc["reports"][0];
    CHECK(report["previous"] == scratch().path("last-year/yunling-2021.md"));
    CHECK(has_finding(report, "T3-CARRIED-FROM-PREVIOUS"));
    CHECK(has_finding(report, "T2-IN-FORCE-FROM-PREVIOUS"));
    const auto& cells = report["findings"][0]["cells"];
    REQUIRE(cells.size() == 2);
    CHECK(cells[1]["table"] == "previous(表三)");
    CHECK(cells[1]["file"] == scratch().path("last-year/yunling-2021.md"));
    // The 2021 report has no 2020 one given: nothing across years.
    CHECK_FALSE(doc["reports"][1].contains("previous"));
    CHECK_FALSE(has_finding(doc["reports"][1], "T3-CARRIED-FROM-PREVIOUS"));

    // Given the wrong way round, last year's report compares nothing: the exit code is the
    // findings' own, and a note says which --previous report no report audited was compared with.
    Run backwards = run_gouji("check --previous " + shell_quoted(this_year) + " " + shell_quoted(last_year));
    CHECK(backwards.exit_code == run_gouji("check " + shell_quoted(last_year)).exit_code);
    CHECK(backwards.err == "gouji check: note: 1 of the 1 --previous report was compared with no report audited (a "
                           "report is compared with its agency's of the year before): " +
                               this_year + " (2022, 云岭市生态环境局)\n");

    // The same file named twice (its folder and itself, spelled two ways) is one report.
    Run overlap = run_gouji("check --format json --previous " + shell_quoted(scratch().path("last-year")) +
                            " --previous " + shell_quoted(scratch().path("last-year/../last-year/yunling-2021.md")) + " " +
                            shell_quoted(this_year));
    CHECK(overlap.err.find("are both") == std::string::npos);
    CHECK(nlohmann::json::parse(overlap.out)["reports"][1]["previous"] == scratch().path("last-year/yunling-2021.md"));
    // A report whose title names no agency pairs with none, and the user is told.
    scratch().write("nameless/report.md", "# 政府信息公开工作年度报告\n\n一、总体情况\n\n无。\n");
    // Passed over with a note, not an input error: a folder of last year's reports may
    // hold other files (a README, a list of the reports).
    Run nameless = run_gouji("check --previous " + shell_quoted(scratch().path("nameless")) + " " + shell_quoted(this_year));
    CHECK(nameless.exit_code == 0);
    CHECK(nameless.err == "gouji check: note: " + scratch().path("nameless/report.md") +
                              ": its title names no agency, so it is no report's previous year (passed over; if it is "
                              "one, give it a title naming the agency and the year, "
                              "\"××市××局2021年政府信息公开工作年度报告\")\n");
    CHECK(nameless.out.find("\nchecked 1 report: 0 errors, ") != std::string::npos);

    // The same file twice (a copy of it, byte for byte): one report, used once, and said.
    fs::copy_file(last_year, scratch().path("last-year/copy.md"), fs::copy_options::overwrite_existing);
    fs::remove(scratch().path("last-year/broken.docx"));
    Run copied = run_gouji("check --format json --previous " + shell_quoted(scratch().path("last-year")) + " " +
                           shell_quoted(this_year));
    CHECK(copied.exit_code == 1);  // last year's tables read: the fixture's across-year errors
    CHECK(copied.err.find("holds the same bytes as") != std::string::npos);
    CHECK(copied.err.find("are both") == std::string::npos);
    CHECK(nlohmann::json::parse(copied.out)["reports"][0].contains("previous"));
    // Two different 2021 reports of the agency: neither is used, and the user is told.
    std::ofstream(scratch().path("last-year/copy.md"), std::ios::app) << "\n本报告另有修订。\n";
    // Each is an entry of the results naming the other, and the batch's exit code says so.
    Run twice = run_gouji("check --format json --previous " + shell_quoted(scratch().path("last-year")) + " " +
                          shell_quoted(this_year));
    CHECK(twice.exit_code == 2);
    CHECK(count_lines(twice.err) == 2);
    CHECK(twice.err.find(scratch().path("last-year/yunling-2021.md") + ": error: it and " +
                         scratch().path("last-year/copy.md") +
                         " are both the 2021 report of 云岭市生态环境局, so neither is used as a previous-year report "
                         "(give --previous only one of them)\n") != std::string::npos);
    auto twice_doc = nlohmann::json::parse(twice.out)["reports"];
    REQUIRE(twice_doc.size() == 3);
    std::set<std::string> unused;
    for (int i = 0; i < 2; ++i) {
        CHECK(twice_doc[i]["previous_year"] == true);
        CHECK(twice_doc[i]["error"]["hint"] == "give --previous only one of them");
        unused.insert(twice_doc[i]["file"].get<std::string>());
    }
    CHECK(unused == std::set<std::string>{scratch().path("last-year/copy.md"), scratch().path("last-year/yunling-2021.md")});
    CHECK(twice_doc[2]["file"] == this_year);
    CHECK_FALSE(twice_doc[2].contains("previous"));
    // A byte copy of one of them is that report, not a third that cannot be told apart.
    fs::copy_file(scratch().path("last-year/copy.md"), scratch().path("last-year/zcopy.md"),
                  fs::copy_options::overwrite_existing);
    Run copy_of_one = run_gouji("check --format json --previous " + shell_quoted(scratch().path("last-year")) + " " +
                                shell_quoted(this_year));
    CHECK(copy_of_one.exit_code == 2);
    CHECK(count_lines(copy_of_one.err) == 3);
    CHECK(copy_of_one.err.find(scratch().path("last-year/zcopy.md") + " holds the same bytes as " +
                               scratch().path("last-year/copy.md") + ": one report, the 2021 report of 云岭市生态环境局\n") !=
          std::string::npos);
    CHECK(nlohmann::json::parse(copy_of_one.out)["reports"].size() == 3);
    // A third different one names the first again, and is not said twice.
    std::ofstream(scratch().path("last-year/zcopy.md"), std::ios::app) << "\n再次修订。\n";
    Run thrice = run_gouji("check --format json --previous " + shell_quoted(scratch().path("last-year")) + " " +
                           shell_quoted(this_year));
    CHECK(thrice.exit_code == 2);
    CHECK(count_lines(thrice.err) == 3);
    CHECK(nlohmann::json::parse(thrice.out)["reports"].size() == 4);
}

TEST_CASE("cli: a --previous input that gives no report is an entry of the results, counted, and exit 2") {
    const std::string last_year = gouji::test::test_dir() + "/fixtures/markdown/report-2021.md";
    const std::string this_year = gouji::test::test_dir() + "/fixtures/across-years/yunling-2022.md";
    // A truncated DOCX and a file that is not there: a compliance officer keeping
    // only the JSON must see that the across-year rules had nothing from them.
    const std::string truncated = scratch().write("previous-unread/yunling-2021.docx", std::string("PK\x03\x04", 4) + "cut");
    const std::string missing = scratch().path("previous-unread/no-such-2021.md");
    const std::string args = "--previous " + shell_quoted(truncated) + " --previous " + shell_quoted(missing) + " " +
                             shell_quoted(this_year);
    Run json = run_gouji("check --format json " + args);
    CHECK(json.exit_code == 2);
    CHECK(json.err == truncated +
                          ": error: the ZIP archive is cut off or damaged: its end-of-central-directory record is "
                          "missing (download or copy the file again)\n" +
                          missing + ": error: cannot open file: No such file or directory (check the path)\n");
    const auto reports = nlohmann::ordered_json::parse(json.out)["reports"];
    REQUIRE(reports.size() == 3);
    // First, in the order given, as they are read first; the shape of an
    // unreadable report's entry, marked as last year's.
    const auto& unread = reports[0];
    CHECK(keys_of(unread) == std::vector<std::string>{"file", "previous_year", "template", "error", "findings", "summary"});
    CHECK(unread["file"] == truncated);
    CHECK(unread["previous_year"] == true);
    CHECK(unread["template"].is_null());
    CHECK(unread["error"]["message"] ==
          "the ZIP archive is cut off or damaged: its end-of-central-directory record is missing");
    CHECK(unread["error"]["hint"] == "download or copy the file again");
    CHECK(unread["error"]["text"].get<std::string>() + "\n" == json.err.substr(0, json.err.find('\n') + 1));
    CHECK(unread["findings"].empty());
    CHECK(unread["summary"]["errors"] == 0);
    CHECK(reports[1]["file"] == missing);
    CHECK(reports[1]["previous_year"] == true);
    CHECK(reports[1]["error"]["message"] == "cannot open file: No such file or directory");
    // The report audited: no last year's report to compare with, and not marked.
    CHECK(reports[2]["file"] == this_year);
    CHECK_FALSE(reports[2].contains("previous"));
    CHECK_FALSE(reports[2].contains("previous_year"));

    // The text: an entry of each in its place, its error line after its header, and the closing line's count.
    Run text = run_gouji("check " + args);
    CHECK(text.exit_code == 2);
    CHECK(text.err == json.err);
    CHECK(text.out.rfind("── " + truncated + " (--previous report not used)\n" + json.err.substr(0, json.err.find('\n') + 1) +
                             "\n── " + missing + " (--previous report not used)\n" + missing + ": error: cannot open file",
                         0) == 0);
    CHECK(text.out.find("\n── " + this_year + " (") != std::string::npos);
    CHECK(text.out.find("\nchecked 1 report (2 --previous reports not used): 0 errors, ") != std::string::npos);
    // Whatever --jobs, the same.
    CHECK(run_gouji("check --format json --jobs 3 " + args).out == json.out);

    // With a readable one beside them, the report is compared and the unread one still said.
    fs::copy_file(last_year, scratch().path("previous-unread/yunling-2021.md"), fs::copy_options::overwrite_existing);
    Run beside = run_gouji("check --format json --previous " + shell_quoted(scratch().path("previous-unread")) + " " +
                           shell_quoted(this_year));
    CHECK(beside.exit_code == 2);
    const auto with_one = nlohmann::json::parse(beside.out)["reports"];
    REQUIRE(with_one.size() == 2);
    CHECK(with_one[0]["file"] == truncated);
    CHECK(with_one[1]["previous"] == scratch().path("previous-unread/yunling-2021.md"));
    CHECK(has_finding(with_one[1], "T3-CARRIED-FROM-PREVIOUS"));

    // A folder without reports, when no --previous path holds one: an entry as a
    // folder, named once however often it is given.
    fs::create_directories(scratch().path("previous-empty"));
    const std::string empty = scratch().path("previous-empty");
    Run none = run_gouji("check --format json --previous " + shell_quoted(empty) + " --previous " +
                         shell_quoted(empty + "/") + " " + shell_quoted(this_year));
    CHECK(none.exit_code == 2);
    CHECK(none.err.find(empty + ": error: no reports (.txt .md .markdown .html .htm .docx .pdf) under this folder (the "
                                "reports are checked without last year's: give --previous last year's reports or "
                                "their folder)\n") != std::string::npos);
    const auto listed = nlohmann::ordered_json::parse(none.out)["reports"];
    REQUIRE(listed.size() == 2);
    CHECK(keys_of(listed[0]) ==
          std::vector<std::string>{"file", "folder", "previous_year", "template", "error", "findings", "summary"});
    CHECK(listed[0]["file"] == empty);
    CHECK(listed[1]["file"] == this_year);
    Run none_text = run_gouji("check --previous " + shell_quoted(empty) + " " + shell_quoted(this_year));
    CHECK(none_text.out.find("\nchecked 1 report (1 --previous folder gave no report): ") != std::string::npos);
    CHECK(none.err.find("is the same folder as") != std::string::npos);
    // Beside a path that names a file (here one that cannot be read), a folder without
    // reports is passed over, as among the paths audited.
    Run beside_missing = run_gouji("check --format json --previous " + shell_quoted(scratch().path("no-such.md")) +
                                   " --previous " + shell_quoted(empty) + " " + shell_quoted(this_year));
    CHECK(beside_missing.exit_code == 2);
    const auto both = nlohmann::json::parse(beside_missing.out)["reports"];
    REQUIRE(both.size() == 2);
    CHECK(both[0]["file"] == scratch().path("no-such.md"));
    CHECK(both[1]["file"] == this_year);
}

TEST_CASE("cli: -o - is standard output, and makes no file named -") {
    const std::string dir = scratch().path("dash-output");
    std::filesystem::create_directories(dir);
    const std::string report = shell_quoted(std::string(GOUJI_TEST_DIR) + "/../examples/jianning-2020.txt");
    Run plain = run_gouji("check --format json " + report);
    Run dash = run_gouji_in(scratch(), "cd " + shell_quoted(dir) + " &&", "check --format json -o - " + report);
    CHECK(dash.exit_code == plain.exit_code);
    CHECK(!dash.out.empty());
    CHECK(dash.out == plain.out);
    CHECK(dash.err == plain.err);  // no "(written to -)"
    CHECK(!std::filesystem::exists(dir + "/-"));
    // A database is not written to standard output, whichever way it is asked for.
    Run sqlite = run_gouji_in(scratch(), "cd " + shell_quoted(dir) + " &&", "check --format sqlite --output=- " + report);
    CHECK(sqlite.exit_code == 2);
    CHECK(sqlite.err.find("--format sqlite needs --output FILE") != std::string::npos);
    CHECK(!std::filesystem::exists(dir + "/-"));
}

TEST_CASE("cli: a word before a number or a unit after it, added by a --templates file, is read without a rebuild") {
    // 不足 (fewer than) and 辆次 are not in rulepacks/templates.yaml: the figures read as
    // "100件", exact, and "120辆"; with the file's words, "不足100件", approximate, and
    // "120辆次" (辆次 tried before 辆, though the file adds it after the standard list).
    const std::string report = scratch().write("number-words.txt",
                                               "2025年度政府信息公开工作年度报告\n"
                                               "全年受理申请不足100件，出动执法车辆120辆次。\n");
    const std::string words = scratch().write("number-words.yaml",
                                              "metadata:\n  approximate-before: [不足]\n  prose-units: [辆次]\ntemplates: []\n");
    // Each figure as "text" or "text~" (approximate), in reading order.
    const auto figures = [&](const std::string& options) {
        Run r = run_gouji(options + "explain --format json " + shell_quoted(report));
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        const nlohmann::json explained = nlohmann::json::parse(r.out);
        std::string out;
        for (const auto& f : explained["figures"])
            out += f["text"].get<std::string>() + (f["value"].value("approximate", false) ? "~ " : " ");
        return out;
    };
    CHECK(figures("") == "100件 120辆 ");
    CHECK(figures("--templates " + shell_quoted(words) + " ") == "不足100件~ 120辆次 ");
}
