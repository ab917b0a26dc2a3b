#include "engine/eval/suggest.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "engine/eval/context.hpp"
#include "engine/eval/fast.hpp"

namespace gouji::eval {

namespace {

using program::Node;

std::optional<double> number_of(Context& ctx, const Value& v) {
    if (v.is<Number>()) return v.as<Number>().value;
    if (v.is<FigureRef>()) {
        Value n = figure_number(ctx, v.as<FigureRef>().index);
        if (n.is<Number>()) return n.as<Number>().value;
    }
    return std::nullopt;
}

bool negligible(double x, double scale) { return std::fabs(x) <= 1e-9 * std::max(1.0, std::fabs(scale)); }

// Whether a cell's slope in lhs − rhs is only the rounding of the numbers around
// it (a cell that does not enter the relation): relative to the largest of them,
// the cell's own value and the difference, never to the difference alone, or a
// cell of a billion (money in 元) would enter nothing.
bool negligible_slope(double slope, double base, double value) {
    return std::fabs(slope) <= 1e-12 * std::max({1.0, std::fabs(base), std::fabs(value)});
}

// The sides of a relation, and the plan that may work them out (engine/eval/fast.hpp).
struct Relation {
    const Node& check;
    const fast::Plan* plan;
};

// lhs − rhs by the general evaluator, with the lets as they are.
std::optional<double> difference_with_lets(Context& ctx, const Node& check) {
    auto lhs = number_of(ctx, evaluate(ctx, check.kids[0]));
    auto rhs = number_of(ctx, evaluate(ctx, check.kids[1]));
    if (!lhs || !rhs) return std::nullopt;
    return *lhs - *rhs;
}

// lhs − rhs by the general evaluator, every let worked out afresh.
std::optional<double> general_difference(Context& ctx, const Node& check) {
    ctx.forget_lets();
    return difference_with_lets(ctx, check);
}

// lhs − rhs by the plan; nullopt when it is unsure.
std::optional<std::optional<double>> planned_difference(Context& ctx, const fast::Plan& plan) {
    using Result = fast::NumberPlan::Result;
    ctx.forget_lets();
    Number lhs, rhs;
    Result l = plan.lhs->number(ctx, lhs);
    if (l == Result::Unsure) return std::nullopt;
    Result r = plan.rhs->number(ctx, rhs);
    if (r == Result::Unsure) return std::nullopt;
    if (l == Result::Missing || r == Result::Missing) return std::optional<double>{};
    return std::optional<double>{lhs.value - rhs.value};
}

// lhs − rhs with the context's current substitute; lets are forgotten first
// because one may hold the probed cell.
std::optional<double> difference(Context& ctx, const Relation& relation) {
    if (relation.plan && relation.plan->lhs) {
        if (auto planned = planned_difference(ctx, *relation.plan)) {
            if (fast::verifying()) {
                auto general = general_difference(ctx, relation.check);
                if (general.has_value() != planned->has_value() || (general && *general != **planned))
                    throw std::logic_error("a suggestion's probe: the plan and the general evaluator differ");
            }
            return *planned;
        }
    }
    return general_difference(ctx, relation.check);
}

std::optional<double> difference_with(Context& ctx, const Relation& relation, const CellRef& cell, double number) {
    // Restored however the relation ends (a work bound, a regex giving up): the
    // rules after this one read the cell as written.
    ScopedValue<std::optional<Context::Substitute>> probed(ctx.substitute, ctx.substitute_for(cell, number));
    return difference(ctx, relation);
}

// The cell's coefficient in lhs − rhs, when the relation is linear in it: the
// slope from one probe, confirmed by solving for the value that balances the
// relation and evaluating there.
std::optional<double> coefficient(Context& ctx, const Relation& check, const CellRef& cell, double base) {
    double x = cell.value.number;
    auto moved = difference_with(ctx, check, cell, x + 1);
    if (!moved) return std::nullopt;
    double slope = *moved - base;
    if (negligible_slope(slope, base, x)) return 0.0;
    auto balanced = difference_with(ctx, check, cell, x - base / slope);
    if (!balanced || !negligible(*balanced, base)) return std::nullopt;
    return slope;
}

// Each table cell's coefficient in lhs − rhs when the plan shows both sides to
// be sums of cells (engine/eval/fast.hpp): read off in one pass over them,
// where probing costs two evaluations of the relation per cell.
std::optional<std::vector<fast::CellTerm>> linear_terms(Context& ctx, const Relation& relation) {
    if (!relation.plan || !relation.plan->lhs) return std::nullopt;
    ctx.forget_lets();
    std::vector<fast::CellTerm> lhs, rhs;
    lhs.reserve(16);  // a row's or a column's cells, without growing
    rhs.reserve(16);
    if (!relation.plan->lhs->linear_terms(ctx, lhs) || !relation.plan->rhs->linear_terms(ctx, rhs)) return std::nullopt;
    for (auto& t : rhs) t.coefficient = -t.coefficient;
    lhs.insert(lhs.end(), rhs.begin(), rhs.end());
    return lhs;
}

// The audited report's table of a finding's cells (not last year's, of the same
// schema), looked up once per table name: a finding's cells are mostly of one.
class AuditedTables {
public:
    explicit AuditedTables(const Context& ctx) : ctx_(ctx) {}
    const BoundTable* of(const std::string& id) {
        if (!last_ || *last_ != id) {
            last_ = &id;
            bound_ = ctx_.table(id).bound;
        }
        return bound_;
    }

private:
    const Context& ctx_;
    const std::string* last_ = nullptr;
    const BoundTable* bound_ = nullptr;
};

// The cell's coefficient among `terms`: 0 when the sums do not read it, or when
// it is negligible as a probe's slope would be.
double coefficient_in(const std::vector<fast::CellTerm>& terms, const CellRef& cell, AuditedTables& audited,
                      double base) {
    double sum = 0;
    for (const auto& t : terms)
        if (t.row == cell.row_index && t.column == cell.column_index && t.schema->id == cell.table &&
            t.bound == audited.of(cell.table))
            sum += t.coefficient;
    return negligible_slope(sum, base, cell.value.number) ? 0.0 : sum;
}

// A probe's slope differs from the exact coefficient by the rounding of the
// numbers it added up (1.0000000000000004 for 1.1 + 2.2 − 5.5).
bool same_coefficient(std::optional<double> exact, std::optional<double> probed) {
    if (!exact || !probed) return exact.has_value() == probed.has_value();
    return std::fabs(*exact - *probed) <= 1e-9 * std::max(1.0, std::fabs(*exact));
}

}  // namespace

void measure_relation(Context& ctx, const Node& check, const fast::Plan* plan, Finding& finding) {
    using ast::BinaryOp;
    if (check.op != program::Op::Binary || (check.binary != BinaryOp::Eq && check.binary != BinaryOp::Approx)) return;
    ScopedValue<bool> silent(ctx.recording, false);
    const Relation relation{check, plan};
    // The check has just worked out its sides' lets (the sums, mostly) for the
    // same cells: read with them, lhs − rhs costs little more than the lookups.
    auto base = difference_with_lets(ctx, check);
    if (fast::verifying() && difference(ctx, relation) != base)
        throw std::logic_error("a relation's difference: with the check's lets and without them differ");
    if (base) {
        finding.difference = *base;
        auto terms = linear_terms(ctx, relation);
        AuditedTables audited(ctx);
        for (auto& cell : finding.cells) {
            // Last year's report is what it is: the audited one is to be mended.
            if (cell.table.empty() || cell.from_previous_report() || !cell.value.has_number()) continue;
            if (!terms) {
                cell.coefficient = coefficient(ctx, relation, cell, *base);
                continue;
            }
            cell.coefficient = coefficient_in(*terms, cell, audited, *base);
            if (fast::verifying()) {
                auto probed = coefficient(ctx, relation, cell, *base);
                if (!same_coefficient(cell.coefficient, probed))
                    throw std::logic_error("a suggestion's coefficient for " + cell.path + ": the plan's sum says " +
                                           std::to_string(*cell.coefficient) + ", probing " +
                                           (probed ? std::to_string(*probed) : std::string("none")));
            }
        }
    }
    ctx.forget_lets();
}

}  // namespace gouji::eval

