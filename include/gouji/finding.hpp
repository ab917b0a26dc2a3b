// Findings: the audit's output. Every field here is part of the JSON contract
// documented in docs/findings.md; change it only with a CHANGELOG note.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gouji/source.hpp"
#include "gouji/value.hpp"

namespace gouji {

enum class Severity { Info, Warning, Error };
std::string_view to_string(Severity s);
// The severity a rule pack or the command line names ("error", "warning", "info").
std::optional<Severity> parse_severity(std::string_view s);

// What kind of relation a rule checks (the rule's `kind`).
enum class RuleKind { Sum, Percentage, Required, Consistency, Format };
std::string_view to_string(RuleKind k);

// Bounds on a finding's texts, in characters: a rule that quotes a section's text
// in its message, or a cell that holds a page, would otherwise repeat megabytes
// under every finding. What is cut ends with "…".
inline constexpr std::size_t max_message_chars = 2000;      // Finding::message
inline constexpr std::size_t max_placeholder_chars = 500;   // one {expr} of a message
inline constexpr std::size_t max_value_text_chars = 500;    // CellRef::text

// One value a check used, with where it came from.
struct CellRef {
    std::string path;   // label path: "表三.本年新收.商业企业", "narrative: 受理依申请公开", "section 六"
    std::string table;  // "表三" when the value is a table cell
    std::string row;    // canonical row id
    std::string column; // canonical column id
    // The cell's place in its template's table: indexes into TableSchema::rows and
    // ::columns, so that cells are compared without their names (a finding's cells
    // are compared with each other and with the terms of its sums). no_index when
    // the value is not a table cell.
    static constexpr std::size_t no_index = static_cast<std::size_t>(-1);
    std::size_t row_index = no_index, column_index = no_index;
    Value value;
    // False for what never has a number (a section, the statistics period, the
    // publication date, recorded with a `missing` value): its lack of one is not
    // why a check could not be assessed.
    bool numeric = true;
    std::string text;   // as written (at most max_value_text_chars)
    SourcePos pos;
    // A cell of the previous year's report (previous(表三) in a rule) has the
    // table "previous(表三)" and that report's file here, its `pos` in that file;
    // empty for every value of the audited report (and when no previous report
    // was given).
    std::string file;
    bool from_previous_report() const { return table.starts_with("previous("); }
    // For a `lhs == rhs` or `lhs ~= rhs` check of kind sum: how much lhs − rhs
    // grows when this value grows by one (+1 on the left, −1 on the right; 0
    // when it does not enter the relation). Unset when the relation is not
    // linear in it. Filled by the evaluator for failing checks only; it is what
    // suggestions are solved from (engine/eval/suggest.cpp).
    std::optional<double> coefficient;
};

struct FindingLocation {
    std::string file;
    SourcePos pos;
    std::string section;  // canonical section id or title
    std::string table, row, column;
};

// A single cell whose change to `value` makes every relation that failed with it hold.
struct Suggestion {
    std::string table, row, column;
    double current = 0;
    double value = 0;
    int decimals = 0;
    std::vector<std::string> fixes;  // ids of the findings it resolves
};

struct Finding {
    std::string rule;      // rule id, e.g. "T3-BALANCE"
    Severity severity = Severity::Error;
    RuleKind kind = RuleKind::Sum;
    bool assessable = true;  // false: an operand was missing; severity is then Info
    std::string message;
    FindingLocation location;
    std::vector<CellRef> cells;
    std::optional<Suggestion> suggestion;
    std::string basis;     // legal/template reference of the rule
    std::string title;     // the rule's title, as its pack gives it
    std::vector<std::string> tags;  // the rule's tags
    std::string pack;      // pack id the rule came from
    // The pack whose override set the severity ("fj-local" making an error a
    // warning); empty when it is the rule's own.
    std::string severity_from;
    std::string binding;   // "c=商业企业" for rules with `for`
    // Not output: which values the bindings hold ("figure 3"), telling apart within
    // one evaluation the findings whose `binding` reads alike (two figures "8件").
    std::string bound_values;
    // lhs − rhs of a failing `lhs == rhs` / `lhs ~= rhs` check of kind sum (see
    // CellRef::coefficient); unset for other checks.
    std::optional<double> difference;
};

// "T3-BALANCE[c=商业企业]", or the bare rule id for a rule without `for`: how
// suggestions name the findings they fix, and how the terminal shows a finding.
std::string finding_label(const Finding& finding);

}  // namespace gouji
