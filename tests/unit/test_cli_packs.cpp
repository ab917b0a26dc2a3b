// The --pack files as gouji check takes them: a report given with --pack, and a
// pack named twice.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "gouji/template_schema.hpp"
#include "tests/unit/cli_test_support.hpp"
#include "tests/unit/golden.hpp"

namespace {

using gouji::test::Run;
using gouji::test::shell_quoted;

const gouji::test::Scratch& scratch() {
    static const gouji::test::Scratch s("cli-packs");
    return s;
}

Run run_gouji(const std::string& args) { return gouji::test::run_gouji_in(scratch(), "", args); }

const std::string report = gouji::test::test_dir() + "/corpus/seeds/002_0ec7f487509b9c4f.txt";

const std::string report_as_pack = ": error: this is a report, not a rule pack (give a report as a path, without --pack: "
                                   "gouji check --pack PACK.yaml REPORT)\n";

}  // namespace

TEST_CASE("cli packs: a report given with --pack is said to be a report, not read as a pack gone wrong") {
    // It was read as YAML: "invalid YAML: did not find expected <document start>".
    const std::string other = scratch().write("beside-report.yaml", "pack: beside-report\nrules:\n  - id: X\n");
    Run r = run_gouji("check --no-standard --pack " + shell_quoted(report) + " --pack " + shell_quoted(other) + " " +
                      shell_quoted(report));
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    // Said first, and the other pack's errors still come in the same run.
    CHECK(r.err.starts_with(report + report_as_pack));
    CHECK(r.err.find("rule 'X' has no 'severity'") != std::string::npos);
    CHECK(r.err.find("YAML") == std::string::npos);
    // Alone: nothing else is said (not also "no rule packs to check with").
    Run alone = run_gouji("check --no-standard --pack " + shell_quoted(report) + " " + shell_quoted(report));
    CHECK(alone.exit_code == 2);
    CHECK(alone.err == report + report_as_pack);
}

TEST_CASE("cli packs: a pack named twice with --pack, or a standard one, is read once, with a note") {
    const std::string pack = scratch().write("twice.yaml", "pack: twice\nrules: []\n");
    const std::filesystem::path folder = std::filesystem::path(pack).parent_path();
    const std::string again = (folder / ".." / folder.filename() / "twice.yaml").string();
    Run r = run_gouji("check --no-standard --pack " + shell_quoted(pack) + " --pack " + shell_quoted(pack) + " --pack " +
                      shell_quoted(again) + " " + shell_quoted(report));
    CHECK(r.exit_code == 0);
    CHECK(r.err == "gouji check: note: --pack " + pack + " is given twice: it is read once\n" +
                       "gouji check: note: --pack " + again + " is the same file as --pack " + pack + ": it is read once\n");
    const std::string standard = gouji::default_rulepack_dir() + "/common.yaml";
    Run s = run_gouji("check --pack " + shell_quoted(standard) + " " + shell_quoted(report));
    CHECK(s.exit_code == 1);
    CHECK(s.err == "gouji check: note: --pack " + standard +
                       " is a standard pack, used already: it is read once (--no-standard uses only the packs given)\n");
}

TEST_CASE("cli packs: an override of a standard rule without extends names the pack to extend") {
    const std::string pack = scratch().write("no-extends.yaml", "pack: no-extends\noverrides:\n  - {id: T3-BALANCE, severity: warning}\n");
    Run r = run_gouji("check --pack " + shell_quoted(pack) + " " + shell_quoted(report));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("no-extends.yaml:3:10: error: override of unknown rule 'T3-BALANCE' (it is a rule of pack "
                     "'gov-tables', which this pack does not extend: add extends: [gov-tables])") != std::string::npos);
}

// YAML ends a plain value at " #": a message or check cut there would say less, or
// fail to parse at a place the author cannot see the reason for.
TEST_CASE("cli packs: a value YAML cut short at ' #' is an error at the '#', a comment after it is not") {
    const std::string pack = scratch().write("hash.yaml", "pack: hash\nrules:\n  - id: R\n    severity: error\n"
                                                          "    kind: sum\n    for: c in 表三.columns\n"
                                                          "    check: 表三.总计[c] >= 0  # counts are never negative\n"
                                                          "    message: 表三 #{c} 列：总计为负\n");
    Run r = run_gouji("check --no-standard --pack " + shell_quoted(pack) + " " + shell_quoted(report));
    CHECK(r.exit_code == 2);
    INFO(r.err);
    CHECK(r.err.find("hash.yaml:8:17: error: YAML reads ' #' as the start of a comment, so the value of 'message' ends "
                     "before it ('表三'): put the whole value in quotes, or write it on the lines below 'message: >-' "
                     "(a comment is written '# ' with a space)\n") != std::string::npos);
    CHECK(r.err.find(":7:") == std::string::npos);
    // After a word or an expression, "#暂定" is a comment, as YAML reads it.
    const std::string commented = scratch().write("hash-comment.yaml", "pack: hash-comment\nrules:\n  - id: R\n"
                                                                       "    severity: warning #暂定\n    kind: sum\n"
                                                                       "    check: 表三.总计.总计 >= 0 #todo\n");
    Run ok = run_gouji("check --no-standard --pack " + shell_quoted(commented) + " " + shell_quoted(report));
    CHECK(ok.exit_code == 0);
    CHECK(ok.err.empty());
}

// A --templates copy of a standard template (based on its own id) that drops a row:
// the standard rules that read the row do not check its reports, as for a new
// template based on one; nothing is blamed on the standard packs.
TEST_CASE("cli packs: a local copy of a standard template without a row sets aside the rules that read it") {
    const std::string local = scratch().write("local-gov-2019.yaml", R"(templates:
  - id: gov-2019
    based-on: gov-2019
    years: {from: 2019, to: 2020}
    tables:
      - id: 表三
        label: 收到和处理政府信息公开申请情况
        section: 收到和处理政府信息公开申请情况
        columns: [自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计]
        rows:
          - {id: 本年新收, label: 一、本年新收政府信息公开申请数量, aliases: [本年新收]}
          - {id: 予以公开, label: （一）予以公开}
          - {id: 总计, label: （七）总计}
          - {id: 结转下年度继续办理, label: 四、结转下年度继续办理}
)");
    Run r = run_gouji("--templates " + shell_quoted(local) + " check --format json " + shell_quoted(report));
    INFO(r.err);
    CHECK(r.exit_code != 2);
    CHECK(r.err.find("error:") == std::string::npos);
    CHECK(r.err.find("rules do not check the reports of template 'gov-2019': 表三 has no row '上年结转' (") !=
          std::string::npos);
}

// Set aside is for the standard rules a local copy took a name from: a rule of one's
// own that reads a name no template has is a mistake in the rule, copy or not.
TEST_CASE("cli packs: a local copy of a standard template does not hide a misspelt row in a rule of one's own") {
    const std::string local = scratch().write("local-gov-2019-same.yaml", "templates:\n  - id: gov-2019\n"
                                                                          "    based-on: gov-2019\n"
                                                                          "    years: {from: 2019, to: 2020}\n");
    const std::string pack = scratch().write("typo-row.yaml", "pack: typo-row\nrules:\n  - id: R\n    severity: error\n"
                                                              "    kind: sum\n    check: 表三.予以公开X.总计 >= 0\n");
    Run r = run_gouji("--templates " + shell_quoted(local) + " check --pack " + shell_quoted(pack) + " " +
                      shell_quoted(report));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("typo-row.yaml:6:15: error: unknown row or member '予以公开X' in 表三") != std::string::npos);
}
