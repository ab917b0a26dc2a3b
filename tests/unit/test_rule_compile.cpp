// Compiling rule packs: positions of errors in every YAML scalar style, the
// golden error cases (tests/cases/rule-errors/*/pack.yaml, with the case's templates.yaml if it has one -> expected.txt),
// extends / overrides / replacement, and a realistic pack (its compile time: bench/).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "engine/eval/builtins.hpp"
#include "gouji/check.hpp"
#include "gouji/source.hpp"
#include "gouji/text.hpp"
#include "rules/task_thread.hpp"
#include "tests/unit/rule_fixture.hpp"

using namespace gouji;
namespace fs = std::filesystem;

namespace {

const TemplateCatalog& test_catalog() {
    static const TemplateCatalog c = fixture::catalog();
    return c;
}

std::string errors_of(const std::string& pack) {
    std::string errors;
    (void)fixture::compile_texts({{"p.yaml", pack}}, test_catalog(), errors);
    return errors;
}

std::string rule(const std::string& check, const std::string& extra = "") {
    return "pack: p\nrules:\n  - id: R\n    severity: error\n    kind: sum\n    check: " + check + "\n" + extra;
}

// What an unknown name nothing is close to is told a name can be (the test catalog has 表二 and 表三).
const std::string what_a_name_is =
    " (a name is a table: 表二, 表三; a param of the pack; a let or for variable of the rule; or one of the report's: "
    "year, template, title, agency, period, published, sections, figures, lists)";

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
    return s;
}

// A spare thread offered to the compiles while this lives, as the RegexTablesWarmup
// of `gouji check` offers its own (a warm-up made meanwhile, the compile's own, does
// not). `held`: kept at its first work until this ends, as the warm-up's is while
// ICU builds its tables, so that a compile finds it busy.
class OfferedSpareThread {
public:
    explicit OfferedSpareThread(bool held) : thread_([this, held] {
        if (held) released_.wait();
    }) {
        rules::offer_spare_thread(thread_);
    }
    ~OfferedSpareThread() {
        rules::withdraw_spare_thread(thread_);
        release_.set_value();
    }
    OfferedSpareThread(const OfferedSpareThread&) = delete;
    OfferedSpareThread& operator=(const OfferedSpareThread&) = delete;

private:
    std::promise<void> release_;
    std::shared_future<void> released_ = release_.get_future().share();
    rules::TaskThread thread_;
};

// The compile's second thread as a test may find it: started by the compile, the
// spare thread, or the spare thread still busy (the compile then does all on its
// own). Called at a test's start, it runs the test once for each (doctest subcases).
void each_second_thread(std::optional<OfferedSpareThread>& spare) {
    SUBCASE("the compile's own second thread") {}
    SUBCASE("the spare thread") { spare.emplace(false); }
    SUBCASE("the spare thread, busy until the compile ends") { spare.emplace(true); }
}

}  // namespace

TEST_CASE("rule compile: the compatibility rules compile against both templates") {
    CHECK(errors_of(rule("表三.本年新收.总计 + 表三.上年结转.总计 == 表三.总计.总计 + 表三.结转下年度继续办理.总计")) == "");
    CHECK(errors_of(rule("has_section(\"其他需要报告的事项\")")) == "");
}

TEST_CASE("rule compile: an applies-to that reads what only a report tells may hold for any template") {
    // The agency, title and sections are not known before a report is read: the
    // rules are checked against every template, not refused as applying to none.
    CHECK(errors_of("pack: p\napplies-to: matches(agency, \"局$\")\n" + rule("表三.本年新收.总计 >= 0").substr(8)) == "");
    CHECK(errors_of("pack: p\napplies-to: year >= 2021 and title != \"\"\n" + rule("表三.本年新收.总计 >= 0").substr(8)) == "");
    // What only a report tells may hold, but the template it names still narrows it:
    // 逾期不补正 is a row of gov-2021's 表三 only.
    CHECK(errors_of("pack: p\napplies-to: template == \"gov-2021\" and matches(agency, \"局$\")\n" +
                    rule("表三.逾期不补正.总计 >= 0").substr(8)) == "");
    CHECK(errors_of("pack: p\napplies-to: template == \"gov-2021\" and has_section(\"其他需要报告的事项\")\n" +
                    rule("表三.逾期不补正.总计 >= 0").substr(8)) == "");
    CHECK(errors_of("pack: p\napplies-to: matches(agency, \"局$\")\n" + rule("表三.逾期不补正.总计 >= 0").substr(8))
              .find("unknown row or member '逾期不补正' in 表三 of template gov-2019") != std::string::npos);
    // The year and the template alone are known: a condition no template meets is an error.
    CHECK(errors_of("pack: p\napplies-to: year < 2000 and template == \"gov-2021\"\n" + rule("true").substr(8))
              .starts_with("p.yaml:2:13: error: applies-to holds for no template in any year it covers"));
}

