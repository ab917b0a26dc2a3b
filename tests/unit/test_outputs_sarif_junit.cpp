// The SARIF and JUnit writers (docs/sarif.md, docs/junit.md): on reports built
// here, what each field says and that hostile text stays well-formed; on real
// reports, goldens (tests/cases/outputs/, refreshed with GOUJI_REFRESH_GOLDENS=1);
// through the gouji binary, that each document holds every finding.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <sstream>

#include "gouji/check.hpp"
#include "gouji/outputs.hpp"
#include "gouji/readers.hpp"
#include "gouji/text.hpp"
#include "tests/unit/cli_test_support.hpp"
#include "tests/unit/golden.hpp"
#include "tests/unit/writer_test_support.hpp"

using namespace gouji;
using json = nlohmann::json;

namespace {

using Factory = std::unique_ptr<ResultsWriter> (*)(std::ostream&, const RunInfo&);

// The whole document a batch of `reports` gives, written as check_and_write() does.
std::string written(Factory factory, const RunInfo& run, const std::vector<ReportFindings>& reports) {
    std::ostringstream out;
    test::write_batch(*factory(out, run), reports);
    return out.str();
}

RuleInfo rule_info(std::string id, std::string pack, Severity severity) {
    RuleInfo r;
    r.id = std::move(id);
    r.pack = std::move(pack);
    r.title = "表三 每列：第一项加第二项等于第三项加第四项";
    r.basis = "国办公开办函〔2019〕60号";
    r.severity = severity;
    r.tags = {"表三"};
    return r;
}

RunInfo test_run() {
    RunInfo run;
    run.tool_version = "9.9.9";
    run.arguments = {"gouji", "check", "--format", "sarif", "a b.txt"};
    run.working_directory = "/srv/audit";
    // The same id in a later pack replaces the rule: one descriptor, the last.
    run.rules = {rule_info("T3-BALANCE", "gov-tables", Severity::Error), rule_info("SEC-4", "common", Severity::Warning),
                 rule_info("T3-BALANCE", "fj-local", Severity::Warning)};
    return run;
}

CellRef cell(std::string row, std::string column, double number, std::string text, SourcePos pos) {
    CellRef c;
    c.path = "表三." + row + "." + column;
    c.table = "表三";
    c.row = std::move(row);
    c.column = std::move(column);
    c.value.number = number;
    c.text = std::move(text);
    c.pos = pos;
    return c;
}

// The message carries what XML and JSON must escape, and a control character
// XML 1.0 cannot hold at all.
const std::string hostile_message = "新收 0 ≠ 总计 9 \"quoted\" <b> & 'a'\x01\x1b[31m";

Finding balance_finding() {
    Finding f;
    f.rule = "T3-BALANCE";
    f.binding = "c=商业企业";
    f.severity = Severity::Error;
    f.message = hostile_message;
    f.pack = "gov-tables";
    f.title = "表三 每列";
    f.location = {"r.txt", SourcePos{95, 92, 0}, "收到和处理政府信息公开申请情况", "表三", "本年新收", "商业企业"};
    f.cells = {cell("本年新收", "商业企业", 0, "0", SourcePos{95, 92, 0}), cell("总计", "商业企业", 9, "9", SourcePos{120, 59, 0})};
    f.difference = -9;
    Suggestion s;
    s.table = "表三";
    s.row = "本年新收";
    s.column = "商业企业";
    s.current = 0;
    s.value = 9;
    s.fixes = {"T3-BALANCE[c=商业企业]", "T3-ROW-SUM[r=本年新收]"};
    f.suggestion = s;
    return f;
}

Finding not_assessable_finding() {
    Finding f;
    f.rule = "T3-BALANCE";
    f.binding = "c=自然人";
    f.severity = Severity::Info;
    f.assessable = false;
    f.message = "not assessable: 表三.结转下年度继续办理.自然人 (blank)";
    f.location = {"r.txt", SourcePos{121, 40, 0}, "", "表三", "结转下年度继续办理", "自然人"};
    return f;
}

Finding warning_finding() {
    Finding f;
    f.rule = "SEC-4";
    f.severity = Severity::Warning;
    f.kind = RuleKind::Required;
    f.message = "缺少第四部分";
    return f;
}

ReportFindings report_of(std::string file, std::vector<Finding> findings, std::string format = "text") {
    ReportFindings r;
    r.file = std::move(file);
    r.template_id = "gov-2019";
    r.format = std::move(format);
    r.year = 2020;
    r.agency = "某某区人民政府";
    r.findings = std::move(findings);
    r.stats.rules_run = 50;
    r.stats.checks = 120;
    r.stats.passed = 117;
    r.stats.failed = 2;
    r.stats.not_assessable = 1;
    return r;
}

ReportFindings unreadable(const std::string& file) {
    return unreadable_report(file, InputError(file, SourcePos{}, "cannot open file: No such file or directory",
                                              "check the path"));
}

// The control characters a writer let through, as XML 1.0 forbids them.
bool has_forbidden_control(const std::string& text) {
    for (unsigned char c : text)
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return true;
    return false;
}

}  // namespace

