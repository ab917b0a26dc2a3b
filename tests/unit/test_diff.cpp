// gouji diff: two outputs of gouji check --format json compared. The stage on
// results written here by hand (how findings and entries pair, what counts as a
// change, the errors of inputs that are not check outputs, with their places),
// then the command on check outputs of the corpus's seeds with and without a
// pack that changes them (tests/cases/diff/pack-change).
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "engine/output/finding_identity.hpp"
#include "gouji/diff.hpp"
#include "gouji/source.hpp"
#include "tests/unit/cli_test_support.hpp"
#include "tests/unit/golden.hpp"

namespace {

using json = nlohmann::ordered_json;
using gouji::CheckResults;
using gouji::FindingDifference;
using gouji::test::Run;
using gouji::test::shell_quoted;
using Kind = FindingDifference::Kind;

// ---- results written by hand ------------------------------------------------

// A finding as gouji check writes one: the fields diff reads, and some it does not.
json finding(const std::string& rule, const std::string& binding, const std::string& severity = "error",
             const std::string& message = "m", bool assessable = true, int line = 1) {
    json f;
    f["rule"] = rule;
    f["severity"] = severity;
    f["kind"] = "sum";
    f["assessable"] = assessable;
    f["message"] = message;
    f["location"] = {{"file", "a.txt"}, {"line", line}, {"column", 1}};
    f["binding"] = binding;
    return f;
}

json report(const std::string& file, std::vector<json> findings, const json& template_id = "gov-2019") {
    json r;
    r["file"] = file;
    r["template"] = template_id;
    r["findings"] = findings;
    return r;
}

std::string results_text(std::vector<json> reports) {
    json j;
    j["reports"] = reports;
    return j.dump(1);
}

CheckResults results(std::vector<json> reports) { return gouji::parse_check_results("r.json", results_text(std::move(reports))); }

// describe() of the error reading `text` throws; "" when it reads.
std::string error_of(std::string_view text) {
    try {
        gouji::parse_check_results("r.json", text);
    } catch (const gouji::InputError& e) {
        return e.describe();
    }
    return "";
}

// A finding difference as "~RULE[binding]:fields", "+RULE[binding]", "-RULE[binding]".
std::string said(const FindingDifference& d) {
    const gouji::CheckedFinding& f = d.after ? *d.after : *d.before;
    std::string s = std::string(d.kind == Kind::Added ? "+" : d.kind == Kind::Removed ? "-" : "~") + f.rule + "[" +
                    f.binding + "]";
    for (std::size_t i = 0; i < d.fields.size(); ++i) s += (i ? "," : ":") + d.fields[i];
    return s;
}

std::vector<std::string> said(const gouji::EntryDiff& entry) {
    std::vector<std::string> lines;
    for (const auto& d : entry.findings) lines.push_back(said(d));
    return lines;
}

const gouji::DiffNames kNames{"before.json", "after.json"};

}  // namespace

TEST_CASE("diff: findings pair by rule and binding, several alike the n-th with the n-th") {
    const CheckResults before = results({report("a.txt", {finding("A", "x=1", "error", "first"), finding("A", "x=1", "error", "second"),
                                                          finding("B", ""), finding("C", "y=2")})});
    const CheckResults after = results({report("a.txt", {finding("A", "x=1", "error", "first"), finding("A", "x=1", "warning", "second"),
                                                         finding("A", "x=1", "error", "third"), finding("B", ""), finding("D", "")})});
    const gouji::ResultsDiff diff = gouji::diff_results(before, after);
    REQUIRE(diff.reports.size() == 1);
    const gouji::EntryDiff& a = diff.reports[0];
    CHECK(a.status() == "both");
    // In the after input's order; C, removed, after the paired findings that came before it.
    CHECK(said(a) == std::vector<std::string>{"~A[x=1]:severity", "+A[x=1]", "+D[]", "-C[y=2]"});
    CHECK(a.findings[1].after->message == "third");
    CHECK(a.unchanged == 2);
    CHECK(a.differs());
    CHECK(diff.differs());
}