TEST_CASE("rule compile: the names of a pack for a template not given are checked once it is given") {
    // Nine rules: the last, compiled on either thread, reads a row the 2027 form
    // alone names (an alias of 本年新收); the pack's one error names it.
    std::string pack = "pack: p\napplies-to: template == \"gov-2027\"\nrules:\n";
    for (int i = 0; i < 8; ++i)
        pack += "  - id: R" + std::to_string(i) + "\n    severity: info\n    kind: sum\n    check: 表三.本年新收.总计 > " +
                std::to_string(i) + "\n";
    pack += "  - id: NEW\n    severity: info\n    kind: sum\n    check: 表三.本年新受理.总计 > 0\n"
            "    message: \"新受理 {表三.本年新受理.总计} 件\"\n";
    std::string errors = errors_of(pack);
    INFO(errors);
    CHECK(errors.starts_with("p.yaml:2:26: error: unknown template 'gov-2027': no report has it (known: gov-2019, gov-2021); "
                             "the rules read row '本年新受理' of 表三 (line 39), which gov-2021, the nearest id, lacks: "));
    CHECK(errors.find("p.yaml:", 1) == std::string::npos);

    TemplateCatalog with_2027 = test_catalog();
    TemplateSchema t = *std::find_if(with_2027.templates.begin(), with_2027.templates.end(),
                                     [](const TemplateSchema& s) { return s.id == "gov-2021"; });
    t.id = "gov-2027";
    t.first_year = 2027;
    t.based_on = {"gov-2021"};
    for (auto& table : t.tables) {
        if (table.id != "表三") continue;
        table.name_index = nullptr;
        for (auto& row : table.rows)
            if (row.id == "本年新收") row.aliases.push_back("本年新受理");
    }
    with_2027.templates.push_back(t);
    std::string given;
    (void)fixture::compile_texts({{"p.yaml", pack}}, with_2027, given);
    CHECK(given == "");
    // Given, a row it lacks is an error at the rule's line, as in any pack.
    given.clear();
    (void)fixture::compile_texts({{"p.yaml", replace_all(pack, "本年新受理", "本年新收理")}}, with_2027, given);
    INFO(given);
    CHECK(given.starts_with("p.yaml:39:15: error: unknown row or member '本年新收理' in 表三"));
}

TEST_CASE("rule compile: an error is reported at its file line and column, with the line and a caret") {
    CHECK(errors_of(rule("表三.本年新收.商业企业s > 0")) ==
          "p.yaml:6:20: error: unknown column '商业企业s' in 表三 (did you mean '商业企业'?)\n"
          "    check: 表三.本年新收.商业企业s > 0\n"
          "                         ^\n");
}

TEST_CASE("rule compile: positions inside quoted and block scalars") {
    SUBCASE("double-quoted with escapes before the error") {
        CHECK(errors_of(rule(R"X("\"\u00e9\" != \"a\" and 表三.本年新收.x > 0")X")) ==
              "p.yaml:6:45: error: unknown column 'x' in 表三\n"
              R"X(    check: "\"\u00e9\" != \"a\" and 表三.本年新收.x > 0")X" "\n"
              "                                                  ^\n");
    }
    SUBCASE("single-quoted with a doubled quote") {
        CHECK(errors_of(rule(R"X('''a'' == "b" or 表三.本年新收.x > 0')X")) ==
              "p.yaml:6:37: error: unknown column 'x' in 表三\n"
              R"X(    check: '''a'' == "b" or 表三.本年新收.x > 0')X" "\n"
              "                                          ^\n");
    }
    SUBCASE("literal block") {
        CHECK(errors_of(rule("|\n      表三.本年新收.总计\n        + 表三.上年结转.商业企业s == 0")) ==
              "p.yaml:8:19: error: unknown column '商业企业s' in 表三 (did you mean '商业企业'?)\n"
              "        + 表三.上年结转.商业企业s == 0\n"
              "                        ^\n");
    }
    SUBCASE("folded block") {
        CHECK(errors_of(rule(">\n      表三.本年新收.总计 +\n      表三.上年结转.x == 0")) ==
              "p.yaml:8:15: error: unknown column 'x' in 表三\n"
              "      表三.上年结转.x == 0\n"
              "                    ^\n");
    }
    SUBCASE("plain scalar over two lines") {
        CHECK(errors_of(rule("表三.本年新收.总计 +\n      表三.上年结转.x == 0")) ==
              "p.yaml:7:15: error: unknown column 'x' in 表三\n"
              "      表三.上年结转.x == 0\n"
              "                    ^\n");
    }
    SUBCASE("a value ending in an escape: the text is not the file byte for byte") {
        // 'year == ''' is the text `year == '`: its end is the closing quote, after
        // the doubled one (a byte-for-byte reading put it one column short).
        CHECK(errors_of(rule("'year == ''a'' +'")) ==
              "p.yaml:6:28: error: expected an operand after the operator\n"
              "    check: 'year == ''a'' +'\n"
              "                           ^\n");
        // The quote of the text `year == '` that is never closed: the doubled one.
        CHECK(errors_of(rule("'year == '''")) ==
              "p.yaml:6:21: error: the text opened by this ' is never closed: add the closing ' where it ends\n"
              "    check: 'year == '''\n"
              "                    ^\n");
    }
    SUBCASE("a placeholder of a message") {
        CHECK(errors_of(rule("true", "    message: \"合计 {表三.本年新收.合计} 与 {totl}\"\n")) ==
              "p.yaml:7:34: error: unknown name 'totl'" + what_a_name_is + "\n"
              "    message: \"合计 {表三.本年新收.合计} 与 {totl}\"\n"
              "                                            ^\n");
    }
}

