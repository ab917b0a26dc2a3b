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