TEST_CASE("diff: findings alike, told apart by their place, are the same findings when lines move") {
    CHECK(gouji::binding_identity("f=259 件@18:94") == "f=259 件");
    CHECK(gouji::binding_identity("f=8件@19:54#2") == "f=8件");
    CHECK(gouji::binding_identity("f=8件@page 3:12:5") == "f=8件");
    CHECK(gouji::binding_identity("f=8件#2") == "f=8件#2");  // alike with no place: numbered in order already
    CHECK(gouji::binding_identity("t=10:30") == "t=10:30");
    CHECK(gouji::binding_identity("c=商业企业") == "c=商业企业");
    // A blank line inserted above them: each moved a line down.
    const CheckResults before = results({report("a.txt", {finding("N", "f=259 件@17:94"), finding("N", "f=259 件@18:8")})});
    const CheckResults moved = results({report("a.txt", {finding("N", "f=259 件@18:94"), finding("N", "f=259 件@19:8")})});
    gouji::ResultsDiff diff = gouji::diff_results(before, moved);
    CHECK(said(diff.reports[0]).empty());
    CHECK(diff.reports[0].unchanged == 2);
    CHECK_FALSE(diff.differs());
    // One "259 件" before; a second written after: one finding added, the first paired with the first.
    const CheckResults one = results({report("a.txt", {finding("N", "f=259 件")})});
    diff = gouji::diff_results(one, moved);
    CHECK(said(diff.reports[0]) == std::vector<std::string>{"+N[f=259 件@19:8]"});
    CHECK(diff.reports[0].unchanged == 1);
    CHECK(gouji::entry_diff_text(diff.reports[0], kNames) ==
          "── a.txt (template gov-2019)\n"
          "+ error[N[f=259 件@19:8]] m\n"
          "   1 added, 0 removed, 0 changed, 1 unchanged\n\n");
}

TEST_CASE("diff: a finding changes by its severity, assessable or message, not by where it points") {
    const CheckResults before = results({report("a.txt", {finding("MOVED", "", "error", "m", true, 10), finding("GONE-INFO", "c=1", "error", "12 ≠ 13"),
                                                          finding("REWORDED", "", "warning", "旧的说法")})});
    const CheckResults after = results(
        {report("a.txt", {finding("MOVED", "", "error", "m", true, 20), finding("GONE-INFO", "c=1", "info", "not assessable: 表三.总计 (blank)", false),
                          finding("REWORDED", "", "warning", "新的说法")})});
    const gouji::ResultsDiff diff = gouji::diff_results(before, after);
    CHECK(said(diff.reports[0]) ==
          std::vector<std::string>{"~GONE-INFO[c=1]:severity,assessable,message", "~REWORDED[]:message"});
    CHECK(diff.reports[0].unchanged == 1);
    const std::string text = gouji::entry_diff_text(diff.reports[0], kNames);
    CHECK(text ==
          "── a.txt (template gov-2019)\n"
          "~ GONE-INFO[c=1]: severity error → info; assessable true → false; message: «12 ≠ 13» → «not assessable: 表三.总计 (blank)»\n"
          "~ REWORDED: message: «旧的说法» → «新的说法»\n"
          "   0 added, 0 removed, 2 changed, 1 unchanged\n\n");
}

TEST_CASE("diff: reports pair by file, one input's alone, templates, errors and rule errors are differences") {
    json unreadable = report("gone.txt", {}, nullptr);
    unreadable["error"] = {{"message", "cannot open file: No such file or directory"}, {"line", 0}, {"column", 0},
                           {"text", "gone.txt: error: cannot open file: No such file or directory (check the path)"}};
    json slow = report("slow.txt", {finding("A", "")});
    slow["rule_errors"] = json::array({{{"message", "the rule needed more than its work bound"}, {"text", "p.yaml:3:5: error: slow"},
                                        {"file", "p.yaml"}, {"rule", "SLOW"}}});
    const CheckResults before = results({report("first.txt", {finding("A", "")}), report("same.txt", {finding("A", "")}),
                                         report("gone.txt", {finding("A", "")}), report("form.txt", {}), slow});
    const CheckResults after = results({report("same.txt", {finding("A", "")}), unreadable, report("form.txt", {}, "gov-2021"),
                                        report("slow.txt", {finding("A", "")}),
                                        report("new.txt", {finding("A", ""), finding("B", "", "warning"), finding("C", "", "info", "m", false)})});
    const gouji::ResultsDiff diff = gouji::diff_results(before, after);
    std::vector<std::string> order;
    for (const auto& r : diff.reports) order.push_back(r.entry().file + " " + std::string(r.status()));
    CHECK(order == std::vector<std::string>{"first.txt only_before", "same.txt both", "gone.txt both", "form.txt both",
                                            "slow.txt both", "new.txt only_after"});
    CHECK_FALSE(diff.reports[1].differs());
    CHECK(diff.reports[2].error_changed);
    CHECK(diff.reports[3].template_changed);
    CHECK(diff.reports[4].rule_errors_removed.size() == 1);
    CHECK(diff.reports[4].rule_errors_added.empty());

    std::string text;
    for (const auto& r : diff.reports) text += gouji::entry_diff_text(r, kNames);
    CHECK(text == "── first.txt (template gov-2019): only in before.json, 1 finding (1 error, 0 warnings, 0 infos, 0 not assessable)\n\n"
                  "── gone.txt (template unknown)\n"
                  "~ template: gov-2019 → unknown\n"
                  "+ gone.txt: error: cannot open file: No such file or directory (check the path)\n"
                  "- error[A] m\n"
                  "   0 added, 1 removed, 0 changed, 0 unchanged\n\n"
                  "── form.txt (template gov-2021)\n"
                  "~ template: gov-2019 → gov-2021\n"
                  "   0 added, 0 removed, 0 changed, 0 unchanged\n\n"
                  "── slow.txt (template gov-2019)\n"
                  "- p.yaml:3:5: error: slow\n"
                  "   0 added, 0 removed, 0 changed, 1 unchanged\n\n"
                  "── new.txt (template gov-2019): only in after.json, 3 findings (1 error, 1 warning, 0 infos, 1 not assessable)\n\n");
    CHECK(gouji::diff_closing_text(diff, kNames) ==
          "by rule:\n"
          "  A: 1 removed\n"
          "compared 6 reports: 0 findings added, 1 removed, 0 changed, 2 unchanged (1 report only in before.json; 1 report "
          "only in after.json; the template, error or rule errors of 3 reports changed)\n");

    const json gone = gouji::entry_diff_to_json(diff.reports[2]);
    CHECK(gone["template"] == json({{"before", "gov-2019"}, {"after", nullptr}}));
    CHECK(gone["error"]["before"].is_null());
    CHECK(gone["error"]["after"] == unreadable["error"]);
    CHECK_FALSE(gone.contains("rule_errors"));
    const json slow_json = gouji::entry_diff_to_json(diff.reports[4]);
    CHECK(slow_json["rule_errors"] == json({{"before", slow["rule_errors"]}, {"after", json::array()}}));
    const json alone = gouji::entry_diff_to_json(diff.reports[5]);
    CHECK(alone["status"] == "only_after");
    CHECK(alone["findings"] == 3);
    CHECK(alone["summary"] == json({{"errors", 1}, {"warnings", 1}, {"infos", 0}, {"not_assessable", 1}}));
    // Its template, as the text's header says it, from none in the input that lacks it.
    CHECK(alone["template"] == json({{"before", nullptr}, {"after", "gov-2019"}}));
    CHECK_FALSE(alone.contains("error"));

    const gouji::DiffSummary& s = diff.summary;
    CHECK(std::tie(s.reports, s.differing, s.added, s.removed, s.changed, s.unchanged, s.only_before, s.only_after) ==
          std::make_tuple(6u, 5u, 0u, 1u, 0u, 2u, 1u, 1u));
}