// A fuzzed pack's name of megabytes made an error line of megabytes: the error
// quotes the name's start, the source line is windowed around the caret as ever.
TEST_CASE("rule compile: an unknown name of any length gives an error line of ordinary length") {
    const std::string name = "x" + std::string(3'000'000, 'y');
    const std::string errors = errors_of(rule(name + " > 0"));
    CHECK(errors.find("p.yaml:6:12: error: unknown name 'xyyy") == 0);
    const std::string first_line = errors.substr(0, errors.find('\n'));
    CHECK(first_line.size() < 400);
    CHECK(first_line.find("…'") != std::string::npos);
    CHECK(errors.size() < 2000);
}

// A column is counted from a stretch boundary on a long line: each stretch boundary
// may fall inside a character, and a line may start just before, at or after one.
TEST_CASE("rule compile: a column on a long line is counted as on a short one") {
    std::string text;
    std::uint32_t seed = 12345;
    auto next = [&seed] { return seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7fff; };
    for (int line = 0; line < 40; ++line) {
        const std::size_t chars = line % 3 == 0 ? next() % 9000 : next() % 50;
        for (std::size_t i = 0; i < chars; ++i) text += next() % 3 == 0 ? "a" : next() % 2 ? "表" : "𠀀";
        text += '\n';
    }
    const SourceText source("t.yaml", text);
    std::uint32_t line = 1, column = 1;  // one more than the lead bytes since the line's start
    for (std::size_t byte = 0; byte <= text.size(); ++byte) {
        const SourcePos pos = source.position_of(byte);
        REQUIRE(pos.line == line);
        REQUIRE(pos.column == column);
        if (byte == text.size()) break;
        if (text[byte] == '\n') line += 1, column = 1;
        else if ((static_cast<unsigned char>(text[byte]) & 0xC0) != 0x80) column += 1;
    }
}

// Each unknown name of a 130,000-name list on one line is placed before it is found
// to repeat the first: counted from the line's start, that took seconds.
TEST_CASE("rule compile: a list of 130,000 unknown names on one line gives one error at its first") {
    std::string names;
    for (int i = 0; i < 130'000; ++i) names += i ? ",乙" : "乙";
    const std::string errors = errors_of(rule("sum([" + names + "]) == 1"));
    CHECK(errors.find("p.yaml:6:17: error: unknown name '乙'") == 0);
    CHECK(std::count(errors.begin(), errors.end(), '\n') == 3);
}

// A template starting later takes the years it covers over from one open-ended
// (gov-2027 {from: 2027} leaves gov-2021 2021–2026): an applies-to is tried in the
// years whose reports get each template, not in those the template names (user tester).
TEST_CASE("rule compile: an applies-to is judged in the years a template's reports are of") {
    static const TemplateCatalog catalog = [] {
        TemplateCatalog c = fixture::catalog();
        TemplateSchema later = c.templates.back();  // gov-2021, from 2021
        later.id = "gov-2027";
        later.first_year = 2027;
        later.tables.at(0).rows.push_back(fixture::row("撤回申请", "3.申请人主动撤回申请", "其他处理"));
        c.templates.push_back(later);
        return c;
    }();
    auto errors_in = [](const std::string& pack) {
        std::string errors;
        (void)fixture::compile_texts({{"p.yaml", pack}}, catalog, errors);
        return errors;
    };
    // No report of 2027 or later gets gov-2021: the row is gov-2027's, and there.
    CHECK(errors_in(rule("表三.撤回申请.总计 >= 0", "    applies-to: year >= 2027\n")) == "");
    CHECK(errors_in(rule("表三.撤回申请.总计 >= 0", "    applies-to: year >= 2026\n")).find("unknown row or member '撤回申请' in 表三 of template gov-2021") != std::string::npos);
    // gov-2021's reports are of 2021–2026: this never runs.
    CHECK(errors_in("pack: p\napplies-to: year >= 2027 and template == \"gov-2021\"\nrules:\n  - id: R\n    severity: error\n"
                    "    kind: sum\n    check: year > 0\n")
              .rfind("p.yaml:2:13: error: applies-to holds for no template in any year it covers (gov-2019 2019–2020, "
                     "gov-2021 2021–2026, gov-2027 from 2027)", 0) == 0);
}

TEST_CASE("rule compile: a problem on one line shared by several rules is reported once") {
    // A YAML alias gives three rules the same check: its unknown name is one line's
    // problem, whichever rule (and thread) meets it.
    std::string pack = "pack: p\nrules:\n"
                       "  - id: A1\n    severity: info\n    kind: sum\n    check: &c nosuch_name > 0\n"
                       "  - id: A2\n    severity: info\n    kind: sum\n    check: *c\n"
                       "  - id: A3\n    severity: info\n    kind: sum\n    check: *c\n";
    for (int i = 0; i < 10; ++i)
        pack += "  - id: R" + std::to_string(i) + "\n    severity: info\n    kind: sum\n    check: year > 0\n";
    CHECK(errors_of(pack) == "p.yaml:6:15: error: unknown name 'nosuch_name'" + what_a_name_is + "\n"
                             "    check: &c nosuch_name > 0\n"
                             "              ^\n");
}

TEST_CASE("rule compile: all errors of a pack are collected in one run") {
    std::string pack = R"(pack: p
rules:
  - id: A
    severity: error
    kind: sum
    check: 表五.总计.总计 > 0
  - id: B
    severity: errror
    kind: sum
    check: summ(表三.rows) > 0
  - id: C
    severity: error
    kind: sum
    let:
      unused: 1
    check: year == 2020
)";
    std::string errors = errors_of(pack);
    CHECK(errors.find("p.yaml:6:12: error: unknown table '表五'") != std::string::npos);
    CHECK(errors.find("p.yaml:8:15: error: severity must be error, warning or info, not 'errror'") != std::string::npos);
    CHECK(errors.find("p.yaml:10:12: error: unknown function 'summ' (did you mean 'sum'?)") != std::string::npos);
    CHECK(errors.find("p.yaml:15:7: error: unused let 'unused'") != std::string::npos);
}

