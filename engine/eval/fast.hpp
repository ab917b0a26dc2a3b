// The silent pass's compiled form of a rule's `when` and `check`.
//
// Nearly every check passes, and the silent pass (RuleRunner::check) only has to
// say so. The general evaluator gets there through language values: a variant
// made, moved, copied and destroyed at every node. Here each expression is
// compiled once, when the packs are, into a tree of small objects that know
// their kids' kinds: a condition gives true, false or "unsure", a number a plain
// Number or "missing" or "unsure", and only references to the model (a row, a
// figure, a list) travel as language values. What is not compiled here is handed
// to the general evaluator, node by node.
//
// A plan is only trusted when it says a check passes or its `when` is false.
// Anything else ("unsure", a failing check, a missing value) is evaluated again
// by the general evaluator, as before, which decides and explains. Tests run
// every rule both ways and fail on any disagreement (set_verification).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "engine/eval/eval_value.hpp"

namespace gouji::eval {
class Context;
}

namespace gouji::program {
struct Program;
}

namespace gouji::eval::fast {

enum class Truth : std::uint8_t { False, True, Unsure };

class Condition {
public:
    virtual ~Condition() = default;
    virtual Truth test(Context& ctx) const = 0;
    // Whether its truth stays whatever number a cell holds (whether a cell is
    // there, a constant): a number chosen by it is linear in the cells where the
    // chosen branch is (`if absent(r[c]) then 0 else r[c]`).
    virtual bool number_free() const { return false; }
};

// An expression worked out without language values where it can be (a param):
// the general evaluator's value, except that a missing one does not say why.
class ValuePlan {
public:
    virtual ~ValuePlan() = default;
    virtual Value value(Context& ctx) const = 0;
};

// A table cell by position, and how much a number grows with it.
struct CellTerm {
    const BoundTable* bound = nullptr;  // whose: last year's report may share the schema
    const TableSchema* schema = nullptr;
    std::size_t row = 0, column = 0;
    double coefficient = 0;
};

// A number expression: its number, Missing when it has none, or Unsure.
class NumberPlan {
public:
    enum class Result : std::uint8_t { Number, Missing, Unsure };
    virtual ~NumberPlan() = default;
    virtual Result number(Context& ctx, Number& out) const = 0;
    // When the number is a sum of table cells and of values no cell changes
    // (constants, figures, +, −, sums over rows, columns and slices that no cell
    // chooses): adds each cell's coefficient to `terms` (a cell read twice counts
    // twice) and says true. False when it cannot tell that the number is linear
    // in every cell. For the values the check was evaluated with.
    virtual bool linear_terms(Context& ctx, std::vector<CellTerm>& terms) const = 0;
};

struct Plan {
    // Each `for`'s collection, in the order of the bindings; null where none of it is
    // compiled. A list the rule keeps for the report (the columns a table prints, a
    // filter over its cells) is worked out without language values, as a param's.
    std::vector<std::shared_ptr<const ValuePlan>> collections;
    // The leading conjuncts of `when` that are the same for every binding in one
    // report and read no cell (`表三.found and …`): tested once per rule run
    // (RuleRunner), not per check. Null when there are none; `when` is then the
    // rest of the conjuncts (null when none is left).
    std::shared_ptr<const Condition> when_once;
    std::shared_ptr<const Condition> when;  // null: the rule has no `when` (left)
    std::shared_ptr<const Condition> check;
    // The sides of a check `lhs == rhs` or `lhs ~= rhs` of numbers, for the
    // probes of suggestions (engine/eval/suggest.cpp); else null.
    std::shared_ptr<const NumberPlan> lhs, rhs;
    // Set when `when` and `check` read the rule's `for` bindings only as one
    // cell, r[c] (T3-COUNT: `present(r[c])`, `r[c] >= 0 and round(r[c]) == r[c]`):
    // the plan's verdict is then a function of that cell's number, so a report's
    // equal cells need it worked out once (RuleRunner keeps it per rule).
    struct OneCell {
        std::uint32_t row_slot = 0, column_slot = 0;  // the variables r and c
        bool number_read = true;  // false: only present(r[c]) reads it (T3-CELL), the same for every number
    };
    std::optional<OneCell> one_cell;
    // How many expressions of its `for`s, `when`, `check` and lets are left to the
    // general evaluator each time they are read: each costs a tree walk with
    // language values. What a new kind of plan node should cover first (tests).
    std::size_t general_parts = 0;
};

// Gives every rule of `program` its plan, every pack its params' plans, and the program the number of
// per-report slots the plans use (Context::fast_values, Context::fast_names).
// The plans point into the program's nodes, which must not move afterwards.
void plan_rules(program::Program& program);

// While on, every check whose plan decides is also evaluated by the general
// evaluator, and a disagreement throws std::logic_error naming the rule (tests).
void set_verification(bool on);
bool verifying();

}  // namespace gouji::eval::fast