TEST_CASE("diff: folders and --previous inputs are compared by file, apart from the reports") {
    auto entry = [](const std::string& file, const char* flag, const std::string& message) {
        json e = report(file, {}, nullptr);
        e[flag] = true;
        e["error"] = {{"message", message}, {"text", file + ": error: " + message}};
        return e;
    };
    json previous_folder = entry("last-year", "previous_year", "no reports under this folder");
    previous_folder["folder"] = true;
    // A report and a folder of one path are not one entry.
    const CheckResults before = results({entry("batch/locked", "folder", "cannot read directory: Permission denied"),
                                         report("batch/locked", {}), previous_folder});
    const CheckResults after = results({entry("batch/locked", "folder", "cannot read directory: Input/output error"),
                                        report("batch/locked", {}), entry("old.docx", "previous_year", "cut off")});
    const gouji::ResultsDiff diff = gouji::diff_results(before, after);
    REQUIRE(diff.reports.size() == 1);
    CHECK_FALSE(diff.reports[0].differs());
    REQUIRE(diff.other_entries.size() == 3);
    std::string text;
    for (const auto& e : diff.other_entries) text += gouji::entry_diff_text(e, kNames);
    // last-year, in before.json alone, after the entries that came before it there.
    CHECK(text == "── batch/locked (folder)\n"
                  "~ error: «batch/locked: error: cannot read directory: Permission denied» → «batch/locked: error: cannot read "
                  "directory: Input/output error»\n"
                  "   0 added, 0 removed, 0 changed, 0 unchanged\n\n"
                  "── old.docx (--previous input): only in after.json, old.docx: error: cut off\n\n"
                  "── last-year (--previous folder): only in before.json, last-year: error: no reports under this folder\n\n");
    CHECK(diff.summary.reports == 1);
    CHECK(diff.summary.differing == 0);
    CHECK(diff.summary.other_entries == 3);
    CHECK(diff.summary.other_entries_differing == 3);
    CHECK(diff.differs());
    CHECK(gouji::diff_closing_text(diff, kNames) ==
          "compared 1 report: 0 findings added, 0 removed, 0 changed, 0 unchanged (3 folder or --previous entries differ)\n");
    const json folder = gouji::entry_diff_to_json(diff.other_entries[0]);
    CHECK(folder["folder"] == true);
    CHECK_FALSE(folder.contains("previous_year"));
    CHECK(gouji::entry_diff_to_json(diff.other_entries[1])["previous_year"] == true);
}

