// `gouji check --format html` (docs/html.md): one page that holds every report,
// escapes whatever a report, a pack or a file name holds, reads nothing from
// outside, and stays a page when the batch stops halfway.
#include <doctest/doctest.h>
#include <gumbo.h>

#include <filesystem>
#include <pugixml.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "gouji/check.hpp"
#include "gouji/outputs.hpp"
#include "gouji/readers.hpp"
#include "gouji/text.hpp"
#include "tests/unit/cli_test_support.hpp"
#include "tests/unit/golden.hpp"
#include "tests/unit/rule_fixture.hpp"

using namespace gouji;

namespace {

struct Standard {
    TemplateCatalog catalog = load_templates(default_rulepack_dir() + "/templates.yaml");
    RuleSet rules;
    Standard() {
        std::vector<RuleDiagnostic> errors;
        rules = compile_rule_packs(standard_rule_pack_files(), catalog, errors);
        REQUIRE(errors.empty());
    }
};

const Standard& standard() {
    static const Standard s;
    return s;
}

// A run as the goldens keep it: no time, no folder, a version that never moves.
RunInfo fixed_run(const std::vector<std::string>& files) {
    RunInfo run;
    run.tool_version = "0.0.0-golden";
    run.arguments = {"gouji", "check", "--format", "html"};
    run.arguments.insert(run.arguments.end(), files.begin(), files.end());
    run.packs = standard().rules.packs();
    return run;
}

// The page of `reports`, written as gouji check writes it; `closed`: the batch
// ran to its end (else it stopped after the last report).
std::string page_of(const std::vector<ReportFindings>& reports, bool closed = true) {
    std::ostringstream out;
    std::vector<std::string> files;
    for (const auto& r : reports) files.push_back(r.file);
    auto writer = html_writer(out, fixed_run(files));
    CHECK(writer->quotes_source());
    BatchTally tally;
    for (const auto& r : reports) {
        writer->write(writer->entry(r));
        tally.add(r);
    }
    if (closed) writer->close(tally);
    CHECK(writer->good());
    return out.str();
}

ReportFindings checked(const std::string& relative, const RuleSet& rules) {
    return check_document(test::read_golden_case(relative), rules, standard().catalog);
}

const std::string seed002 = "corpus/seeds/002_0ec7f487509b9c4f.txt";

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

// How many parse errors the HTML5 parser met: a page a browser reads as written
// has none. (gumbo keeps what each error is out of its public API.)
unsigned html5_errors(const std::string& page) {
    GumboOutput* parsed = gumbo_parse_with_options(&kGumboDefaultOptions, page.data(), page.size());
    const unsigned errors = parsed->errors.length;
    gumbo_destroy_output(&kGumboDefaultOptions, parsed);
    return errors;
}

// Every element of the page, parsed as XML: the markup is well-formed, so a
// stricter reader than a browser can take it as well.
pugi::xml_document parsed_xml(const std::string& page) {
    pugi::xml_document doc;
    pugi::xml_parse_result result = doc.load_buffer(page.data(), page.size(), pugi::parse_default | pugi::parse_doctype);
    INFO("offset " << result.offset << ": " << page.substr(static_cast<std::size_t>(result.offset), 80));
    CHECK_MESSAGE(result, result.description());
    return doc;
}

// Nothing a browser would fetch: no src, no link but to the page itself, no
// stylesheet import or url().
void check_self_contained(const std::string& page) {
    pugi::xml_document doc = parsed_xml(page);
    for (pugi::xpath_node n : doc.select_nodes("//*")) {
        const pugi::xml_node e = n.node();
        CHECK_MESSAGE(std::string(e.name()) != "script", "a script element");
        CHECK_MESSAGE(std::string(e.name()) != "link", "a link element");
        CHECK_MESSAGE(std::string(e.name()) != "img", "an image");
        for (pugi::xml_attribute a : e.attributes()) {
            const std::string name = a.name();
            CHECK_MESSAGE(name != "src", e.name());
            CHECK_MESSAGE(!name.starts_with("on"), e.name(), " has an event handler");
            if (name == "href") CHECK_MESSAGE(std::string(a.value()).starts_with("#"), a.value());
        }
    }
    const std::string style = doc.select_node("//style").node().child_value();
    CHECK(!style.empty());
    CHECK(style.find("@import") == std::string::npos);
    CHECK(style.find("url(") == std::string::npos);
    CHECK(style.find("http") == std::string::npos);
}

}  // namespace

