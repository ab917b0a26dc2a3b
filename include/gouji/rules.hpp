// Rule packs: YAML files of rules whose checks are expressions in gouji's rule
// language (docs/rule-language.md). They are compiled once — parsed, checked
// against the template schemas, resolved — into a RuleSet, which is then
// evaluated against any number of reports.
//
// Pack keys: pack (id, required), title, version, applies-to (expression over
// the report's metadata: year, template…), extends (pack ids or file paths),
// params (name -> constant expression; a quoted YAML string is text), overrides
// (list of {id, severity, disabled}: changes to rules of extended packs), rules.
// Rule keys: id, severity (error|warning|info), kind (sum|percentage|required|
// consistency|format), check (required); title, for (one or more "name in
// collection"), let (map name -> expression), when, applies-to, message (text
// with {expr} and {expr:fmt-spec} placeholders), basis, tags.
//
// A rule of an extending pack with the id of a rule of an extended pack replaces
// it; overrides and replacements take effect for a report only when the
// extending pack's applies-to holds for it.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "gouji/diagnostic.hpp"
#include "gouji/finding.hpp"
#include "gouji/report_model.hpp"
#include "gouji/source.hpp"
#include "gouji/template_schema.hpp"

namespace gouji {

namespace program {
struct Program;
}
namespace rules {
class TaskThread;
}

// A compiled rule as the user wrote it (for listings and explanations).
struct RuleInfo {
    std::string id, title, pack, basis;
    Severity severity = Severity::Error;
    RuleKind kind = RuleKind::Sum;
    std::vector<std::string> tags;
    std::string file;
    SourcePos pos;
};

struct PackInfo {
    std::string id, title, version, file;
    std::vector<std::string> extends;
};

// Compiled, immutable rule packs. Cheap to copy (shared); safe to evaluate from
// several threads at once.
class RuleSet {
public:
    RuleSet();
    explicit RuleSet(std::shared_ptr<const program::Program> program);

    bool empty() const;
    std::vector<RuleInfo> rules() const;
    std::vector<PackInfo> packs() const;
    const program::Program& program() const { return *program_; }

private:
    std::shared_ptr<const program::Program> program_;
};

// A pack given as text (tests, documentation examples, packs built in memory).
// `file` names it in diagnostics and resolves relative `extends` paths.
struct PackText {
    std::string file;
    std::string text;
};

// Compiles the packs in `files` and every pack they extend (an extends entry is
// a pack id — one of the packs given, or <id>.yaml beside the extending pack or
// in default_rulepack_dir() — or a path relative to the extending pack).
// Each rule is checked against every template of `catalog` that its pack's (and
// its own) applies-to admits, for some year the template covers, and that has the
// tables the rule names; every row and column it names must exist in each.
// Every problem of every pack is appended to `errors`; if any is, the returned
// RuleSet is empty and must not be used.
RuleSet compile_rule_packs(const std::vector<std::string>& files, const TemplateCatalog& catalog,
                           std::vector<RuleDiagnostic>& errors);
RuleSet compile_rule_packs(const std::vector<PackText>& packs, const TemplateCatalog& catalog,
                           std::vector<RuleDiagnostic>& errors);

// ICU builds its regular-expression tables once per process, when the first
// pattern is compiled: about 8M instructions, a quarter of compiling the
// standard packs (and the data of the \p{Han} and \d the packs write, 1M
// more, at the first pattern that names them). Made at start-up, before the templates load, one of these
// builds them on a thread of its own meanwhile (the first made in a process
// does; later ones do nothing), so compile_rule_packs() finds them ready; a
// pattern compiled sooner waits for them inside ICU. That thread then serves as
// the second thread of compile_rule_packs() (of one compile at a time), which
// would otherwise start one of its own. The destructor waits for a compile that
// has it, then ends it.
class RegexTablesWarmup {
public:
    RegexTablesWarmup();
    ~RegexTablesWarmup();
    RegexTablesWarmup(const RegexTablesWarmup&) = delete;
    RegexTablesWarmup& operator=(const RegexTablesWarmup&) = delete;
    // Waits for the tables, and ends the thread (a compile after this starts
    // its own). ICU publishes them through its own atomics, which a thread
    // sanitizer cannot see into: threads started after this read them ordered
    // by the join, not merely (and correctly) by ICU.
    void join();

private:
    std::unique_ptr<rules::TaskThread> thread_;
};

struct EvaluationStats {
    std::size_t rules_run = 0;        // rules whose packs (and own applies-to) applied and not disabled
    std::size_t checks = 0;           // rule × binding evaluations
    std::size_t passed = 0;
    std::size_t failed = 0;
    std::size_t not_assessable = 0;
    std::size_t skipped_by_when = 0;
    std::size_t planned = 0;          // passed or skipped as the rule's compiled plan decided (no language values)
};

// Evaluates every rule whose pack applies to the report (applies-to true; a
// missing year or template means it does not apply) and whose tables the
// report's template has (a rule naming 表三 skips a report without a template). Per rule and binding:
// `when` false -> nothing; check true -> nothing; false -> a finding with the
// rule's (possibly overridden) severity; an operand without a number -> an Info
// finding with assessable = false naming what is missing. Findings are in rule
// order, then binding order; `cells` lists every value the check read, and the
// location is that of the first table cell used (else the first value with a
// position). Throws InputError (at the rule's position) when a rule exceeds the
// evaluation work bound or a regular expression gives up on a text (see
// evaluate_each_rule() to keep the other rules' findings).
//
// `previous` is the same agency's report of the year before, when there is one
// (ReportHistory, gouji/check.hpp): previous(表三) in a rule reads its tables.
std::vector<Finding> evaluate(const RuleSet& rules, const ReportModel& model, EvaluationStats* stats = nullptr,
                              const ReportModel* previous = nullptr);

// What evaluate_each_rule() gives: the findings, and the rules that could not
// finish on this report.
struct Evaluation {
    std::vector<Finding> findings;
    // A rule that needed more than its work bound, or whose regular expression
    // ICU gave up on: an error at the rule (its pack's file and position) naming
    // the report. The findings of every other rule stand.
    std::vector<InputError> rule_errors;
};
// evaluate(), which throws the first rule's error instead (and drops the findings).
Evaluation evaluate_each_rule(const RuleSet& rules, const ReportModel& model, EvaluationStats* stats = nullptr,
                              const ReportModel* previous = nullptr);

}  // namespace gouji