TEST_CASE("diff: the tally by rule says how each rule's findings changed") {
    const CheckResults before = results({report("a.txt", {finding("T3", "c=1"), finding("T3", "c=2"), finding("T3", "c=3", "warning"),
                                                          finding("PCT", "l=1"), finding("OLD", "")}),
                                         report("b.txt", {finding("T3", "c=1")})});
    const CheckResults after = results({report("a.txt", {finding("T3", "c=1", "warning"), finding("T3", "c=2", "warning", "n"),
                                                         finding("T3", "c=3", "error"), finding("NEW", ""), finding("NEW", "x")}),
                                        report("b.txt", {finding("T3", "c=1", "warning")})});
    const gouji::ResultsDiff diff = gouji::diff_results(before, after);
    std::vector<std::string> rules;
    for (const auto& r : diff.rules) rules.push_back(r.rule);
    CHECK(rules == std::vector<std::string>{"NEW", "OLD", "PCT", "T3"});
    CHECK(gouji::rules_to_json(diff.rules)[3] == json({{"rule", "T3"}, {"added", 0}, {"removed", 0}, {"changed", 4}}));
    CHECK(gouji::diff_closing_text(diff, kNames) ==
          "by rule:\n"
          "  NEW: 2 added\n"
          "  OLD: 1 removed\n"
          "  PCT: 1 removed\n"
          "  T3: 4 changed (message ×1, severity error → warning ×3, severity warning → error ×1)\n"
          "compared 2 reports: 2 findings added, 2 removed, 4 changed, 0 unchanged\n");
}

TEST_CASE("diff: a terminal's control characters in a message or a name are written as U+FFFD") {
    const CheckResults before = results({report("a\x1b[2J.txt", {})});
    const CheckResults after = results({report("a\x1b[2J.txt", {finding("R", "f=1\n2", "error", "bell\a and\nline")})});
    const gouji::ResultsDiff diff = gouji::diff_results(before, after);
    CHECK(gouji::entry_diff_text(diff.reports[0], kNames) ==
          "── a\xEF\xBF\xBD[2J.txt (template gov-2019)\n"
          "+ error[R[f=1 2]] bell\xEF\xBF\xBD and line\n"
          "   1 added, 0 removed, 0 changed, 0 unchanged\n\n");
}

TEST_CASE("diff: a line break in a file name is a space, as gouji check writes it") {
    const CheckResults before = results({report("r/a\nb.md", {})});
    const CheckResults after = results({report("r/a\nb.md", {finding("R", "")})});
    CHECK(gouji::entry_diff_text(gouji::diff_results(before, after).reports[0], kNames).starts_with(
        "── r/a b.md (template gov-2019)\n"));
    const CheckResults none = results({});
    CHECK(gouji::entry_diff_text(gouji::diff_results(none, after).reports[0], {"before.json", "after\n.json"}) ==
          "── r/a b.md (template gov-2019): only in after .json, 1 finding (1 error, 0 warnings, 0 infos, 0 not assessable)\n\n");
}

TEST_CASE("diff: an entry of one input keeps its error, template and rule errors in the JSON") {
    json empty = report("./new.md", {}, nullptr);
    empty["error"] = {{"message", "file is empty"}, {"line", 0}, {"column", 0}, {"text", "./new.md: error: file is empty"}};
    json folder = report("b5/noperm", {}, nullptr);
    folder["folder"] = true;
    folder["error"] = {{"message", "cannot read directory: Permission denied"}, {"line", 0}, {"column", 0},
                       {"text", "b5/noperm: error: cannot read directory: Permission denied"}};
    json slow = report("slow.txt", {finding("A", "")});
    slow["rule_errors"] = json::array({{{"rule", "A"}, {"text", "slow.txt: error: A gave up"}}});
    const CheckResults before = results({folder, slow}), after = results({empty});
    const gouji::ResultsDiff diff = gouji::diff_results(before, after);
    REQUIRE(diff.reports.size() == 2);
    const json added = gouji::entry_diff_to_json(diff.reports[0]);
    CHECK(added["status"] == "only_after");
    CHECK(added["error"] == json{{"before", nullptr}, {"after", empty["error"]}});
    CHECK_FALSE(added.contains("template"));  // null on its one side: nothing to say
    const json gone = gouji::entry_diff_to_json(diff.reports[1]);
    CHECK(gone["status"] == "only_before");
    CHECK(gone["template"] == json{{"before", "gov-2019"}, {"after", nullptr}});
    CHECK(gone["rule_errors"] == json{{"before", slow["rule_errors"]}, {"after", json::array()}});
    CHECK_FALSE(gone.contains("error"));
    REQUIRE(diff.other_entries.size() == 1);
    const json other = gouji::entry_diff_to_json(diff.other_entries[0]);
    CHECK(other["folder"] == true);
    CHECK(other["error"] == json{{"before", folder["error"]}, {"after", nullptr}});
}