TEST_CASE("sarif: a finding's result, its rule, cells, fix and fingerprint") {
    const std::string out =
        written(sarif_writer, test_run(), {report_of("a b#1.txt", {balance_finding(), not_assessable_finding()})});
    const json log = json::parse(out);
    CHECK(log["version"] == "2.1.0");
    REQUIRE(log["runs"].size() == 1);
    const json& run = log["runs"][0];
    CHECK(run["columnKind"] == "unicodeCodePoints");
    CHECK(run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///srv/audit/");
    const json& rules = run["tool"]["driver"]["rules"];
    REQUIRE(rules.size() == 2);
    CHECK(rules[0]["id"] == "T3-BALANCE");
    CHECK(rules[0]["properties"]["pack"] == "fj-local");
    CHECK(rules[0]["defaultConfiguration"]["level"] == "warning");
    CHECK(run["tool"]["driver"]["version"] == "9.9.9");

    REQUIRE(run["results"].size() == 2);
    const json& r = run["results"][0];
    CHECK(r["ruleId"] == "T3-BALANCE");
    CHECK(r["ruleIndex"] == 0);
    CHECK(r["kind"] == "fail");
    CHECK(r["level"] == "error");
    CHECK(r["message"]["text"] == hostile_message);  // JSON escapes it; the text comes back whole
    const json& physical = r["locations"][0]["physicalLocation"];
    CHECK(physical["artifactLocation"]["uri"] == "a%20b%231.txt");
    CHECK(physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
    CHECK(physical["region"]["startLine"] == 95);
    CHECK(physical["region"]["startColumn"] == 92);
    CHECK(r["locations"][0]["logicalLocations"][1]["fullyQualifiedName"] == "表三.本年新收.商业企业");
    REQUIRE(r["relatedLocations"].size() == 2);
    CHECK(r["relatedLocations"][0]["message"]["text"] == "表三.本年新收.商业企业 = 0");
    CHECK(r["relatedLocations"][1]["physicalLocation"]["region"]["startLine"] == 120);
    CHECK(r["properties"]["difference"] == -9);
    CHECK(r["properties"]["binding"] == "c=商业企业");
    CHECK(r["properties"]["severity_from"].is_null());

    // The suggestion replaces the cell's written "0" (column 92, one character) by "9".
    REQUIRE(r.contains("fixes"));
    const json& replacement = r["fixes"][0]["artifactChanges"][0]["replacements"][0];
    CHECK(replacement["deletedRegion"] == json{{"startLine", 95}, {"startColumn", 92}, {"endColumn", 93}});
    CHECK(replacement["insertedContent"]["text"] == "9");
    CHECK(r["properties"]["suggestion"]["value"] == 9);

    // Not assessable: for a person to review; SARIF gives such a result level "none".
    const json& review = run["results"][1];
    CHECK(review["kind"] == "review");
    CHECK(review["level"] == "none");
    CHECK(review["properties"]["assessable"] == false);
    CHECK_FALSE(review.contains("fixes"));

    // The fingerprint is the finding's identity: not its line, but its rule, binding and file.
    const std::string print = r["partialFingerprints"]["goujiFinding/v1"];
    CHECK(print.size() == 16);
    CHECK(review["partialFingerprints"]["goujiFinding/v1"] != print);
    Finding moved = balance_finding();
    moved.location.pos.line = 300;
    const json again = json::parse(written(sarif_writer, test_run(), {report_of("a b#1.txt", {moved})}));
    CHECK(again["runs"][0]["results"][0]["partialFingerprints"]["goujiFinding/v1"] == print);
    // Two findings that read alike (rule and binding) are two alerts, the first keeping its print.
    const json twice =
        json::parse(written(sarif_writer, test_run(), {report_of("a b#1.txt", {balance_finding(), moved})}));
    CHECK(twice["runs"][0]["results"][0]["partialFingerprints"]["goujiFinding/v1"] == print);
    CHECK(twice["runs"][0]["results"][1]["partialFingerprints"]["goujiFinding/v1"] != print);
    // The file however it was typed is one file; another file is another alert.
    for (const char* typed : {"./a b#1.txt", "x/../a b#1.txt"})
        CHECK(json::parse(written(sarif_writer, test_run(), {report_of(typed, {moved})}))["runs"][0]["results"][0]
                  ["partialFingerprints"]["goujiFinding/v1"] == print);
    CHECK(json::parse(written(sarif_writer, test_run(), {report_of("b/a b#1.txt", {moved})}))["runs"][0]["results"][0]
              ["partialFingerprints"]["goujiFinding/v1"] != print);

    const json& invocation = run["invocations"][0];
    CHECK(invocation["executionSuccessful"] == true);
    CHECK(invocation["commandLine"] == "gouji check --format sarif 'a b.txt'");
    CHECK(invocation["arguments"].size() == 4);
    CHECK_FALSE(invocation.contains("toolExecutionNotifications"));
    CHECK_FALSE(invocation.contains("startTimeUtc"));  // no start time given: no times at all
}

TEST_CASE("sarif: an unreadable report is a notification, no result, the run did not succeed") {
    ReportFindings rule_failed = report_of("slow.txt", {warning_finding()});
    InputError slow("packs/local.yaml", SourcePos{12, 5, 0}, "rule SEC-4 needed more than its work bound on slow.txt");
    slow.set_rule("SEC-4");
    rule_failed.rule_errors.push_back(slow);
    const json log = json::parse(written(sarif_writer, test_run(), {unreadable("missing.txt"), rule_failed}));
    const json& run = log["runs"][0];
    REQUIRE(run["results"].size() == 1);  // the warning of slow.txt only
    CHECK(run["results"][0]["level"] == "warning");
    CHECK(run["results"][0]["ruleIndex"] == 1);
    CHECK_FALSE(run["results"][0]["locations"][0]["physicalLocation"].contains("region"));  // line 0
    const json& invocation = run["invocations"][0];
    CHECK(invocation["executionSuccessful"] == false);
    const json& notes = invocation["toolExecutionNotifications"];
    REQUIRE(notes.size() == 2);
    CHECK(notes[0]["level"] == "error");
    CHECK(notes[0]["message"]["text"] == "cannot open file: No such file or directory (check the path)");
    CHECK(notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "missing.txt");
    CHECK(notes[1]["associatedRule"] == json{{"id", "SEC-4"}, {"index", 1}});
    CHECK(notes[1]["locations"][0]["physicalLocation"]["region"]["startLine"] == 12);
    CHECK(notes[1]["properties"]["report"] == "slow.txt");

    // Nothing at all: still one whole log.
    const json empty = json::parse(written(sarif_writer, test_run(), {}));
    CHECK(empty["runs"][0]["results"].empty());
    CHECK(empty["runs"][0]["invocations"][0]["executionSuccessful"] == true);
}

TEST_CASE("sarif: a file name that is not UTF-8, an absolute path, a DOCX position") {
    const std::string gbk = "\xB1\xA8\xB8\xE6.txt";  // 报告.txt in GBK
    const std::string out = written(sarif_writer, test_run(),
                                    {report_of(gbk, {balance_finding()}),
                                     report_of("/data/r.docx", {balance_finding()}, "docx")});
    CHECK(is_valid_utf8(out));
    const json log = json::parse(out);
    const json& results = log["runs"][0]["results"];
    REQUIRE(results.size() == 2);
    // Its very bytes, percent-encoded: the URI still names the file.
    CHECK(results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "%B1%A8%B8%E6.txt");
    const json& docx = results[1];
    CHECK(docx["locations"][0]["physicalLocation"]["artifactLocation"] == json{{"uri", "file:///data/r.docx"}});
    // A paragraph number is no line of the file's bytes: no region, no fix, the position in properties.
    CHECK_FALSE(docx["locations"][0]["physicalLocation"].contains("region"));
    CHECK(docx["properties"]["position"] == json{{"line", 95}, {"column", 92}});
    CHECK_FALSE(docx.contains("fixes"));
    CHECK(docx["properties"]["suggestion"]["value"] == 9);
}

TEST_CASE("junit: suites, cases and counts as the exit code would say") {
    ReportFindings r = report_of("r&d \"1\".txt", {balance_finding(), not_assessable_finding(), warning_finding()});
    const std::string out = written(junit_writer, test_run(), {r, unreadable("missing.txt")});
    CHECK_FALSE(has_forbidden_control(out));
    CHECK(is_valid_utf8(out));
    pugi::xml_document doc;
    const pugi::xml_parse_result parsed = doc.load_string(out.c_str());
    INFO(out);
    REQUIRE(parsed);
    pugi::xml_node root = doc.child("testsuites");
    CHECK(std::string(root.attribute("name").value()) == "gouji check");
    pugi::xml_node suite = root.child("testsuite");
    CHECK(std::string(suite.attribute("name").value()) == "r&d \"1\".txt");
    // Three findings and the passed checks; one failure (the error), one skipped.
    CHECK(suite.attribute("tests").as_int() == 4);
    CHECK(suite.attribute("failures").as_int() == 1);
    CHECK(suite.attribute("errors").as_int() == 0);
    CHECK(suite.attribute("skipped").as_int() == 1);
    CHECK(std::string(suite.child("properties").find_child_by_attribute("property", "name", "year").attribute("value").value()) ==
          "2020");
    CHECK(std::string(suite.child("properties").find_child_by_attribute("property", "name", "agency").attribute("value").value()) ==
          "某某区人民政府");

    pugi::xml_node failed = suite.find_child_by_attribute("testcase", "name", "T3-BALANCE[c=商业企业]");
    REQUIRE(failed);
    CHECK(std::string(failed.attribute("classname").value()) == "r&d \"1\".txt");
    const std::string message = failed.child("failure").attribute("message").value();
    // Quotes, < and & come back as written; the control characters as U+FFFD.
    CHECK(message == "新收 0 ≠ 总计 9 \"quoted\" <b> & 'a'\xEF\xBF\xBD\xEF\xBF\xBD[31m");
    const std::string body = failed.child("failure").text().get();
    CHECK(body.find("at r&d \"1\".txt:95:92, section 收到和处理政府信息公开申请情况, 表三 / 本年新收 / 商业企业\n") !=
          std::string::npos);
    CHECK(body.find("  表三.总计.商业企业 = 9 (line 120, column 59)\n") != std::string::npos);
    CHECK(body.find("suggestion: 表三 本年新收 × 商业企业 0 → 9 (makes T3-BALANCE[c=商业企业], T3-ROW-SUM[r=本年新收] hold)") !=
          std::string::npos);

    pugi::xml_node skipped = suite.find_child_by_attribute("testcase", "name", "T3-BALANCE[c=自然人]");
    REQUIRE(skipped.child("skipped"));
    CHECK_FALSE(skipped.child("failure"));
    pugi::xml_node warned = suite.find_child_by_attribute("testcase", "name", "SEC-4");
    CHECK_FALSE(warned.child("failure"));
    CHECK(std::string(warned.child("system-out").text().get()).starts_with("warning: 缺少第四部分"));
    pugi::xml_node passed = suite.find_child_by_attribute("testcase", "name", "other checks passed");
    REQUIRE(passed);
    CHECK_FALSE(passed.first_child().name() == std::string("failure"));
    // The count lives in the case's output, not its name, which a CI keys history by.
    CHECK(std::string(passed.child("system-out").text().get()).find(" checks, 117 passed, ") != std::string::npos);

    pugi::xml_node unread = suite.next_sibling("testsuite");
    CHECK(std::string(unread.attribute("name").value()) == "missing.txt");
    CHECK(unread.attribute("tests").as_int() == 1);
    CHECK(unread.attribute("errors").as_int() == 1);
    CHECK(std::string(unread.child("testcase").child("error").attribute("message").value()) ==
          "cannot open file: No such file or directory");
    CHECK_FALSE(unread.next_sibling("testsuite"));
}

TEST_CASE("junit: a clean report is one passing case, a rule unfinished an error, names not UTF-8 kept well-formed") {
    ReportFindings clean = report_of("\xB1\xA8.txt\x07", {});
    InputError slow("packs/local.yaml", SourcePos{12, 5, 0}, "rule SEC-4 needed more than its work bound");
    slow.set_rule("SEC-4");
    clean.rule_errors.push_back(slow);
    const std::string out = written(junit_writer, test_run(), {clean});
    CHECK(is_valid_utf8(out));
    CHECK_FALSE(has_forbidden_control(out));
    pugi::xml_document doc;
    REQUIRE(doc.load_string(out.c_str()));
    pugi::xml_node suite = doc.child("testsuites").child("testsuite");
    CHECK(std::string(suite.attribute("name").value()) == "\xEF\xBF\xBD\xEF\xBF\xBD.txt\xEF\xBF\xBD");
    CHECK(suite.attribute("tests").as_int() == 2);
    CHECK(suite.attribute("errors").as_int() == 1);
    CHECK(suite.attribute("failures").as_int() == 0);
    CHECK(suite.find_child_by_attribute("testcase", "name", "SEC-4 could not finish").child("error"));
    CHECK(suite.find_child_by_attribute("testcase", "name", "other checks passed"));
}

// Goldens of a batch of real reports (a text one with a suggestion, an HTML and a
// DOCX one, and a file that is not there), the run fixed: no time, a fixed version.
TEST_CASE("golden outputs: SARIF and JUnit of real reports") {
    TemplateCatalog catalog = load_templates(default_rulepack_dir() + "/templates.yaml");
    std::vector<RuleDiagnostic> errors;
    RuleSet rules = compile_rule_packs(standard_rule_pack_files(), catalog, errors);
    REQUIRE(errors.empty());
    std::vector<ReportFindings> reports;
    for (const char* relative :
         {"corpus/seeds/002_0ec7f487509b9c4f.txt", "fixtures/html/report-2021.html", "fixtures/docx/report-2020.docx"})
        reports.push_back(check_document(test::read_golden_case(relative), rules, catalog));
    reports.push_back(unreadable("missing.txt"));
    RunInfo run;
    run.tool_version = "0.0.0-golden";
    run.arguments = {"gouji", "check", "corpus/seeds/002_0ec7f487509b9c4f.txt", "fixtures/html/report-2021.html",
                     "fixtures/docx/report-2020.docx", "missing.txt"};
    run.working_directory = "/srv/gouji/tests";
    run.packs = rules.packs();
    run.rules = rules.rules();
    // The packs' paths as in a checkout anywhere: a fresh clone's differ from this one's.
    const std::string standard = default_rulepack_dir() + "/";
    auto relative_pack = [&](std::string& file) {
        if (file.starts_with(standard)) file = "rulepacks/" + file.substr(standard.size());
    };
    for (auto& p : run.packs) relative_pack(p.file);
    for (auto& r : run.rules) relative_pack(r.file);
    const std::string dir = test::test_dir() + "/cases/outputs/";
    const std::string sarif = written(sarif_writer, run, reports);
    const std::string junit = written(junit_writer, run, reports);
    // Each is a whole document before it is compared.
    const json log = json::parse(sarif);
    std::size_t findings = 0;
    for (const auto& r : reports) findings += r.findings.size();
    CHECK(log["runs"][0]["results"].size() == findings);
    pugi::xml_document doc;
    REQUIRE(doc.load_string(junit.c_str()));
    std::string diff = test::compare_golden(dir + "batch.sarif", sarif);
    CHECK_MESSAGE(diff.empty(), diff);
    diff = test::compare_golden(dir + "batch.junit.xml", junit);
    CHECK_MESSAGE(diff.empty(), diff);
}

TEST_CASE("cli: check --format sarif and --format junit over the examples hold every finding") {
    const test::Scratch scratch("sarif-junit");
    const std::string examples = test::shell_quoted(test::test_dir() + "/../examples") + "/*";
    const test::Run as_json = test::run_gouji_in(scratch, "", "check --format json " + examples);
    const json reports = json::parse(as_json.out)["reports"];
    REQUIRE(reports.size() >= 4);
    std::size_t findings = 0, errors = 0, not_assessable = 0;
    for (const auto& r : reports) {
        findings += r["findings"].size();
        errors += r["summary"]["errors"].get<std::size_t>();
        not_assessable += r["summary"]["not_assessable"].get<std::size_t>();
    }
    REQUIRE(findings > 0);

    const test::Run sarif = test::run_gouji_in(scratch, "", "check --format sarif " + examples);
    CHECK(sarif.exit_code == as_json.exit_code);
    const json log = json::parse(sarif.out);
    CHECK(log["runs"][0]["results"].size() == findings);
    CHECK(log["runs"][0]["invocations"][0]["executionSuccessful"] == true);
    CHECK(log["runs"][0]["invocations"][0].contains("startTimeUtc"));

    // --output: the same document in the file, nothing on stdout.
    const std::string file = scratch.path("audit.junit.xml");
    const test::Run junit = test::run_gouji_in(scratch, "", "check --format junit --output " + test::shell_quoted(file) + " " + examples);
    CHECK(junit.exit_code == as_json.exit_code);
    CHECK(junit.out.empty());
    pugi::xml_document doc;
    REQUIRE(doc.load_file(file.c_str()));
    std::size_t suites = 0, failures = 0, skipped = 0, cases = 0;
    for (pugi::xml_node suite : doc.child("testsuites").children("testsuite")) {
        ++suites;
        failures += suite.attribute("failures").as_uint();
        skipped += suite.attribute("skipped").as_uint();
        std::size_t in_suite = 0;
        for ([[maybe_unused]] pugi::xml_node one : suite.children("testcase")) ++in_suite;
        CHECK(in_suite == suite.attribute("tests").as_uint());
        cases += in_suite;
    }
    CHECK(suites == reports.size());
    CHECK(failures == errors);
    CHECK(skipped == not_assessable);
    CHECK(cases == findings + reports.size());  // and one "checks passed" case each
}

TEST_CASE("cli: a report that cannot be read fails the SARIF run and errs in JUnit, as exit code 2 says") {
    const test::Scratch scratch("sarif-junit-unread");
    const std::string report = test::shell_quoted(test::test_dir() + "/corpus/seeds/002_0ec7f487509b9c4f.txt");
    const std::string missing = test::shell_quoted(scratch.path("missing.txt"));
    const test::Run sarif = test::run_gouji_in(scratch, "", "check --format sarif " + report + " " + missing);
    CHECK(sarif.exit_code == 2);
    const json log = json::parse(sarif.out);
    const json& invocation = log["runs"][0]["invocations"][0];
    CHECK(invocation["executionSuccessful"] == false);
    REQUIRE(invocation["toolExecutionNotifications"].size() == 1);
    CHECK(invocation["toolExecutionNotifications"][0]["properties"]["file"] == scratch.path("missing.txt"));
    CHECK_FALSE(log["runs"][0]["results"].empty());  // the readable report's findings stand

    const test::Run junit = test::run_gouji_in(scratch, "", "check --format junit " + missing + " " + report);
    CHECK(junit.exit_code == 2);
    pugi::xml_document doc;
    REQUIRE(doc.load_string(junit.out.c_str()));
    pugi::xml_node first = doc.child("testsuites").child("testsuite");
    CHECK(first.attribute("errors").as_int() == 1);
    CHECK(std::string(first.child("testcase").child("error").attribute("type").value()) == "unreadable");
    CHECK(first.next_sibling("testsuite").attribute("failures").as_int() == 2);
}

TEST_CASE("cli: a folder whose every file is no report fails the SARIF run and errs in JUnit, as exit code 2 says") {
    const test::Scratch scratch("sarif-junit-none");
    scratch.write("notes/README.txt", "这个文件夹放年度报告。\n");
    const std::string folder = test::shell_quoted(scratch.path("notes"));
    const test::Run sarif = test::run_gouji_in(scratch, "", "check --format sarif " + folder);
    CHECK(sarif.exit_code == 2);
    const json log = json::parse(sarif.out);
    const json& invocation = log["runs"][0]["invocations"][0];
    CHECK(invocation["executionSuccessful"] == false);
    REQUIRE(invocation["toolExecutionNotifications"].size() == 1);
    CHECK(invocation["toolExecutionNotifications"][0]["level"] == "error");

    const test::Run junit = test::run_gouji_in(scratch, "", "check --format junit " + folder);
    CHECK(junit.exit_code == 2);
    pugi::xml_document doc;
    REQUIRE(doc.load_string(junit.out.c_str()));
    pugi::xml_node suite = doc.child("testsuites").child("testsuite");
    CHECK(suite.attribute("errors").as_int() == 1);
    CHECK(std::string(suite.child("testcase").child("error").attribute("type").value()) == "no-reports");
}

TEST_CASE("junit: two findings that read alike are two test cases, the second numbered") {
    Finding twin = warning_finding();
    const std::string out = written(junit_writer, test_run(), {report_of("a.txt", {warning_finding(), twin})});
    pugi::xml_document doc;
    REQUIRE(doc.load_string(out.c_str()));
    const std::string label = finding_label(twin);
    pugi::xml_node suite = doc.child("testsuites").child("testsuite");
    CHECK(suite.find_child_by_attribute("testcase", "name", label.c_str()));
    CHECK(suite.find_child_by_attribute("testcase", "name", (label + " (2)").c_str()));
}

namespace {

// Two prose figures that read alike, told apart in their bindings by where each is.
std::vector<Finding> alike_at(std::uint32_t first_line) {
    Finding a = warning_finding();
    a.rule = "NARR-T3-CLOSED";
    a.binding = "f=259 件@" + std::to_string(first_line) + ":94";
    a.location.pos = {first_line, 94, 0};
    Finding b = a;
    b.binding = "f=259 件@" + std::to_string(first_line + 1) + ":8";
    b.location.pos = {first_line + 1, 8, 0};
    return {a, b};
}

std::vector<std::string> fingerprints(const std::string& sarif) {
    std::vector<std::string> prints;
    const json log = json::parse(sarif);
    for (const auto& r : log["runs"][0]["results"]) prints.push_back(r["partialFingerprints"]["goujiFinding/v1"]);
    return prints;
}

std::vector<std::string> case_names(const std::string& junit) {
    pugi::xml_document doc;
    REQUIRE(doc.load_string(junit.c_str()));
    std::vector<std::string> names;
    for (pugi::xml_node c : doc.child("testsuites").child("testsuite").children("testcase")) names.push_back(c.attribute("name").value());
    return names;
}

}  // namespace

TEST_CASE("sarif, junit: findings alike keep their prints and names when a line is added above them") {
    const std::vector<Finding> before = alike_at(17), after = alike_at(18);
    const auto prints = fingerprints(written(sarif_writer, test_run(), {report_of("r.txt", before)}));
    REQUIRE(prints.size() == 2);
    CHECK(prints[0] != prints[1]);
    CHECK(fingerprints(written(sarif_writer, test_run(), {report_of("r.txt", after)})) == prints);
    // The first of them is the finding a report with one such figure had.
    Finding alone = before[0];
    alone.binding = "f=259 件";
    CHECK(fingerprints(written(sarif_writer, test_run(), {report_of("r.txt", {alone})})) ==
          std::vector<std::string>{prints[0]});
    // The binding, with its place, is still in the result's properties.
    CHECK(json::parse(written(sarif_writer, test_run(), {report_of("r.txt", after)}))["runs"][0]["results"][1]["properties"]
              ["binding"] == "f=259 件@19:8");

    const auto names = case_names(written(junit_writer, test_run(), {report_of("r.txt", before)}));
    CHECK(names == std::vector<std::string>{"NARR-T3-CLOSED[f=259 件]", "NARR-T3-CLOSED[f=259 件] (2)", "other checks passed"});
    CHECK(case_names(written(junit_writer, test_run(), {report_of("r.txt", after)})) == names);
    // The place is in the details, for the reader.
    CHECK(written(junit_writer, test_run(), {report_of("r.txt", after)}).find("at r.txt:19:8") != std::string::npos);
}

TEST_CASE("sarif: a report that is not UTF-8 declares its encoding, and a UTF-16 one has no fixes") {
    ReportFindings gb = report_of("gb.md", {balance_finding()}, "markdown");
    gb.encoding = "GB18030";
    ReportFindings utf8 = report_of("u8.md", {balance_finding()}, "markdown");
    utf8.encoding = "UTF-8 (BOM)";
    ReportFindings utf16 = report_of("u16.txt", {balance_finding()});
    utf16.encoding = "UTF-16LE";
    ReportFindings docx = report_of("d.docx", {}, "docx");
    docx.encoding = "UTF-8";
    const json log = json::parse(written(sarif_writer, test_run(), {gb, utf8, utf16, docx}));
    const json& run = log["runs"][0];
    CHECK(run["artifacts"] == json::parse(R"([
        {"location": {"uri": "gb.md", "uriBaseId": "%SRCROOT%"}, "encoding": "GB18030"},
        {"location": {"uri": "u16.txt", "uriBaseId": "%SRCROOT%"}, "encoding": "UTF-16LE"}])"));
    REQUIRE(run["results"].size() == 3);
    // GB18030 writes the digits of a fix as UTF-8 does; UTF-16 does not.
    CHECK(run["results"][0].contains("fixes"));
    CHECK(run["results"][1].contains("fixes"));
    CHECK_FALSE(run["results"][2].contains("fixes"));
    // All UTF-8: no artifacts.
    CHECK_FALSE(json::parse(written(sarif_writer, test_run(), {utf8}))["runs"][0].contains("artifacts"));
}

TEST_CASE("sarif, junit: what --min-severity left out is said") {
    ReportFindings r = report_of("r.txt", {balance_finding()});
    r.findings_not_shown = 3;
    const json log = json::parse(written(sarif_writer, test_run(), {r}));
    const json& notifications = log["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    REQUIRE(notifications.size() == 1);
    CHECK(notifications[0]["level"] == "note");
    CHECK(notifications[0]["message"]["text"] == "3 findings below --min-severity not shown");
    CHECK(log["runs"][0]["invocations"][0]["executionSuccessful"] == true);

    const std::string junit = written(junit_writer, test_run(), {r});
    pugi::xml_document doc;
    REQUIRE(doc.load_string(junit.c_str()));
    const pugi::xml_node suite = doc.child("testsuites").child("testsuite");
    CHECK(std::string(suite.attribute("tests").value()) == "2");
    CHECK(std::string(suite.child("properties").find_child_by_attribute("property", "name", "findings_below_min_severity")
                          .attribute("value").value()) == "3");
    CHECK(std::string(suite.find_child_by_attribute("testcase", "name", "other checks passed").child("system-out").text().get())
              .find("3 findings below --min-severity not shown") != std::string::npos);
    // Without the option, nothing of it.
    CHECK(written(junit_writer, test_run(), {report_of("r.txt", {})}).find("min-severity") == std::string::npos);
}