TEST_CASE("rule compile: a did-you-mean is offered only for a likely slip") {
    // A name inside a longer one is a slip when it is most of it ("新收" in "本年新收"),
    // not when it is a letter of it ("e" in "year", "b" in "published").
    CHECK(errors_of(rule("e > 0")) ==
          "p.yaml:6:12: error: unknown name 'e'" + what_a_name_is + "\n    check: e > 0\n           ^\n");
    CHECK(errors_of(rule("表三.新收.总计 > 0")).find("(did you mean '本年新收'?)") != std::string::npos);
    std::string pack = R"(pack: p
rules:
  - id: R
    severity: error
    kind: sum
    chek: 表三.found
    ab: 1
)";
    std::string errors = errors_of(pack);
    CHECK(errors.find("unknown key 'chek' in a rule (did you mean 'check'?)") != std::string::npos);
    CHECK(errors.find("unknown key 'ab' in a rule\n") != std::string::npos);  // two edits make 'id' of any two letters
}

TEST_CASE("rule compile: an override's key misspelt is said once, not also as missing") {
    const std::string base = "pack: base\nrules:\n  - id: A\n    severity: error\n    kind: sum\n    check: year > 0\n";
    const std::string local = R"(pack: local
extends: [base]
overrides:
  - {idd: A, severity: warning}
  - {id: A, severty: warning}
  - {id: A}
)";
    std::string errors;
    (void)fixture::compile_texts({{"base.yaml", base}, {"local.yaml", local}}, test_catalog(), errors);
    CHECK(errors.find("local.yaml:4:6: error: unknown key 'idd' in an override (did you mean 'id'?)") != std::string::npos);
    CHECK(errors.find("local.yaml:5:13: error: unknown key 'severty' in an override (did you mean 'severity'?)") !=
          std::string::npos);
    CHECK(errors.find("override has no 'id'") == std::string::npos);
    // Only the override that names no change at all, misspelt or not, changes nothing.
    CHECK(errors.find("local.yaml:6:5: error: override of 'A' changes nothing: give 'severity' or 'disabled'") !=
          std::string::npos);
    CHECK(errors.find("changes nothing") == errors.rfind("changes nothing"));
}

TEST_CASE("rule compile: a failed compile returns an empty rule set") {
    std::vector<RuleDiagnostic> diagnostics;
    RuleSet set = compile_rule_packs(std::vector<PackText>{{"p.yaml", rule("1 +")}}, test_catalog(), diagnostics);
    CHECK(set.empty());
    REQUIRE(diagnostics.size() == 1);
    CHECK(diagnostics[0].pos == SourcePos{6, 15, 0});
    CHECK(diagnostics[0].message == "expected an operand after the operator");
    CHECK(diagnostics[0].source_line == "    check: 1 +");

    diagnostics.clear();
    (void)compile_rule_packs(std::vector<std::string>{"/nonexistent/pack.yaml"}, test_catalog(), diagnostics);
    REQUIRE(diagnostics.size() == 1);
    CHECK(diagnostics[0].render() == "/nonexistent/pack.yaml: error: cannot read the rule pack: No such file or directory (check the path)\n");

    // A directory named as a pack is said to be one.
    diagnostics.clear();
    const std::string dir = (fs::path(GOUJI_TEST_DIR) / "cases" / "rule-errors").string();
    (void)compile_rule_packs(std::vector<std::string>{dir}, test_catalog(), diagnostics);
    REQUIRE(diagnostics.size() == 1);
    CHECK(diagnostics[0].render() == dir + ": error: is a directory, not a rule pack: give its .yaml files (e.g. --pack " +
                                         dir + "/pack.yaml)\n");
}

TEST_CASE("rule compile: a pack that is not UTF-8 shows its line decoded as GB18030, or not at all") {
    // GBK's 某 is C4 B3, which UTF-8 reads as 'ĳ': the raw line would show other characters than were written.
    CHECK(errors_of("pack: p\ntitle: \xC4\xB3\xCA\xD0\nrules: []\n") ==
          "p.yaml:2:9: error: invalid YAML: invalid trailing UTF-8 octet (0xD0): save the file as UTF-8 (it reads as "
          "GB18030 or GBK text, shown decoded here)\n"
          "title: 某市\n"
          "         ^\n");
    // 0xFF is no GB18030 either: the line and column are said, the bytes are not shown.
    CHECK(errors_of("pack: p\ntitle: \xFF\xFE x\nrules: []\n") ==
          "p.yaml:2: error: invalid YAML: invalid leading UTF-8 octet (0xFF): save the file as UTF-8\n");
}