TEST_CASE("diff: findings go into the JSON as the inputs wrote them") {
    json rich = finding("T3-BALANCE", "c=商业企业");
    rich["cells"] = json::array({{{"path", "表三.总计.商业企业"}, {"value", {{"number", 9.0}, {"decimals", 0}}}, {"coefficient", -1}}});
    rich["difference"] = -9;
    rich["severity_from"] = nullptr;
    json softer = rich;
    softer["severity"] = "warning";
    softer["severity_from"] = "local";
    const CheckResults before = results({report("a.txt", {rich, finding("GONE", "")})});
    const CheckResults after = results({report("a.txt", {softer, finding("NEW", "")})});
    const json j = gouji::entry_diff_to_json(gouji::diff_results(before, after).reports[0]);
    CHECK(j["added"][0].dump() == finding("NEW", "").dump());
    CHECK(j["removed"][0].dump() == finding("GONE", "").dump());
    const json& changed = j["changed"][0];
    CHECK(changed["rule"] == "T3-BALANCE");
    CHECK(changed["binding"] == "c=商业企业");
    CHECK(changed["fields"] == json::array({"severity"}));
    CHECK(changed["before"].dump() == rich.dump());  // its keys in their order, 9.0 a float
    CHECK(changed["after"].dump() == softer.dump());
    std::vector<std::string> keys;
    for (const auto& [key, value] : j.items()) keys.push_back(key);
    CHECK(keys == std::vector<std::string>{"file", "status", "added", "removed", "changed", "unchanged"});
}

TEST_CASE("diff: gouji check's SARIF, JUnit, HTML and database are named, and the JSON asked for") {
    const std::string ask = " (gouji diff compares the JSON: run gouji check with --format json, e.g. gouji check "
                            "--format json reports/ > after.json, and give that file)";
    CHECK(error_of("{\n \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n \"version\": \"2.1.0\",\n "
                   "\"runs\": [\n  {\n   \"tool\": {\n    \"driver\": {\n     \"name\": \"gouji\",") ==
          "r.json: error: this is the SARIF output of gouji check (--format sarif), not its JSON" + ask);
    CHECK(error_of("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"gouji check\">\n") ==
          "r.json: error: this is the JUnit XML output of gouji check (--format junit), not its JSON" + ask);
    CHECK(error_of("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                   "<meta name=\"generator\" content=\"gouji 0.1.0\"/>\n") ==
          "r.json: error: this is the HTML page of gouji check (--format html), not its JSON" + ask);
    CHECK(error_of(std::string("SQLite format 3\0\x10\0", 19)) ==
          "r.json: error: this is an SQLite database (as gouji check --format sqlite writes), not the JSON of gouji check" + ask);
    // Another program's page is no output of gouji's: said as JSON that is not.
    CHECK(error_of("<!DOCTYPE html>\n<html>").starts_with("r.json:1:1: error: not valid JSON: "));
}