namespace gouji {

namespace {

struct Candidate {
    const CellRef* cell = nullptr;
    double value = 0;
    std::vector<std::size_t> fixes;  // indexes of the findings
};

bool is_failing_relation(const Finding& f) {
    return f.kind == RuleKind::Sum && f.assessable && f.difference && *f.difference != 0;
}

// The value solved for, rounded to the cell's written precision; nullopt when it
// cannot be written there (a fraction for a count, a negative count).
std::optional<double> writable(const CellRef& cell, double solved) {
    double scale = std::pow(10.0, cell.value.decimals);
    double rounded = std::round(solved * scale) / scale;
    if (std::fabs(rounded - solved) > 1e-6 * std::max(1.0, std::fabs(solved))) return std::nullopt;
    if (rounded < 0 && !cell.value.sign_written) return std::nullopt;
    return rounded == 0 ? 0.0 : rounded;  // no "-0"
}

// Every cell that balances all the failing relations it enters, with one value.
std::vector<Candidate> candidates(const std::vector<Finding>& findings) {
    // Each use of a table cell with a number by a failing relation, grouped by
    // the cell (its place in the table, then its path, which names the table
    // too), a cell's uses in the order of their findings. Sorting compares paths
    // only between records of the same place, where a map keyed by path would
    // hash every path. The order of the groups does not matter: whether a
    // candidate is chosen depends on all the others (attach_suggestions), and
    // the chosen ones fix disjoint findings. A use with a coefficient of 0
    // neither solves nor blocks the cell's relation, and is left out.
    struct Use {
        const CellRef* cell;
        std::size_t finding;
    };
    std::vector<Use> uses;
    for (std::size_t i = 0; i < findings.size(); ++i) {
        const Finding& f = findings[i];
        if (!is_failing_relation(f)) continue;
        for (const auto& c : f.cells)
            if (!c.table.empty() && !c.from_previous_report() && c.value.has_number() && c.coefficient != 0.0)
                uses.push_back({&c, i});
    }
    auto same_cell = [](const CellRef& a, const CellRef& b) {
        return a.row_index == b.row_index && a.column_index == b.column_index && a.path == b.path;
    };
    std::stable_sort(uses.begin(), uses.end(), [](const Use& x, const Use& y) {
        const CellRef& a = *x.cell;
        const CellRef& b = *y.cell;
        if (a.row_index != b.row_index) return a.row_index < b.row_index;
        if (a.column_index != b.column_index) return a.column_index < b.column_index;
        return a.path < b.path;
    });
    std::vector<Candidate> out;
    std::vector<std::pair<std::size_t, double>> by_finding;
    for (std::size_t first = 0, end = 0; first < uses.size(); first = end) {
        const CellRef& cell = *uses[first].cell;  // any of the group's records: copies of one cell's
        bool unsolvable = false;                  // enters a failing relation that is not linear in it
        by_finding.clear();
        for (end = first; end < uses.size() && same_cell(*uses[end].cell, cell); ++end) {
            const CellRef& c = *uses[end].cell;
            if (!c.coefficient) unsolvable = true;
            else by_finding.emplace_back(uses[end].finding, c.value.number - *findings[uses[end].finding].difference / *c.coefficient);
        }
        if (unsolvable || by_finding.size() < 2) continue;
        double solved = by_finding.front().second;
        bool agree = std::all_of(by_finding.begin(), by_finding.end(), [&](const auto& p) {
            return std::fabs(p.second - solved) <= 1e-6 * std::max(1.0, std::fabs(solved));
        });
        auto value = agree ? writable(cell, solved) : std::nullopt;
        if (!value) continue;
        Candidate candidate{&cell, *value, {}};
        for (const auto& p : by_finding) candidate.fixes.push_back(p.first);
        out.push_back(std::move(candidate));
    }
    return out;
}

bool overlap(const std::vector<std::size_t>& a, const std::vector<std::size_t>& b) {
    return std::any_of(a.begin(), a.end(), [&](std::size_t i) { return std::find(b.begin(), b.end(), i) != b.end(); });
}

}  // namespace

void attach_suggestions(std::vector<Finding>& findings, const SuggestionCheck& breaks_nothing) {
    std::vector<Candidate> all = candidates(findings);
    std::vector<Suggestion> chosen;
    std::vector<std::vector<std::size_t>> chosen_fixes;
    for (std::size_t a = 0; a < all.size(); ++a) {
        // Another cell explaining as much of the same failures makes this one a guess.
        bool rivalled = false;
        for (std::size_t b = 0; b < all.size() && !rivalled; ++b)
            rivalled = b != a && all[b].fixes.size() >= all[a].fixes.size() && overlap(all[a].fixes, all[b].fixes);
        if (rivalled) continue;
        const CellRef& cell = *all[a].cell;
        if (breaks_nothing && !breaks_nothing(cell, all[a].value)) continue;
        Suggestion s;
        s.table = cell.table;
        s.row = cell.row;
        s.column = cell.column;
        s.current = cell.value.number;
        s.value = all[a].value;
        s.decimals = cell.value.decimals;
        for (std::size_t i : all[a].fixes) s.fixes.push_back(finding_label(findings[i]));
        chosen.push_back(std::move(s));
        chosen_fixes.push_back(all[a].fixes);
    }
    // Attached only after choosing: `all` points into the findings' cells.
    for (std::size_t k = 0; k < chosen.size(); ++k)
        for (std::size_t i : chosen_fixes[k]) findings[i].suggestion = chosen[k];
}

}  // namespace gouji