TEST_CASE("rule compile: golden error cases") {
    fs::path root = fs::path(GOUJI_TEST_DIR) / "cases" / "rule-errors";
    bool update = std::getenv("GOUJI_REFRESH_GOLDENS") != nullptr;
    std::size_t cases = 0;
    for (const auto& entry : fs::directory_iterator(root)) {
        if (!entry.is_directory()) continue;
        fs::path pack = entry.path() / "pack.yaml";
        if (!fs::exists(pack)) continue;
        ++cases;
        CAPTURE(entry.path().filename().string());
        // A case about the templates a pack applies to may bring its own catalog.
        const fs::path templates = entry.path() / "templates.yaml";
        const TemplateCatalog own = fs::exists(templates) ? load_templates(templates.string()) : TemplateCatalog{};
        std::vector<RuleDiagnostic> diagnostics;
        RuleSet set = compile_rule_packs(std::vector<std::string>{pack.string()},
                                         fs::exists(templates) ? own : test_catalog(), diagnostics);
        CHECK(set.empty());
        CHECK_FALSE(diagnostics.empty());
        std::string actual = replace_all(render(diagnostics), entry.path().string() + "/", "");
        fs::path expected = entry.path() / "expected.txt";
        if (update) {
            std::ofstream(expected, std::ios::binary) << actual;
            continue;
        }
        CHECK(actual == read(expected));
    }
    CHECK(cases >= 20);
}

TEST_CASE("rule compile: extends, overrides and replacement") {
    std::string base = R"(pack: base
title: 基础
version: "1"
rules:
  - id: A
    severity: error
    kind: sum
    check: 表三.本年新收.总计 == 0
  - id: B
    severity: error
    kind: sum
    check: 表三.上年结转.总计 == 1
  - id: C
    severity: error
    kind: sum
    check: 表三.总计.总计 == 0
)";
    std::string local = R"(pack: local
extends: base
applies-to: year >= 2020
overrides:
  - {id: A, severity: warning}
  - {id: B, disabled: true}
rules:
  - id: C
    severity: info
    kind: sum
    check: 表三.总计.总计 == 1
  - id: D
    severity: error
    kind: required
    check: has_section("复议诉讼")
)";
    std::string errors;
    RuleSet set = fixture::compile_texts({{"base.yaml", base}, {"local.yaml", local}}, test_catalog(), errors);
    REQUIRE(errors == "");
    auto packs = set.packs();
    REQUIRE(packs.size() == 2);
    CHECK(packs[0].id == "base");
    CHECK(packs[1].extends == std::vector<std::string>{"base"});
    CHECK(set.rules().size() == 5);

    fixture::ModelBuilder b(test_catalog(), "gov-2019", 2020);
    b.table("表三", fixture::seed002_table3());
    auto findings = evaluate(set, b.model());
    REQUIRE(findings.size() == 3);
    CHECK(findings[0].rule == "A");
    CHECK(findings[0].severity == Severity::Warning);
    CHECK(findings[0].pack == "base");
    CHECK(findings[1].rule == "C");
    CHECK(findings[1].severity == Severity::Info);
    CHECK(findings[1].pack == "local");
    CHECK(findings[2].rule == "D");

    // The extending pack does not apply to 2019: the base rules run unchanged.
    fixture::ModelBuilder y2019(test_catalog(), "gov-2019", 2019);
    y2019.table("表三", fixture::seed002_table3());
    findings = evaluate(set, y2019.model());
    REQUIRE(findings.size() == 3);
    CHECK(findings[0].rule == "A");
    CHECK(findings[0].severity == Severity::Error);
    CHECK(findings[1].rule == "B");
    CHECK(findings[2].rule == "C");
    CHECK(findings[2].pack == "base");
}

TEST_CASE("rule compile: two packs that set one rule's severity apart, neither extending the other, are an error") {
    const std::string base = R"(pack: base
rules:
  - id: SEC-6
    severity: error
    kind: required
    check: has_section("其他需要报告的事项")
)";
    auto local = [](const std::string& id, const std::string& applies, const std::string& severity) {
        return "pack: " + id + "\n" + applies + "extends: [base]\noverrides:\n  - {id: SEC-6, severity: " + severity + "}\n";
    };
    std::string errors;
    // For a report both apply to, the one given last would win: which one is an accident of the command line.
    (void)fixture::compile_texts({{"base.yaml", base}, {"a.yaml", local("a", "", "warning")}, {"b.yaml", local("b", "", "info")}},
                                 test_catalog(), errors);
    CHECK(errors == "b.yaml:4:27: error: pack 'a' sets the severity of 'SEC-6' to warning (a.yaml:4), this pack to info: "
                    "for a report both apply to, the one given last would win; let one pack extend the other, or give "
                    "the override in one of them\n"
                    "  - {id: SEC-6, severity: info}\n"
                    "                          ^\n");
    // The same severity, packs that never apply to one report, or one pack
    // extending the other (whose change is then meant to win) are no conflict.
    CHECK(fixture::compile_texts({{"base.yaml", base}, {"a.yaml", local("a", "", "info")}, {"b.yaml", local("b", "", "info")}},
                                 test_catalog(), errors)
              .rules()
              .size() == 1);
    CHECK(errors == "");
    (void)fixture::compile_texts({{"base.yaml", base},
                                  {"a.yaml", local("a", "applies-to: year == 2020\n", "warning")},
                                  {"b.yaml", local("b", "applies-to: year == 2021\n", "info")}},
                                 test_catalog(), errors);
    CHECK(errors == "");
    (void)fixture::compile_texts({{"base.yaml", base},
                                  {"a.yaml", local("a", "", "warning")},
                                  {"b.yaml", "pack: b\nextends: [a]\noverrides:\n  - {id: SEC-6, severity: info}\n"}},
                                 test_catalog(), errors);
    CHECK(errors == "");
}