TEST_CASE("diff: an input that is not a check output says what it is, and where") {
    CHECK(error_of("") ==
          "r.json: error: file is empty (give the file gouji check --format json wrote; if it wrote this one, it was "
          "stopped before it wrote anything: run it again and let it finish)");
    CHECK(error_of(" \n\n").starts_with("r.json: error: file holds only white space ("));
    // Cut off as a check stopped while writing: at the end, whatever was being read.
    const std::string whole = results_text({report("a.txt", {finding("R", "c=商业企业", "error", "表三「商业企业」列")})});
    const std::size_t in_message = whole.find("商业企业」列");
    CHECK(error_of(whole.substr(0, in_message)) ==
          "r.json:12:21: error: not valid JSON: the file ends mid-way (syntax error while parsing value - invalid string: "
          "missing closing quote) (it is cut off, as when gouji check is stopped while it writes: run gouji check --format "
          "json again and let it finish)");
    CHECK(error_of(whole.substr(0, whole.find("\"binding\""))) ==
          "r.json:18:6: error: not valid JSON: the file ends mid-way (syntax error while parsing object key - unexpected "
          "end of input; expected string literal) (it is cut off, as when gouji check is stopped while it writes: run "
          "gouji check --format json again and let it finish)");
    // Cut inside a character (a write of 4 KiB ends where it may): cut off all the same.
    CHECK(error_of(whole.substr(0, in_message + 1)).starts_with("r.json:12:22: error: not valid JSON: the file ends mid-way ("));
    // The column counts characters, not bytes: the second comma is the 20th character (the 24th byte).
    CHECK(error_of("{\"reports\": [\n {\"file\": \"报告.txt\",, \"findings\": []}]}") ==
          "r.json:2:20: error: not valid JSON: syntax error while parsing object key - unexpected ','; expected string "
          "literal (give the file gouji check --format json wrote)");
    CHECK(error_of("{\"reports\": []} x") ==
          "r.json:1:17: error: not valid JSON: syntax error while parsing value - invalid literal; expected end of input "
          "(give the file gouji check --format json wrote)");
    // An exception of the parser other than a parse error, in words without its library tag (reviewer).
    CHECK(error_of("{\"reports\":[1e999]}") ==
          "r.json:1:17: error: not valid JSON: number overflow parsing '1e999' (give the file gouji check --format json wrote)");

    const std::string not_output = "r.json: error: not an output of gouji check --format json: ";
    const std::string give = " (give the file gouji check --format json wrote)";
    CHECK(error_of("{\"files\": []}") == not_output + "it has no \"reports\" array" + give);
    CHECK(error_of("[{\"file\": \"a.txt\"}]") == not_output + "it has no \"reports\" array" + give);
    CHECK(error_of("{\"reports\": [{\"findings\": []}]}") == not_output + ".reports[0] has no \"file\" (a string)" + give);
    CHECK(error_of("{\"reports\": [3]}") == not_output + ".reports[0] is not an object" + give);
    CHECK(error_of("{\"reports\": [{\"file\": \"a.txt\"}]}") ==
          not_output + ".reports[0] (\"a.txt\") has no \"findings\" (an array)" + give);
    json no_binding = finding("R", "");
    no_binding.erase("binding");
    CHECK(error_of(results_text({report("a.txt", {}), report("b.txt", {finding("R", ""), no_binding})})) ==
          not_output + ".reports[1].findings[1] (of \"b.txt\") has no \"binding\" (a string)" + give);
    json no_rule = finding("R", "");
    no_rule.erase("rule");
    CHECK(error_of(results_text({report("a.txt", {no_rule})})) ==
          not_output + ".reports[0].findings[0] (of \"a.txt\") has no \"rule\" (a string)" + give);
    json text_assessable = finding("R", "");
    text_assessable["assessable"] = "yes";
    CHECK(error_of(results_text({report("a.txt", {text_assessable})})) ==
          not_output + ".reports[0].findings[0] (of \"a.txt\") has no \"assessable\" (true or false)" + give);

    // Deeper or wider than any check output: refused before it costs a stack or hours.
    CHECK(error_of(std::string(100000, '[')) == not_output + "it is nested more than 64 levels deep" + give);
    std::string wide = "{\"reports\": [], \"x\": {";
    for (int i = 0; i < 300; ++i) wide += (i ? ", \"k" : "\"k") + std::to_string(i) + "\": 0";
    CHECK(error_of(wide + "}}") == not_output + "an object has more than 256 keys" + give);

    CHECK(error_of("── corpus/seeds/002.txt (text, template gov-2019)\n") ==
          "r.json: error: this is the text output of gouji check, not its JSON (run gouji check with --format json, e.g. "
          "gouji check --format json reports/ > r.json)");
}

// ---- the command, on check outputs of the corpus ----------------------------

namespace {

const gouji::test::Scratch& scratch() {
    static const gouji::test::Scratch s("diff");
    return s;
}

// Runs gouji in `dir`: paths in its results are then relative, as goldens need.
Run run_in(const std::string& dir, const std::string& args) {
    return gouji::test::run_gouji_in(scratch(), "cd " + shell_quoted(dir) + " &&", args);
}

Run run_diff(const std::string& args) { return run_in(scratch().path(""), "diff " + args); }

const std::string kSeeds = "corpus/seeds/000_831a942c0d0dfd8c.txt corpus/seeds/001_64c08c7c78b4b61b.txt "
                           "corpus/seeds/002_0ec7f487509b9c4f.txt corpus/seeds/003_facd0ed23eb95129.txt "
                           "corpus/seeds/004_361d8fbe3341eb2a.txt";
const std::string kCase = "cases/diff/pack-change";

// Checks the seeds with the standard packs into before.json, and with the case's
// pack, and a report more, into after.json (once for all the tests).
void write_check_outputs() {
    static const bool written = [] {
        const std::string tests = gouji::test::test_dir();
        Run before = run_in(tests, "check --format json " + kSeeds);
        Run after = run_in(tests, "check --format json --pack " + kCase + "/pack.yaml " + kSeeds + " corpus/real/pingtan-2019.html");
        REQUIRE(before.exit_code == 1);
        REQUIRE(after.exit_code == 1);
        INFO(after.err);
        REQUIRE(after.err.empty());
        scratch().write("before.json", before.out);
        scratch().write("after.json", after.out);
        return true;
    }();
    (void)written;
}

using FindingKey = std::tuple<std::string, std::string, std::string>;  // file, rule, binding

std::multiset<FindingKey> keys_of(const nlohmann::json& findings, const std::string& file) {
    std::multiset<FindingKey> keys;
    for (const auto& f : findings) keys.insert({file, f["rule"].get<std::string>(), f["binding"].get<std::string>()});
    return keys;
}

// The findings of `results` (a check output) that `keep` keeps, with their report's file.
template <class Keep>
std::multiset<FindingKey> findings_where(const nlohmann::json& results, Keep keep) {
    std::multiset<FindingKey> keys;
    for (const auto& r : results["reports"])
        for (const auto& f : r["findings"])
            if (keep(f)) keys.insert({r["file"].get<std::string>(), f["rule"].get<std::string>(), f["binding"].get<std::string>()});
    return keys;
}

}  // namespace