TEST_CASE("html output: hostile report text, rule text and file names are escaped, never markup") {
    ReportFindings report;
    // <script> in a GBK-named file with an escape sequence and a bell in its name.
    report.file = "<script>alert(1)</script>\"'&\x1b[2J\x07\xb1\xa8.txt";
    report.format = "text";
    report.template_id = "gov-2019";
    report.agency = "某局<b>\x01";
    Finding f;
    f.rule = "X<1>";
    f.binding = "c=\"商业企业\"";
    f.title = "title with 'quotes' & <i>";
    f.message = "表三 <script>alert(\"x\")</script> \x0b\x0c\x7f\xc2\x85 end";
    f.basis = "<a href=\"http://example.invalid\">basis</a>";
    f.pack = "p&p";
    f.severity_from = "local<pack>";
    f.location.pos = SourcePos{3, 5, 0};
    CellRef c;
    c.path = "表三.<x>";
    c.text = "<b>";
    c.pos = f.location.pos;
    c.value = Value::of(1);
    f.cells.push_back(c);
    report.findings.push_back(f);
    report.source_lines[3] = "abcd<b> <img src=x onerror=alert(1)> \x1b]0;t\x07";
    const std::string page = page_of({report});

    CHECK(is_valid_utf8(page));
    CHECK(page.find("<script") == std::string::npos);
    CHECK(page.find("<img") == std::string::npos);
    CHECK(page.find("机关 agency 某局&lt;b&gt;\uFFFD</span>") != std::string::npos);
    CHECK(page.find("href=\"http") == std::string::npos);
    for (char control : {'\x01', '\x07', '\x0b', '\x0c', '\x1b', '\x7f'}) CHECK(page.find(control) == std::string::npos);
    CHECK(page.find("\xc2\x85") == std::string::npos);  // C1 NEL
    CHECK(page.find("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;\uFFFD[2J\uFFFD\uFFFD\uFFFD.txt") != std::string::npos);
    CHECK(page.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; \uFFFD\uFFFD\uFFFD\uFFFD end") != std::string::npos);
    CHECK(page.find("title with &#39;quotes&#39; &amp; &lt;i&gt;") != std::string::npos);
    CHECK(page.find("<strong>依据 basis</strong>：&lt;a href=&quot;http://example.invalid&quot;&gt;basis&lt;/a&gt;</p>") !=
          std::string::npos);
    CHECK(page.find("<span>规则包 pack p&amp;p</span>") != std::string::npos);
    CHECK(page.find("<span>严重程度由 severity set by local&lt;pack&gt;</span>") != std::string::npos);
    // The cell's text is marked in its line, escaped like the rest of it.
    CHECK(page.find("abcd<mark>&lt;b&gt;</mark> &lt;img src=x onerror=alert(1)&gt; \uFFFD]0;t\uFFFD</pre>") !=
          std::string::npos);
    CHECK(html5_errors(page) == 0);
    check_self_contained(page);
}

TEST_CASE("html output: an unreadable report, a rule that could not finish and a reader's warning are said in their sections") {
    ReportFindings missing = unreadable_report("missing.txt", InputError("missing.txt", SourcePos{}, "cannot open file: No such file or directory", "check the path"));
    ReportFindings partial;
    partial.file = "partial.txt";
    partial.format = "text";
    InputError cut("rulepacks/x.yaml", SourcePos{4, 3, 0}, "the rule needed more than its work bound", "simplify it");
    cut.set_rule("SLOW-RULE");
    partial.rule_errors.push_back(cut);
    partial.reader_warnings.push_back("poppler reported 5 errors reading this PDF <damaged>");
    const std::string page = page_of({missing, partial});
    INFO(page);
    CHECK(page.find("<section class=\"report unreadable\" id=\"report-1\">") != std::string::npos);
    CHECK(page.find("<p class=\"problem\"><strong>无法读取 could not be read</strong> missing.txt: error: cannot open "
                    "file: No such file or directory (check the path)</p>") != std::string::npos);
    CHECK(page.find("<section class=\"report rule-errors\" id=\"report-2\">") != std::string::npos);
    CHECK(page.find("<code>SLOW-RULE</code> rulepacks/x.yaml:4:3: error: the rule needed more than its work bound (simplify it)") !=
          std::string::npos);
    CHECK(page.find("<li>poppler reported 5 errors reading this PDF &lt;damaged&gt;</li>") != std::string::npos);
    // The summary counts both.
    CHECK(page.find("<li>1 份报告无法读取 could not be read</li>") != std::string::npos);
    CHECK(page.find("<li>1 条规则未能在 1 份报告上完成 rules could not finish on reports</li>") != std::string::npos);
    CHECK(html5_errors(page) == 0);
    parsed_xml(page);
}

TEST_CASE("html output: a real report's suggestion in words, its cells with their side of the sum, the cell marked") {
    const std::string page = page_of({checked(seed002, standard().rules)});
    INFO(page.substr(0, 4000));
    CHECK(page.find("<strong>建议 suggestion</strong>：将 表三「本年新收」×「商业企业」由 0 改为 <strong>9</strong>，可同时消除 "
                    "<code>T3-BALANCE[c=商业企业]</code>、") != std::string::npos);
    CHECK(page.find("<tr><td>表三.总计.商业企业</td><td class=\"written\">9</td><td>120:59</td><td>右边 right</td></tr>") !=
          std::string::npos);
    CHECK(page.find("<tr><td>表三.本年新收.商业企业</td><td class=\"written\">0</td><td>95:92</td><td>左边 left</td></tr>") !=
          std::string::npos);
    CHECK(page.find("<span class=\"ln\">95 |</span>") != std::string::npos);
    CHECK(page.find("<mark>0</mark>") != std::string::npos);
    CHECK(page.find("<span class=\"badge sev-error\">错误 error</span> <code class=\"rule\">T3-BALANCE[c=商业企业]</code>") !=
          std::string::npos);
    CHECK(html5_errors(page) == 0);
    check_self_contained(page);
}

TEST_CASE("html output: a check not assessable has its own badge and lists the value that says why") {
    std::string errors;
    RuleSet rules = fixture::compile_texts(
        {{"blank.yaml", fixture::pack_with_rules("  - id: BLANK\n    severity: error\n    kind: sum\n"
                                                 "    check: 表三.本年新收.总计 + 表三.结转下年度继续办理.自然人 > 0\n")}},
        standard().catalog, errors);
    REQUIRE(errors.empty());
    const std::string page = page_of({checked(seed002, rules)});
    INFO(page);
    CHECK(page.find("<article class=\"finding sev-na\">\n<h3><span class=\"badge sev-na\">无法评估 not assessable</span> "
                    "<code class=\"rule\">BLANK</code>") != std::string::npos);
    CHECK(page.find("<td>表三.结转下年度继续办理.自然人</td>") != std::string::npos);
    // Only the value that says why: the 231 it could read is not listed.
    CHECK(page.find("<td>表三.本年新收.总计</td>") == std::string::npos);
    CHECK(page.find("无法评估 not assessable <b>1</b>") != std::string::npos);
}

TEST_CASE("html output: a batch stopped halfway is a page holding the reports done, the summary lists each report") {
    const ReportFindings report = checked(seed002, standard().rules);
    const std::string cut = page_of({report, report}, false);
    CHECK(cut.find("id=\"summary\"") == std::string::npos);
    CHECK(cut.ends_with("</section>\n"));
    CHECK(count_of(cut, "<section class=\"report") == 2);
    // Complete but for the closing tags a browser supplies.
    CHECK(html5_errors(cut) <= 1);  // the body left open at the end
    CHECK(html5_errors("<!DOCTYPE html><p a=\"1\" a=\"2\">&#1;</p>") > 0);  // the check can fail

    const std::string whole = page_of({report, report});
    CHECK(whole.starts_with(cut));
    CHECK(whole.ends_with("</html>\n"));
    // Last in the text, first on the screen and on paper.
    CHECK(whole.find("#summary{order:-1") != std::string::npos);
    CHECK(whole.find("<li><a href=\"#report-1\">corpus/seeds/002_0ec7f487509b9c4f.txt</a> ") != std::string::npos);
    CHECK(whole.find("<li><a href=\"#report-2\">") != std::string::npos);
    // On paper: nothing fixed or sticky over the text, a page for each report.
    CHECK(whole.find("@media print") != std::string::npos);
    CHECK(whole.find(".report{break-before:page") != std::string::npos);
    CHECK(whole.find("position:") == std::string::npos);
    CHECK(html5_errors(whole) == 0);
    check_self_contained(whole);
}

// Refresh: GOUJI_REFRESH_GOLDENS=1 build/tests/gouji_tests -tc='*golden*'.
TEST_CASE("golden html output: a text report with a suggestion and an HTML report, as the page writes them") {
    for (const std::string& relative : {seed002, std::string("fixtures/html/report-2021.html")}) {
        CAPTURE(relative);
        const std::string page = page_of({checked(relative, standard().rules)});
        const std::string golden = test::test_dir() + "/cases/outputs/html/" +
                                   std::filesystem::path(relative).filename().string() + ".check.html";
        const std::string diff = test::compare_golden(golden, page);
        CHECK_MESSAGE(diff.empty(), diff);
        CHECK(html5_errors(page) == 0);
        check_self_contained(page);
    }
}

TEST_CASE("html output: gouji check --format html --output FILE writes one page holding every report") {
    const test::Scratch scratch("html");
    const std::string examples = std::filesystem::path(test::test_dir()).parent_path().string() + "/examples";
    std::vector<std::string> files;
    std::string args;
    for (const auto& e : std::filesystem::directory_iterator(examples)) {
        files.push_back(e.path().filename().string());
        args += " " + test::shell_quoted(e.path().string());
    }
    REQUIRE(files.size() >= 3);
    const std::string output = scratch.path("audit.html");
    test::Run r = test::run_gouji_in(scratch, "", "check --format html --output " + test::shell_quoted(output) + args);
    INFO(r.err);
    CHECK(r.exit_code == 1);  // the examples have findings
    CHECK(r.out.empty());
    const std::string page = test::read_text_file(output);
    CHECK(page.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    CHECK(page.ends_with("</html>\n"));
    CHECK(count_of(page, "<section class=\"report") == files.size());
    for (const auto& f : files) CHECK_MESSAGE(page.find(f + " <a class=\"up\"") != std::string::npos, f);
    CHECK(page.find("已审核 " + std::to_string(files.size()) + " 份报告 reports checked") != std::string::npos);
    CHECK(page.find("<tr><th>命令 command line</th><td><code>") != std::string::npos);
    CHECK(html5_errors(page) == 0);
    check_self_contained(page);
}

TEST_CASE("html output: a report whose file name is not UTF-8 keeps the page UTF-8, its name printable") {
    const test::Scratch scratch("html-name");
    const std::string odd = scratch.path("gbk\xb1\xa8\xb8\xe6.txt");  // 报告 in GBK
    std::filesystem::copy_file(test::test_dir() + "/" + seed002, odd);
    test::Run r = test::run_gouji_in(scratch, "", "check --format html " + test::shell_quoted(odd));
    CHECK(r.exit_code == 1);
    CHECK(is_valid_utf8(r.out));
    CHECK(r.out.find("gbk\uFFFD\uFFFD\uFFFD\uFFFD.txt <a class=\"up\"") != std::string::npos);
    CHECK(r.out.find("<li><a href=\"#report-1\">" + scratch.path("gbk\uFFFD\uFFFD\uFFFD\uFFFD.txt") + "</a>") !=
          std::string::npos);
    CHECK(html5_errors(r.out) == 0);
}

TEST_CASE("html output: last week's page filed in the folder audited is passed over, not audited, and written again") {
    const test::Scratch scratch("html-weekly");
    const std::string folder = scratch.path("reports");
    std::filesystem::create_directories(folder);
    std::filesystem::copy_file(test::test_dir() + "/" + seed002, folder + "/seed002.txt");
    const std::string page = folder + "/audit.html";
    const std::string week1 = folder + "/audit-week1.html";
    const std::string command = "check --format html --output ";
    test::Run first = test::run_gouji_in(scratch, "", command + test::shell_quoted(week1) + " " + test::shell_quoted(folder));
    REQUIRE(first.exit_code == 1);
    for (int week = 2; week <= 3; ++week) {
        CAPTURE(week);
        // Each week: the page of the week before (another name) and of this name are in the folder.
        test::Run r = test::run_gouji_in(scratch, "", command + test::shell_quoted(page) + " " + test::shell_quoted(folder));
        INFO(r.err);
        // It audited the week-1 page as a report (27 errors of its quoted lines), and
        // in week 3 refused: "--output names …/audit.html, which gouji reads".
        CHECK(r.exit_code == first.exit_code);
        CHECK(r.err.find(week1 + ": passed over, not a report: a results page gouji wrote") != std::string::npos);
        CHECK(r.err.find("gouji check: checked 1 report: ") != std::string::npos);
        const std::string written = test::read_text_file(page);
        CHECK(count_of(written, "<section class=\"report") == 1);
        CHECK(written.find("seed002.txt <a class=\"up\"") != std::string::npos);
    }
    // Named by its own path, a page is read as any file is.
    test::Run named = test::run_gouji_in(scratch, "", "check --format json " + test::shell_quoted(week1));
    CHECK(named.err.find("a results page gouji wrote") == std::string::npos);
}

TEST_CASE("html output: findings --min-severity left out are said by the report, its line in the list and the summary") {
    ReportFindings warned;
    warned.file = "warned.txt";
    warned.format = "text";
    warned.findings_not_shown = 3;
    ReportFindings clean;
    clean.file = "clean.txt";
    clean.format = "text";
    const std::string page = page_of({warned, clean});
    INFO(page);
    const std::string said = "<span class=\"left-out\">另有 3 项低于 --min-severity 的问题未列出 3 findings below --min-severity not shown</span>";
    // Not a clean report: its section, its line in the list and the summary's counts say the three.
    CHECK(page.find("<section class=\"report has-findings\" id=\"report-1\">") != std::string::npos);
    CHECK(page.find("<section class=\"report clean\" id=\"report-2\">") != std::string::npos);
    CHECK(count_of(page, said) == 3);
    CHECK(page.find("<li><a href=\"#report-1\">warned.txt</a> " + said + "</li>") != std::string::npos);
    CHECK(page.find("<li><a href=\"#report-2\">clean.txt</a> <span class=\"clean-note\">无问题 no findings</span></li>") !=
          std::string::npos);
    CHECK(count_of(page, "未发现问题 no findings") == 1);  // the clean one's section alone
    CHECK(html5_errors(page) == 0);
    parsed_xml(page);
}