TEST_CASE("rule compile: an override that can take effect on no report is an error, year by year too") {
    const std::string base = R"(pack: base
rules:
  - id: R2020
    severity: error
    kind: format
    applies-to: year == 2020
    check: year > 0
)";
    auto local = [](const std::string& applies) {
        return "pack: local\napplies-to: " + applies + "\nextends: [base]\noverrides:\n  - {id: R2020, severity: info}\n";
    };
    std::string errors;
    // Both admit gov-2019 (2019–2020), in years that never meet.
    (void)fixture::compile_texts({{"base.yaml", base}, {"local.yaml", local("year == 2019")}}, test_catalog(), errors);
    CHECK(errors.starts_with("local.yaml:5:10: error: override of 'R2020' never takes effect: no report is audited both "
                             "by this pack and by the rule (the rule runs on gov-2019 reports, this pack's applies-to "
                             "admits gov-2019)"));
    (void)fixture::compile_texts({{"base.yaml", base}, {"local.yaml", local("year >= 2020")}}, test_catalog(), errors);
    CHECK(errors == "");
}

TEST_CASE("rule compile: a 2021-on pack overriding a gov-2019 standard rule is told the override never takes effect") {
    const fs::path dir = fs::temp_directory_path() / ("gouji-never-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path local = dir / "local.yaml";
    std::ofstream(local) << "pack: local\napplies-to: year >= 2021\nextends: [gov-2019]\noverrides:\n"
                            "  - {id: T2-2019-CHANGE, severity: warning}\n  - {id: SEC-6, severity: warning}\n";
    const TemplateCatalog catalog = load_templates(default_rulepack_dir() + "/templates.yaml");
    std::vector<RuleDiagnostic> diagnostics;
    (void)compile_rule_packs(std::vector<std::string>{local.string()}, catalog, diagnostics);
    REQUIRE(diagnostics.size() == 1);  // SEC-6 runs on gov-2021 reports too
    CHECK(diagnostics[0].pos.line == 5);
    CHECK(diagnostics[0].message.starts_with("override of 'T2-2019-CHANGE' never takes effect"));
    fs::remove_all(dir);
}

TEST_CASE("rule compile: a pack given changes a standard pack's override without a conflict") {
    // The standard packs come before every pack given: gov-2019-advisory lowers
    // SEC-6 for 2019 reports, and a pack given that sets it is meant to win.
    const fs::path dir = fs::temp_directory_path() / ("gouji-override-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path local = dir / "local.yaml";
    std::ofstream(local) << "pack: local\nextends: [common]\noverrides:\n  - {id: SEC-6, severity: error}\n";
    const TemplateCatalog catalog = load_templates(default_rulepack_dir() + "/templates.yaml");
    std::vector<std::string> files = standard_rule_pack_files();
    files.push_back(local.string());
    std::vector<RuleDiagnostic> diagnostics;
    const RuleSet set = compile_rule_packs(files, catalog, diagnostics);
    CHECK(render(diagnostics) == "");
    CHECK_FALSE(set.empty());
    fs::remove_all(dir);
}

TEST_CASE("rule compile: a very long plain pattern compiles in linear time and is checked by ICU") {
    // Read a character at a time, the word used to be copied whole for each one:
    // 300,000 characters took minutes. Past 64 KiB ICU checks a pattern at once.
    const std::string word(300000, 'a');
    const std::vector<std::pair<std::string, bool>> cases = {
        {word + "$", true}, {"^" + word + "(b|c)?", false}, {"b.*" + word, false}};
    for (const auto& [pattern, matches_text] : cases) {
        std::string error;
        std::size_t at = 0;
        auto compiled = program::compile_regex(pattern, error, at);
        REQUIRE(compiled);
        CHECK(error == "");
        CHECK(program::literal_match(*compiled, "xx" + word) == std::optional<bool>(matches_text));
    }
}

TEST_CASE("rule compile: a regular expression's error points at the '(' left open, as written") {
    auto column_of = [](const std::string& check) {
        std::string errors;
        std::string pack = "pack: p\nrules:\n  - id: R\n    severity: info\n    kind: format\n    check: " + check + "\n";
        (void)fixture::compile_texts({{"p.yaml", pack}}, test_catalog(), errors);
        INFO(errors);
        REQUIRE(errors.starts_with("p.yaml:6:"));
        return std::stoi(errors.substr(9));
    };
    // "    check: " is 11 columns; matches("x", is 13 more: the pattern's quote is column 25.
    CHECK(column_of(R"(matches("x", "(y"))") == 26);
    CHECK(column_of(R"(matches("x", "中(y"))") == 27);           // characters, not bytes
    CHECK(column_of(R"(matches("x", "\"a(y"))") == 29);          // \" is two columns of the source
    CHECK(column_of(R"(matches("x", "'a(b"))") == 28);           // a quote inside is no opening quote
    CHECK(column_of(R"(matches("x", ("a(b")))") == 28);          // in parentheses
}

TEST_CASE("rule compile: a rule id another pack has says how to replace that rule") {
    std::string base = "pack: base\nrules:\n  - id: A\n    severity: error\n    kind: sum\n    check: 表三.总计.总计 == 0\n";
    std::string local = "pack: local\nrules:\n  - id: A\n    severity: info\n    kind: sum\n    check: 表三.总计.总计 == 1\n";
    std::string errors;
    (void)fixture::compile_texts({{"base.yaml", base}, {"local.yaml", local}}, test_catalog(), errors);
    CHECK(errors.starts_with("local.yaml:3:9: error: duplicate rule id 'A' (also defined at base.yaml:3; to replace that "
                             "rule of pack 'base', add `extends: [base]` to this pack, or give this rule another id)\n"));
}

TEST_CASE("rule compile: extends by file path and by id beside the pack") {
    fs::path dir = fs::temp_directory_path() / "gouji-rule-compile-test";
    fs::create_directories(dir / "sub");
    std::ofstream(dir / "common.yaml") << "pack: common\nrules:\n  - id: X\n    severity: error\n    kind: sum\n    check: year > 3000\n";
    std::ofstream(dir / "sub" / "by-path.yaml") << "pack: by-path\nextends: ../common.yaml\noverrides:\n  - {id: X, severity: info}\n";
    std::ofstream(dir / "by-id.yaml") << "pack: by-id\nextends: [common]\noverrides:\n  - {id: X, disabled: true}\n";
    fixture::ModelBuilder b(test_catalog(), "gov-2019", 2020);

    std::vector<RuleDiagnostic> diagnostics;
    RuleSet by_path = compile_rule_packs(std::vector<std::string>{(dir / "sub" / "by-path.yaml").string()}, test_catalog(), diagnostics);
    CHECK(render(diagnostics) == "");
    auto findings = evaluate(by_path, b.model());
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].severity == Severity::Info);

    RuleSet by_id = compile_rule_packs(std::vector<std::string>{(dir / "by-id.yaml").string()}, test_catalog(), diagnostics);
    CHECK(render(diagnostics) == "");
    CHECK(by_id.rules().size() == 1);
    CHECK(evaluate(by_id, b.model()).empty());

    // Both at once: common is loaded once.
    RuleSet both = compile_rule_packs(std::vector<std::string>{(dir / "sub" / "by-path.yaml").string(), (dir / "by-id.yaml").string()},
                                      test_catalog(), diagnostics);
    CHECK(render(diagnostics) == "");
    CHECK(both.packs().size() == 3);
    CHECK(evaluate(both, b.model()).empty());
    fs::remove_all(dir);
}

TEST_CASE("rule compile: packs parsed on two threads report as if parsed in turn") {
    // The later packs' YAML is parsed on a second thread: their errors must still
    // come in the order the packs are given, and a pack given twice is read once.
    std::optional<OfferedSpareThread> spare;
    each_second_thread(spare);
    fs::path dir = fs::temp_directory_path() / "gouji-rule-compile-parallel";
    fs::create_directories(dir);
    std::string big = "pack: big\nrules:\n";
    for (int i = 0; i < 200; ++i)
        big += "  - id: R" + std::to_string(i) + "\n    severity: info\n    kind: sum\n    check: year > " + std::to_string(i) + "\n";
    big += "  - id: BAD\n    severity: loud\n    kind: sum\n    check: true\n";
    std::ofstream(dir / "a-big.yaml") << big;
    std::ofstream(dir / "b-broken.yaml") << "pack: broken\nrules:\n  - id: X\n    check： true\n";
    std::ofstream(dir / "c-fine.yaml") << "pack: fine\nrules:\n  - id: Y\n    severity: info\n    kind: sum\n    check: unknown_name > 0\n";
    std::vector<std::string> files = {(dir / "a-big.yaml").string(), (dir / "b-broken.yaml").string(),
                                      (dir / "missing.yaml").string(), (dir / "c-fine.yaml").string(),
                                      (dir / "b-broken.yaml").string(), (dir / "missing.yaml").string()};
    std::vector<RuleDiagnostic> diagnostics;
    (void)compile_rule_packs(files, test_catalog(), diagnostics);
    std::vector<std::string> where;
    for (const auto& d : diagnostics) where.push_back(fs::path(d.file).filename().string() + ":" + std::to_string(d.pos.line));
    INFO(render(diagnostics));
    // Files in order of their first error: YAML and reading errors come before
    // the compile's (a-big parses; its rule is wrong).
    CHECK(where == std::vector<std::string>{"b-broken.yaml:4", "missing.yaml:0", "a-big.yaml:804", "c-fine.yaml:6"});
    fs::remove_all(dir);
}

TEST_CASE("rule compile: rules compiled on two threads report and keep their order as if compiled in turn") {
    // Rules compile side by side: pack a's error is in its last rule and pack b's
    // in its first, so b's would come first if errors were kept as they came.
    std::optional<OfferedSpareThread> spare;
    each_second_thread(spare);
    auto pack = [](const std::string& id, int bad_rule, const std::string& params) {
        std::string p = "pack: " + id + "\n" + params + "rules:\n";
        for (int i = 0; i < 20; ++i)
            p += "  - id: " + id + std::to_string(i) + "\n    severity: info\n    kind: sum\n    check: " +
                 (i == bad_rule ? "year > nope" : "year > " + std::to_string(i)) + "\n";
        return p;
    };
    std::string a = pack("a", 19, "params:\n  limit: 2019 +\n");
    std::string b = pack("b", 0, "") + "  - id: b3\n    severity: info\n    kind: sum\n    check: true\n";
    std::vector<RuleDiagnostic> diagnostics;
    RuleSet set = compile_rule_packs(std::vector<PackText>{{"a.yaml", a}, {"b.yaml", b}}, test_catalog(), diagnostics);
    std::vector<std::string> where;
    for (const auto& d : diagnostics) where.push_back(d.file + ":" + std::to_string(d.pos.line));
    INFO(render(diagnostics));
    CHECK(where == std::vector<std::string>{"a.yaml:3", "a.yaml:84", "b.yaml:6", "b.yaml:83"});
    CHECK(set.empty());

    // Without errors, the rules come in the order written, pack by pack.
    diagnostics.clear();
    set = compile_rule_packs(std::vector<PackText>{{"a.yaml", pack("a", -1, "")}, {"b.yaml", pack("b", -1, "")}},
                             test_catalog(), diagnostics);
    CHECK(diagnostics.empty());
    std::vector<std::string> ids;
    for (const auto& r : set.rules()) ids.push_back(r.id);
    REQUIRE(ids.size() == 40);
    for (int i = 0; i < 20; ++i) {
        CHECK(ids[static_cast<std::size_t>(i)] == "a" + std::to_string(i));
        CHECK(ids[static_cast<std::size_t>(20 + i)] == "b" + std::to_string(i));
    }
}

TEST_CASE("rule compile: the standard packs compiled on two threads at once compile as when alone") {
    // A library user may compile in parallel: each compile has its own second
    // thread (one of them may have the spare thread), but the parsed expressions
    // and the compiled patterns are the process's.
    std::optional<OfferedSpareThread> spare;
    each_second_thread(spare);
    const TemplateCatalog catalog = load_templates(default_rulepack_dir() + "/templates.yaml");
    const std::vector<std::string> files = standard_rule_pack_files();
    struct Compiled {
        std::vector<std::string> rules;  // id, pack, severity and place of each, in order
        std::string errors;
    };
    auto compile = [&] {
        std::vector<RuleDiagnostic> diagnostics;
        RuleSet set = compile_rule_packs(files, catalog, diagnostics);
        Compiled c;
        for (const auto& r : set.rules())
            c.rules.push_back(r.id + " " + r.pack + " " + std::string(to_string(r.severity)) + " " + r.file + ":" +
                              std::to_string(r.pos.line));
        c.errors = render(diagnostics);
        return c;
    };
    // First at once, while the caches are empty (when this test runs alone), then alone.
    Compiled a, b;
    std::thread other([&] { b = compile(); });
    a = compile();
    other.join();
    const Compiled alone = compile();
    CHECK(alone.errors == "");
    CHECK(alone.rules.size() > 100);
    CHECK(a.errors == alone.errors);
    CHECK(b.errors == alone.errors);
    CHECK(a.rules == alone.rules);
    CHECK(b.rules == alone.rules);
}

TEST_CASE("rule compile: a realistic pack compiles without diagnostics") {
    std::string rules;
    for (int i = 0; i < 60; ++i) {
        rules += "  - id: R" + std::to_string(i) + "\n    severity: error\n    kind: sum\n    for: c in 表三.columns\n"
                 "    check: 表三.本年新收[c] + 表三.上年结转[c] == 表三.总计[c] + 表三.结转下年度继续办理[c]\n"
                 "    message: \"表三「{c}」列：新收 {表三.本年新收[c]} + 结转 {表三.上年结转[c]} ≠ 总计 {表三.总计[c]}\"\n";
    }
    std::string pack = fixture::pack_with_rules(rules);
    std::string errors;
    RuleSet set = fixture::compile_texts({{"p.yaml", pack}}, test_catalog(), errors);
    CHECK(errors == "");
    CHECK(set.rules().size() == 60);
}

TEST_CASE("rule compile: an applies-to that reads the year through a param admits the years it names") {
    // 逾期不补正 is a row of the 2021 template only, which covers 2021 on; the pack
    // applies from 2023, through a param: the template is admitted (no unknown row),
    // the 2019 template (2019–2020) is not (its 表三 has no such row).
    const std::string pack = R"(pack: late
params:
  recent: year >= 2023
applies-to: recent
rules:
  - id: LATE
    severity: error
    kind: sum
    check: 表三.逾期不补正.总计 >= 0
)";
    std::string errors;
    RuleSet set = fixture::compile_texts({{"late.yaml", pack}}, fixture::catalog(), errors);
    CHECK(errors == "");
    CHECK(set.rules().size() == 1);
    // Before 2023 it names a row of no admitted template: that is an error.
    std::string early = pack;
    early.replace(early.find("year >= 2023"), 12, "year <= 2020");
    RuleSet none = fixture::compile_texts({{"early.yaml", early}}, fixture::catalog(), errors);
    CHECK(errors.find("逾期不补正") != std::string::npos);
}

TEST_CASE("rule compile: an expression that starts with a quoted text is a YAML slip, wherever libyaml stops") {
    // libyaml says "did not find expected key" at the text after the closing quote
    // (or, under a let, that the key is indented wrong): the slip is the quote.
    CHECK(errors_of(rule(R"("整改" in section("总体情况").text)")) ==
          "p.yaml:6:12: error: invalid YAML: the value of 'check' starts with a quote, so YAML reads it as a quoted text "
          "that ends at its closing quote: put the whole value in single quotes ('\"整改\" in section(\"总体情况\").text') "
          "or write it on the lines below 'check: >-'\n"
          R"(    check: "整改" in section("总体情况").text)" "\n"
          "           ^\n");
    // A quoted value followed by a comment is no slip.
    CHECK(errors_of(rule(R"("表三.found" # a comment)")) == "");
}