TEST_CASE("diff: a pack's change to the seeds' audits, finding by finding and rule by rule") {
    write_check_outputs();
    const auto before = nlohmann::json::parse(gouji::test::read_text_file(scratch().path("before.json")));
    const auto after = nlohmann::json::parse(gouji::test::read_text_file(scratch().path("after.json")));
    Run r = run_diff("--format json before.json after.json");
    CHECK(r.exit_code == 1);
    CHECK(r.err.empty());
    const auto diff = nlohmann::json::parse(r.out);

    // What the pack does, read off the two check outputs themselves.
    const auto severity_softened = findings_where(before, [](const auto& f) { return f["rule"] == "T3-BALANCE" && f["assessable"] == true; });
    const auto reworded = findings_where(before, [](const auto& f) { return f["rule"] == "SEC-EMPTY"; });
    const auto disabled = findings_where(before, [](const auto& f) { return f["rule"] == "NARR-PCT"; });
    auto added_rule = findings_where(after, [](const auto& f) { return f["rule"] == "LOCAL-NEW-REQUESTS"; });
    std::erase_if(added_rule, [](const FindingKey& k) { return std::get<0>(k) == "corpus/real/pingtan-2019.html"; });
    REQUIRE(!severity_softened.empty());
    REQUIRE(!reworded.empty());
    REQUIRE(!disabled.empty());
    REQUIRE(!added_rule.empty());

    std::multiset<FindingKey> added, removed, changed_severity, changed_message;
    std::set<std::string> files;
    for (const auto& report : diff["reports"]) {
        const std::string file = report["file"];
        files.insert(file);
        if (file == "corpus/real/pingtan-2019.html") {
            CHECK(report["status"] == "only_after");
            CHECK(report["findings"] == 1);
            continue;
        }
        CHECK(report["status"] == "both");
        added.merge(keys_of(report["added"], file));
        removed.merge(keys_of(report["removed"], file));
        for (const auto& c : report["changed"]) {
            const FindingKey key{file, c["rule"].get<std::string>(), c["binding"].get<std::string>()};
            if (c["fields"] == nlohmann::json::array({"severity"})) changed_severity.insert(key);
            else if (c["fields"] == nlohmann::json::array({"message"})) changed_message.insert(key);
            else FAIL("unexpected change: " << c["fields"].dump());
            CHECK(c["before"]["severity"] == (c["rule"] == "T3-BALANCE" ? "error" : c["after"]["severity"]));
        }
    }
    CHECK(added == added_rule);
    CHECK(removed == disabled);
    CHECK(changed_severity == severity_softened);
    CHECK(changed_message == reworded);
    CHECK(files.size() == 6);
    CHECK(diff["other_entries"] == nlohmann::json::array());

    std::map<std::string, std::tuple<std::size_t, std::size_t, std::size_t>> tally;
    for (const auto& t : diff["rules"])
        tally[t["rule"].get<std::string>()] = {t["added"].get<std::size_t>(), t["removed"].get<std::size_t>(),
                                               t["changed"].get<std::size_t>()};
    CHECK(tally == std::map<std::string, std::tuple<std::size_t, std::size_t, std::size_t>>{
                       {"LOCAL-NEW-REQUESTS", {added_rule.size(), 0, 0}},
                       {"NARR-PCT", {0, disabled.size(), 0}},
                       {"SEC-EMPTY", {0, 0, reworded.size()}},
                       {"T3-BALANCE", {0, 0, severity_softened.size()}}});
    std::size_t findings_before = 0;
    for (const auto& report : before["reports"]) findings_before += report["findings"].size();
    const auto& s = diff["summary"];
    CHECK(s["reports"] == 6);
    CHECK(s["only_before"] == 0);
    CHECK(s["only_after"] == 1);
    CHECK(s["removed"] == disabled.size());
    CHECK(s["unchanged"].get<std::size_t>() + s["removed"].get<std::size_t>() + s["changed"].get<std::size_t>() == findings_before);
}

TEST_CASE("golden diff: the text of a pack's change to the seeds' audits") {
    write_check_outputs();
    Run r = run_diff("before.json after.json");
    CHECK(r.exit_code == 1);
    CHECK(r.err.empty());
    const std::string golden = gouji::test::test_dir() + "/" + kCase + "/expected.txt";
    const std::string difference = gouji::test::compare_golden(golden, r.out);
    CHECK_MESSAGE(difference.empty(), difference);
}

