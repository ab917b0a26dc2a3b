// Suggestions: where one table cell explains several failing sum relations, the
// value it should have (seed 002: 表三 本年新收 × 商业企业, 0 → 9). Worked out
// from the relations as the evaluator measured them (Finding::difference,
// CellRef::coefficient), so no rule needs code of its own.
#pragma once

#include <functional>
#include <vector>

#include "gouji/finding.hpp"
#include "rules/program.hpp"

namespace gouji::eval {

class Context;
namespace fast {
struct Plan;
}

// For a failing check `lhs == rhs` or `lhs ~= rhs` (the cells it read already in
// finding.cells): records lhs − rhs in finding.difference and, for each table
// cell with a number, its coefficient in lhs − rhs, found by re-evaluating both
// sides with the cell read as other numbers. A cell gets a coefficient only when
// the value solved from it really makes lhs equal rhs. Other checks are left alone.
// `plan`, the rule's (engine/eval/fast.hpp), works the sides out where it can.
// The context's lets must be those of the check just made (or none): lhs − rhs
// as it stands is read with them.
void measure_relation(Context& ctx, const program::Node& check, const fast::Plan* plan, Finding& finding);

}  // namespace gouji::eval

namespace gouji {

// Gives each failing, assessable sum finding that one cell's change fixes a
// Suggestion: the cell must enter at least two failing relations, one value of
// it must make all the failing relations it enters hold (a whole number ≥ 0 for
// a count written without decimals or sign), no other cell may explain as
// many of the same findings (then the fault cannot be pinned on one cell), and
// `breaks_nothing(cell, value)`, when given, must say that no check which holds
// now would fail with the cell so.
using SuggestionCheck = std::function<bool(const CellRef& cell, double value)>;
void attach_suggestions(std::vector<Finding>& findings, const SuggestionCheck& breaks_nothing = {});

}  // namespace gouji