TEST_CASE("diff: the JSON is written as one dump of the whole would write it") {
    write_check_outputs();
    for (const char* inputs : {"before.json after.json", "before.json before.json"}) {
        CAPTURE(inputs);
        Run r = run_diff(std::string("--format json ") + inputs);
        const auto whole = nlohmann::ordered_json::parse(r.out);
        CHECK(r.out == whole.dump(1) + "\n");
    }
}

TEST_CASE("diff: exit 0 for results alike, 1 for differences, 2 for an input or usage error") {
    write_check_outputs();
    Run same = run_diff("before.json before.json");
    CHECK(same.exit_code == 0);
    CHECK(same.err.empty());
    CHECK(same.out.starts_with("compared 5 reports: 0 findings added, 0 removed, 0 changed, "));
    CHECK(same.out.find('\n') == same.out.size() - 1);
    CHECK(run_diff("after.json before.json").exit_code == 1);

    Run missing = run_diff("before.json missing.json");
    CHECK(missing.exit_code == 2);
    CHECK(missing.out.empty());
    CHECK(missing.err == "missing.json: error: cannot open file: No such file or directory (check the path)\n");

    // Cut off where a check stopped mid-write: the line and column where it ends.
    const std::string text = gouji::test::read_text_file(scratch().path("after.json"));
    std::size_t half = text.size() / 2;
    while ((static_cast<unsigned char>(text[half]) & 0xC0) == 0x80) --half;  // at a character's start
    const std::string cut = text.substr(0, half);
    scratch().write("cut.json", cut);
    const std::string last_line = cut.substr(cut.rfind('\n') + 1);
    const auto lines = std::count(cut.begin(), cut.end(), '\n') + 1;
    const auto columns = std::count_if(last_line.begin(), last_line.end(),
                                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }) + 1;
    Run truncated = run_diff("before.json cut.json");
    CHECK(truncated.exit_code == 2);
    CHECK(truncated.out.empty());
    CHECK(truncated.err.starts_with("cut.json:" + std::to_string(lines) + ":" + std::to_string(columns) +
                                    ": error: not valid JSON: the file ends mid-way ("));

    // Both inputs' problems in one run.
    scratch().write("empty.json", "");
    scratch().write("explain.json", "{\"file\": \"a.txt\", \"metadata\": {}}\n");
    Run both = run_diff("empty.json explain.json");
    CHECK(both.exit_code == 2);
    CHECK(both.out.empty());
    CHECK(both.err ==
          "empty.json: error: file is empty (give the file gouji check --format json wrote; if it wrote this one, it was "
          "stopped before it wrote anything: run it again and let it finish)\n"
          "explain.json: error: not an output of gouji check --format json: it has no \"reports\" array (give the file "
          "gouji check --format json wrote)\n");

    // Over the bound, said from its size without reading it (a sparse file of 2 GiB).
    std::filesystem::resize_file(scratch().write("huge.json", ""), std::uintmax_t{2} << 30);
    Run huge = run_diff("huge.json before.json");
    CHECK(huge.exit_code == 2);
    CHECK(huge.err == "huge.json: error: file is 2 GiB; gouji reads at most 1 GiB (check the reports in parts, a folder at "
                      "a time, and compare the results of each part)\n");
    std::filesystem::remove(scratch().path("huge.json"));

    Run folder = run_diff(". before.json");
    CHECK(folder.exit_code == 2);
    CHECK(folder.err.starts_with(".: error: is a directory, not a file of results ("));
    Run standard_input = run_diff("- before.json");
    CHECK(standard_input.exit_code == 2);
    CHECK(standard_input.err.starts_with("-: error: results are not read from standard input ("));
}

TEST_CASE("diff: usage errors are said as gouji's others, and exit 2") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"diff", "gouji diff: error: no results given: name the two outputs of gouji check --format json to compare (gouji "
                 "diff --help)"},
        {"diff before.json",
         "gouji diff: error: only one result given: name the two outputs of gouji check --format json to compare (gouji "
         "diff --help)"},
        {"diff a.json b.json c.json",
         "gouji diff: error: diff compares two results, not more: name only the two outputs of gouji check --format json "
         "(gouji diff --help)"},
        {"diff --format xml a.json b.json", "gouji diff: error: --format takes text or json, not 'xml' (gouji diff --help)"},
        {"diff --fromat json a.json b.json",
         "gouji diff: error: unknown option '--fromat' (did you mean '--format'?) (gouji diff --help)"},
        {"dif a.json b.json",
         "gouji: error: unknown command 'dif' (did you mean 'diff'?); the commands are explain, check, diff (gouji --help)"},
    };
    for (const auto& [args, err] : cases) {
        CAPTURE(args);
        Run r = run_in(scratch().path(""), args);
        CHECK(r.exit_code == 2);
        CHECK(r.err == err + "\n");
        CHECK(r.out.empty());
    }
    Run help = run_in(scratch().path(""), "--help");
    CHECK(help.out.find("  diff ") != std::string::npos);
    CHECK(run_in(scratch().path(""), "diff --help").exit_code == 0);
}
