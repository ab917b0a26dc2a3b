#include "engine/eval/fast.hpp"

#include <atomic>
#include <cmath>
#include <utility>
#include <vector>

#include "engine/eval/builtins.hpp"
#include "engine/eval/context.hpp"
#include "rules/names.hpp"

namespace gouji::eval::fast {

namespace {

using program::Node;
using program::Op;
using types::Kind;

std::atomic<bool> verification{false};

// What a number expression gave. `Missing` is exact: the general evaluator's
// value is missing too (or a figure without a number, which present() reads
// the same way). `Unsure` is anything the plan does not decide.
enum class Got : std::uint8_t { Number, Missing, Unsure };

class Num {
public:
    virtual ~Num() = default;
    virtual Got get(Context& ctx, Number& out) const = 0;
    // NumberPlan::linear_terms() of `sign` × this number; false by default.
    virtual bool linear(Context&, double /*sign*/, std::vector<CellTerm>&) const { return false; }
};

// Anything else: a language value, as the general evaluator has it. The
// reference lasts as evaluate_ref()'s does.
class Val {
public:
    virtual ~Val() = default;
    virtual const Value& get(Context& ctx, std::optional<Value>& scratch) const = 0;
    // Whether a table cell's value may change it (program::Node::reads_cells).
    virtual bool reads_cells() const { return true; }
    // The value's text (text_of), which lasts as long as `scratch` does.
    virtual std::optional<std::string_view> text(Context& ctx, std::optional<Value>& scratch) const {
        return text_of(get(ctx, scratch));
    }
};

// Adds `coefficient` to the cell's term.
void add_term(std::vector<CellTerm>& terms, const BoundTable* bound, const TableSchema& schema, std::size_t row,
              std::size_t column, double coefficient) {
    for (auto& t : terms)
        if (t.schema == &schema && t.bound == bound && t.row == row && t.column == column) {
            t.coefficient += coefficient;
            return;
        }
    terms.push_back({bound, &schema, row, column, coefficient});
}

using CondPtr = std::shared_ptr<const Condition>;
using NumPtr = std::shared_ptr<const Num>;
using ValPtr = std::shared_ptr<const Val>;

// ---- reading language values ----------------------------------------------------

Got number_of(Context& ctx, const Value& v, Number& out) {
    if (const auto* n = std::get_if<Number>(&v.v)) {
        out = *n;
        return Got::Number;
    }
    if (const auto* f = std::get_if<FigureRef>(&v.v)) {
        Value n = figure_number(ctx, f->index);
        if (!n.is<Number>()) return Got::Missing;
        out = n.as<Number>();
        return Got::Number;
    }
    return v.missing() ? Got::Missing : Got::Unsure;
}

Truth truth_of(const Value& v) {
    if (const auto* b = std::get_if<bool>(&v.v)) return *b ? Truth::True : Truth::False;
    return Truth::Unsure;
}

Truth truth(bool b) { return b ? Truth::True : Truth::False; }

// Either side unsure: unsure; else either missing: missing.
Got worst(Got a, Got b) {
    if (a == Got::Unsure || b == Got::Unsure) return Got::Unsure;
    if (a == Got::Missing || b == Got::Missing) return Got::Missing;
    return Got::Number;
}

// A written value (a cell's, a figure's) as `number` (its own, or a probe's):
// missing without a number or when approximate ("约30"), as the general evaluator.
Got written(const gouji::Value& v, double number, Number& out) {
    if (!v.has_number() || v.rough()) return Got::Missing;
    out = written_number(v, number);
    return Got::Number;
}

// A table cell as a number, as cell_value() reads it in the silent pass (and in
// a suggestion's probe, which reads one cell as another number).
Got cell_number(const Context& ctx, const BoundTable* bound, const TableSchema& schema, std::size_t row,
                std::size_t column, Number& out) {
    ++ctx.recordable_reads;
    const BoundCell* cell = bound_cell(bound, row, column);
    if (!cell) return Got::Missing;
    const bool probed = ctx.substitute && ctx.substitute->is(bound, schema, row, column);
    return written(cell->value, probed ? ctx.substitute->number : cell->value.number, out);
}

// Whether a table cell is absent as absent() reads it: not in the table, or there
// without a number and not written (a blank or an unplaced value is there).
bool absent_cell(const BoundCell* cell) {
    return !cell || (!cell->value.has_number() && cell->value.missing == MissingReason::Absent);
}

// placed(x) of a cell, as fn_placed: false only for a cell of a row whose numbers could not be placed.
bool placed_cell(const BoundCell* cell) {
    return !(cell && !cell->value.has_number() && cell->value.missing == MissingReason::Unplaced);
}

// ---- the general evaluator, for what is not compiled ------------------------------

class GeneralVal final : public Val {
public:
    explicit GeneralVal(const Node& node) : node_(node) {}
    const Value& get(Context& ctx, std::optional<Value>& scratch) const override {
        return evaluate_ref(ctx, node_, scratch);
    }
    bool reads_cells() const override { return node_.reads_cells; }

private:
    const Node& node_;
};

class GeneralNum final : public Num {
public:
    explicit GeneralNum(ValPtr value) : value_(std::move(value)) {}
    Got get(Context& ctx, Number& out) const override {
        std::optional<Value> scratch;
        return number_of(ctx, value_->get(ctx, scratch), out);
    }

private:
    ValPtr value_;
};

class GeneralCondition final : public Condition {
public:
    explicit GeneralCondition(ValPtr value) : value_(std::move(value)) {}
    Truth test(Context& ctx) const override {
        std::optional<Value> scratch;
        return truth_of(value_->get(ctx, scratch));
    }

private:
    ValPtr value_;
};

// ---- values -------------------------------------------------------------------------

class VariableVal final : public Val {
public:
    explicit VariableVal(std::uint32_t slot) : slot_(slot) {}
    const Value& get(Context& ctx, std::optional<Value>&) const override {
        ctx.count_step();
        return ctx.vars[slot_];
    }
    // Bound outside (a `for`, a binder): no cell read as another number rebinds it.
    bool reads_cells() const override { return false; }

private:
    std::uint32_t slot_;
};

class ConstantVal final : public Val {
public:
    explicit ConstantVal(const Node& node) : node_(node), text_(text_of(node.constant)) {}
    const Value& get(Context& ctx, std::optional<Value>&) const override {
        ctx.count_step();
        return node_.constant;
    }
    std::optional<std::string_view> text(Context& ctx, std::optional<Value>&) const override {
        ctx.count_step();
        return text_;
    }
    bool reads_cells() const override { return false; }

private:
    const Node& node_;
    std::optional<std::string_view> text_;  // of the constant, which outlives the plan
};

// An expression with the same value for the whole report (program::Node::invariant,
// a table): worked out on first use, then read from the report's slot.
class KeptVal final : public Val {
public:
    // `compute` works the value out when it can (else the general evaluator does).
    KeptVal(const Node& node, std::uint32_t slot, ValPtr compute)
        : node_(node), slot_(slot), compute_(std::move(compute)) {}
    const Value& get(Context& ctx, std::optional<Value>& scratch) const override {
        if (ctx.substitute && node_.reads_cells) {  // a probe may change it
            if (!compute_) return evaluate_ref(ctx, node_, scratch);
            return compute_->get(ctx, scratch);
        }
        auto& kept = ctx.fast_values[slot_];
        if (kept) {
            ctx.count_step();
            ++ctx.recordable_reads;  // it may have read something when worked out
            return *kept;
        }
        if (!compute_) return kept.emplace(evaluate(ctx, node_));
        std::optional<Value> computed;
        const Value& v = compute_->get(ctx, computed);
        return kept.emplace(computed && &v == &*computed ? std::move(*computed) : v);
    }
    bool reads_cells() const override { return node_.reads_cells; }

private:
    const Node& node_;
    std::uint32_t slot_;
    ValPtr compute_;
};

// A let of a language value (a list, a figure): kept in the memo the general
// evaluator reads, as LetNum keeps a number.
class LetVal final : public Val {
public:
    LetVal(std::uint32_t slot, ValPtr body) : slot_(slot), body_(std::move(body)) {}
    const Value& get(Context& ctx, std::optional<Value>& /*scratch*/) const override {
        ctx.count_step();
        auto& memo = ctx.lets[slot_];
        if (memo) return *memo;
        std::optional<Value> computed;
        const Value& v = body_->get(ctx, computed);
        return memo.emplace(computed && &v == &*computed ? std::move(*computed) : v);
    }
    bool reads_cells() const override { return body_->reads_cells(); }

private:
    std::uint32_t slot_;
    ValPtr body_;
};

class MemberVal final : public Val {
public:
    MemberVal(const Node& node, ValPtr object) : node_(node), object_(std::move(object)) {}
    const Value& get(Context& ctx, std::optional<Value>& scratch) const override {
        ctx.count_step();
        std::optional<Value> object_scratch;
        const Value& object = object_->get(ctx, object_scratch);
        if (object.missing()) return scratch.emplace(object);
        return scratch.emplace(member_value(ctx, node_, object));
    }
    bool reads_cells() const override { return node_.reads_cells; }

private:
    const Node& node_;
    ValPtr object_;
};

// A figure's unit, context, after or text (f.unit == "件"): read from the model, without
// making a language value for the comparison or the pattern that reads it.
class FigureTextVal final : public Val {
public:
    FigureTextVal(const Node& node, ValPtr figure)
        : node_(node),
          figure_(std::move(figure)),
          which_(node.member->name == "unit"      ? Which::Unit
                 : node.member->name == "context" ? Which::Context
                 : node.member->name == "after"   ? Which::After
                                                  : Which::Text) {}
    const Value& get(Context& ctx, std::optional<Value>& scratch) const override {
        ctx.count_step();
        std::optional<Value> object_scratch;
        const Value& object = figure_->get(ctx, object_scratch);
        if (const auto* f = std::get_if<FigureRef>(&object.v)) return scratch.emplace(TextView{of(ctx.model.figures[f->index])});
        if (object.missing()) return scratch.emplace(object);
        return scratch.emplace(member_value(ctx, node_, object));
    }
    std::optional<std::string_view> text(Context& ctx, std::optional<Value>& scratch) const override {
        ctx.count_step();
        std::optional<Value> object_scratch;
        const Value& object = figure_->get(ctx, object_scratch);
        if (const auto* f = std::get_if<FigureRef>(&object.v)) return of(ctx.model.figures[f->index]);
        if (object.missing()) return std::nullopt;
        return text_of(scratch.emplace(member_value(ctx, node_, object)));
    }
    bool reads_cells() const override { return node_.reads_cells; }
    static bool reads(const Node& n) {
        return n.op == Op::Member && n.member && !n.member->method && n.member->object == Kind::Figure &&
               (n.member->name == "unit" || n.member->name == "context" || n.member->name == "after" ||
                n.member->name == "text");
    }

private:
    enum class Which { Unit, Context, After, Text };
    std::string_view of(const Figure& f) const {
        switch (which_) {
            case Which::Unit: return f.value.unit;
            case Which::Context: return f.context;
            case Which::After: return f.after;
            case Which::Text: break;
        }
        return f.text;
    }

    const Node& node_;
    ValPtr figure_;
    Which which_;
};

// filter(x in list, condition): the elements whose condition is true. When one
// is unsure, the general evaluator makes the whole list.
class FilterVal final : public Val {
public:
    FilterVal(const Node& node, ValPtr collection, CondPtr body)
        : node_(node), collection_(std::move(collection)), body_(std::move(body)) {}
    const Value& get(Context& ctx, std::optional<Value>& scratch) const override;
    bool reads_cells() const override { return node_.reads_cells; }

private:
    const Node& node_;
    ValPtr collection_;
    CondPtr body_;
};

List list_in(const Value& v);

// map(x in list, body): the body's values, as the general evaluator's `map`.
class MapVal final : public Val {
public:
    MapVal(const Node& node, ValPtr collection, ValPtr body)
        : node_(node), collection_(std::move(collection)), body_(std::move(body)) {}
    const Value& get(Context& ctx, std::optional<Value>& scratch) const override {
        const std::uint64_t steps = ctx.steps;
        ctx.count_step();
        std::optional<Value> collection_scratch;
        List list = list_in(collection_->get(ctx, collection_scratch));
        if (!list) {
            ctx.steps = steps;  // the general evaluator counts its own
            return evaluate_ref(ctx, node_, scratch);  // its missing value, or the error
        }
        std::vector<Value> out;
        out.reserve(list->size());
        for (const auto& e : *list) {
            ctx.vars[node_.slot] = e;
            std::optional<Value> body_scratch;
            const Value& v = body_->get(ctx, body_scratch);
            out.push_back(body_scratch && &v == &*body_scratch ? std::move(*body_scratch) : v);
        }
        return scratch.emplace(make_list(std::move(out)));
    }
    bool reads_cells() const override { return node_.reads_cells; }

private:
    const Node& node_;
    ValPtr collection_, body_;
};

// first(list) and last(list).
class EndVal final : public Val {
public:
    EndVal(bool first, ValPtr list) : first_(first), list_(std::move(list)) {}
    const Value& get(Context& ctx, std::optional<Value>& scratch) const override {
        ctx.count_step();
        std::optional<Value> list_scratch;
        const Value& v = list_->get(ctx, list_scratch);
        if (v.missing()) return scratch.emplace(v);
        const List* list = std::get_if<List>(&v.v);
        if (!list || (*list)->empty()) return scratch.emplace(Missing{});
        return scratch.emplace(first_ ? (*list)->front() : (*list)->back());
    }
    bool reads_cells() const override { return list_->reads_cells(); }

private:
    bool first_;
    ValPtr list_;
};

// `if c then a else b` of values (text, a figure, a list): the branch its condition
// decides; the general evaluator's when the condition is unsure (a missing value).
// NARR-T3-REASON's outcome and NARR-T4-LITIGATION's row are texts chosen so, per figure.
class IfVal final : public Val {
public:
    IfVal(const Node& node, CondPtr condition, ValPtr yes, ValPtr no)
        : node_(node), condition_(std::move(condition)), yes_(std::move(yes)), no_(std::move(no)) {}
    const Value& get(Context& ctx, std::optional<Value>& scratch) const override {
        ctx.count_step();
        switch (condition_->test(ctx)) {
            case Truth::True: return yes_->get(ctx, scratch);
            case Truth::False: return no_->get(ctx, scratch);
            case Truth::Unsure: break;
        }
        return evaluate_ref(ctx, node_, scratch);
    }
    bool reads_cells() const override { return node_.reads_cells; }

private:
    const Node& node_;
    CondPtr condition_;
    ValPtr yes_, no_;
};

// ---- numbers --------------------------------------------------------------------------

// An invariant number (program::Node::invariant): worked out once per report.
class KeptNum final : public Num {
public:
    KeptNum(std::uint32_t slot, NumPtr open, bool reads_cells)
        : slot_(slot), open_(std::move(open)), reads_cells_(reads_cells) {}
    Got get(Context& ctx, Number& out) const override {
        if (ctx.substitute && reads_cells_) return open_->get(ctx, out);  // a probe may change it
        auto& kept = ctx.fast_kept[slot_];
        if (!kept.set) {
            kept.got = static_cast<std::uint8_t>(open_->get(ctx, kept.number));
            kept.set = true;
        } else {
            ctx.count_step();
            ++ctx.recordable_reads;  // it may have read something when worked out
        }
        out = kept.number;
        return static_cast<Got>(kept.got);
    }
    bool linear(Context& ctx, double sign, std::vector<CellTerm>& terms) const override {
        return !reads_cells_ || open_->linear(ctx, sign, terms);
    }

private:
    std::uint32_t slot_;
    NumPtr open_;
    bool reads_cells_;
};

class ConstantNum final : public Num {
public:
    explicit ConstantNum(const Number& n) : n_(n) {}
    Got get(Context& ctx, Number& out) const override {
        ctx.count_step();
        out = n_;
        return Got::Number;
    }
    bool linear(Context&, double, std::vector<CellTerm>&) const override { return true; }

private:
    Number n_;
};

class ArithmeticNum final : public Num {
public:
    ArithmeticNum(ast::BinaryOp op, NumPtr a, NumPtr b) : op_(op), a_(std::move(a)), b_(std::move(b)) {}
    Got get(Context& ctx, Number& out) const override {
        ctx.count_step();
        Number x, y;
        Got a = a_->get(ctx, x);  // left first, as the general evaluator: a let's memo and
        Got got = worst(a, b_->get(ctx, y));  // where the work bound stops depend on it
        if (got != Got::Number) return got;
        auto result = arithmetic(op_, x, y);
        if (!result) return Got::Missing;  // division by zero
        out = *result;
        return Got::Number;
    }
    bool linear(Context& ctx, double sign, std::vector<CellTerm>& terms) const override {
        if (op_ != ast::BinaryOp::Add && op_ != ast::BinaryOp::Sub) return false;
        return a_->linear(ctx, sign, terms) && b_->linear(ctx, op_ == ast::BinaryOp::Add ? sign : -sign, terms);
    }

private:
    ast::BinaryOp op_;
    NumPtr a_, b_;
};

class NegateNum final : public Num {
public:
    explicit NegateNum(NumPtr a) : a_(std::move(a)) {}
    Got get(Context& ctx, Number& out) const override {
        ctx.count_step();
        Number x;
        Got got = a_->get(ctx, x);
        if (got == Got::Number) out = negate(x);
        return got;
    }
    bool linear(Context& ctx, double sign, std::vector<CellTerm>& terms) const override {
        return a_->linear(ctx, -sign, terms);
    }

private:
    NumPtr a_;
};

// A cell of a table by position.
struct CellAt {
    const BoundTable* bound = nullptr;
    const TableSchema* schema = nullptr;
    std::size_t row = 0, column = 0;
};

// The cell that `object`, a row or a column, has where `pick(schema, rows)` says
// (the position among the schema's rows or columns, or nullopt): Number with
// `at` set; Missing when there is none; Unsure when `object` is something else.
template <class Pick>
Got cell_of(const Value& object, Pick pick, CellAt& at) {
    if (object.missing()) return Got::Missing;
    if (const auto* r = std::get_if<RowRef>(&object.v)) {
        auto c = pick(*r->schema, false);
        if (!c) return Got::Missing;
        at = {r->bound, r->schema, r->row, *c};
        return Got::Number;
    }
    if (const auto* c = std::get_if<ColumnRef>(&object.v)) {
        auto r = pick(*c->schema, true);
        if (!r) return Got::Missing;
        at = {c->bound, c->schema, *r, c->column};
        return Got::Number;
    }
    return Got::Unsure;
}

// The number in the cell `object` names (cell_of), as cell_number() reads it.
template <class Pick>
Got number_in(Context& ctx, const Value& object, Pick pick, Number& out) {
    CellAt at;
    Got got = cell_of(object, pick, at);
    return got == Got::Number ? cell_number(ctx, at.bound, *at.schema, at.row, at.column, out) : got;
}

// The term of the cell `object` names (cell_of); false when it names none.
template <class Pick>
bool term_of(const Value& object, Pick pick, double sign, std::vector<CellTerm>& terms) {
    CellAt at;
    if (cell_of(object, pick, at) != Got::Number) return false;
    add_term(terms, at.bound, *at.schema, at.row, at.column, sign);
    return true;
}

// row[column] or column[row]: a cell of a row or a column value.
class CellNum final : public Num {
public:
    CellNum(ValPtr object, ValPtr index) : object_(std::move(object)), index_(std::move(index)) {}
    Got get(Context& ctx, Number& out) const override {
        ctx.count_step();
        std::optional<Value> object_scratch, index_scratch;
        const Value& object = object_->get(ctx, object_scratch);
        const Value& index = index_->get(ctx, index_scratch);
        if (index.missing()) return Got::Missing;
        return number_in(ctx, object, by_index(ctx, index), out);
    }
    bool linear(Context& ctx, double sign, std::vector<CellTerm>& terms) const override {
        if (object_->reads_cells() || index_->reads_cells()) return false;  // a cell may choose the cell
        std::optional<Value> object_scratch, index_scratch;
        const Value& object = object_->get(ctx, object_scratch);
        const Value& index = index_->get(ctx, index_scratch);
        return !index.missing() && term_of(object, by_index(ctx, index), sign, terms);
    }

private:
    // The row or column `index` names, in a schema's rows or columns.
    struct ByIndex {
        Context& ctx;
        const Value& index;
        std::optional<std::size_t> operator()(const TableSchema& schema, bool rows) const {
            return resolve_in(ctx, schema, index, rows);
        }
    };
    static ByIndex by_index(Context& ctx, const Value& index) { return {ctx, index}; }

    ValPtr object_, index_;
};

// r[c] with r a row and c a column bound by `for` or a quantifier: the commonest
// cell read of the packs (every cell of every table), without the kids' calls.
class BoundCellNum final : public Num {
public:
    BoundCellNum(std::uint32_t object, std::uint32_t index) : object_(object), index_(index) {}
    Got get(Context& ctx, Number& out) const override {
        const Value& object = ctx.vars[object_];
        const Value& index = ctx.vars[index_];
        const auto* r = std::get_if<RowRef>(&object.v);
        const auto* c = std::get_if<ColumnRef>(&index.v);
        if (!r || !c || r->schema != c->schema) return slow_.get(ctx, out);  // it counts its own steps
        ctx.count_steps(3);  // the index and its two variables
        return cell_number(ctx, r->bound, *r->schema, r->row, c->column, out);
    }
    bool linear(Context& ctx, double sign, std::vector<CellTerm>& terms) const override {
        const auto* r = std::get_if<RowRef>(&ctx.vars[object_].v);
        const auto* c = std::get_if<ColumnRef>(&ctx.vars[index_].v);
        if (!r || !c || r->schema != c->schema) return slow_.linear(ctx, sign, terms);
        add_term(terms, r->bound, *r->schema, r->row, c->column, sign);
        return true;
    }

private:
    std::uint32_t object_, index_;
    CellNum slow_{std::make_shared<VariableVal>(object_), std::make_shared<VariableVal>(index_)};
};

// row.总计 or column.本年新收: the name is resolved once per schema and report.
class NamedCellNum final : public Num {
public:
    NamedCellNum(const Node& node, ValPtr object, std::uint32_t slot)
        : node_(node), object_(std::move(object)), slot_(slot) {}
    Got get(Context& ctx, Number& out) const override {
        ctx.count_step();
        std::optional<Value> scratch;
        return number_in(ctx, object_->get(ctx, scratch), by_name(ctx), out);
    }
    bool linear(Context& ctx, double sign, std::vector<CellTerm>& terms) const override {
        if (object_->reads_cells()) return false;
        std::optional<Value> scratch;
        return term_of(object_->get(ctx, scratch), by_name(ctx), sign, terms);
    }

private:
    // This node's name, in a schema's rows or columns.
    struct ByName {
        const NamedCellNum& node;
        Context& ctx;
        std::optional<std::size_t> operator()(const TableSchema& schema, bool rows) const {
            return node.resolved(ctx, schema, rows);
        }
    };
    ByName by_name(Context& ctx) const { return {*this, ctx}; }

    std::optional<std::size_t> resolved(Context& ctx, const TableSchema& schema, bool rows) const {
        // A row's name and a column's may differ: `x.总计` is a row's cell for a column x.
        return ctx.name_in(ctx.fast_names[slot_], schema, rows, node_.key);
    }

    const Node& node_;
    ValPtr object_;
    std::uint32_t slot_;
};

// Where a narrative figure is: a part's count or percentage, a list's total, or
// any value that is a figure. `Missing`: there is none (the general evaluator's
// value is missing); `Unsure`: the value is not what the member needs.
class FigureAt {
public:
    virtual ~FigureAt() = default;
    virtual Got index(Context& ctx, std::size_t& out) const = 0;
    // Whether a table cell's value may choose the figure (first(filter(f in figures, f.value > r[c]))).
    virtual bool reads_cells() const = 0;
};
using FigureAtPtr = std::shared_ptr<const FigureAt>;

Got figure_index(const Context& ctx, const std::optional<std::size_t>& index, std::size_t& out) {
    if (!index || *index >= ctx.model.figures.size()) return Got::Missing;
    out = *index;
    return Got::Number;
}

class PartFigure final : public FigureAt {
public:
    PartFigure(ValPtr part, bool percent) : part_(std::move(part)), percent_(percent) {}
    Got index(Context& ctx, std::size_t& out) const override {
        ctx.count_step();
        std::optional<Value> scratch;
        const Value& v = part_->get(ctx, scratch);
        const auto* p = std::get_if<PartRef>(&v.v);
        if (!p) return v.missing() ? Got::Missing : Got::Unsure;
        const auto& part = ctx.model.lists[p->list].parts[p->part];
        return figure_index(ctx, percent_ ? part.percent : part.count, out);
    }
    bool reads_cells() const override { return part_->reads_cells(); }

private:
    ValPtr part_;
    bool percent_;
};

class ListTotal final : public FigureAt {
public:
    explicit ListTotal(ValPtr list) : list_(std::move(list)) {}
    Got index(Context& ctx, std::size_t& out) const override {
        ctx.count_step();
        std::optional<Value> scratch;
        const Value& v = list_->get(ctx, scratch);
        const auto* l = std::get_if<FigureListRef>(&v.v);
        if (!l) return v.missing() ? Got::Missing : Got::Unsure;
        return figure_index(ctx, ctx.model.lists[l->index].total, out);
    }
    bool reads_cells() const override { return list_->reads_cells(); }

private:
    ValPtr list_;
};

class FigureValue final : public FigureAt {
public:
    explicit FigureValue(ValPtr figure) : figure_(std::move(figure)) {}
    Got index(Context& ctx, std::size_t& out) const override {
        std::optional<Value> scratch;
        const Value& v = figure_->get(ctx, scratch);
        const auto* f = std::get_if<FigureRef>(&v.v);
        if (!f) return v.missing() ? Got::Missing : Got::Unsure;
        out = f->index;
        return Got::Number;
    }
    bool reads_cells() const override { return figure_->reads_cells(); }

private:
    ValPtr figure_;
};

// A figure read as its number (figure_number()): missing without one.
class FigureNum final : public Num {
public:
    // `member`: read through `.value`, a step of its own.
    FigureNum(FigureAtPtr at, bool member) : at_(std::move(at)), member_(member) {}
    Got get(Context& ctx, Number& out) const override {
        if (member_) ctx.count_step();
        std::size_t i = 0;
        Got got = at_->index(ctx, i);
        if (got != Got::Number) return got;
        ++ctx.recordable_reads;
        const gouji::Value& v = ctx.model.figures[i].value;
        return written(v, v.number, out);
    }
    // A figure of the prose: no table cell changes it, unless one chooses it.
    bool linear(Context&, double, std::vector<CellTerm>&) const override { return !at_->reads_cells(); }

private:
    FigureAtPtr at_;
    bool member_;
};

// f.sentence and f.year: read from the model, without the general evaluator's
// language value. Every narrative rule's `borrowed` compares sentences of two
// figures, and this_year_figures reads the year of every figure of the report.
class FigurePlaceNum final : public Num {
public:
    FigurePlaceNum(FigureAtPtr at, bool year) : at_(std::move(at)), year_(year) {}
    Got get(Context& ctx, Number& out) const override {
        ctx.count_step();
        std::size_t i = 0;
        if (at_->index(ctx, i) != Got::Number) return Got::Unsure;  // the general evaluator's
        const Figure& f = ctx.model.figures[i];
        out = Number::exact(year_ ? static_cast<double>(f.year) : static_cast<double>(f.sentence));
        return Got::Number;
    }
    static bool reads(const Node& n) {
        return n.op == Op::Member && n.member && !n.member->method && n.member->object == Kind::Figure &&
               (n.member->name == "year" || n.member->name == "sentence");
    }

private:
    FigureAtPtr at_;
    bool year_;
};

// f.approximate of a figure ("约30"): read from the model. A figure that is not
// there (a part without a count) is missing: the general evaluator's to decide.
class FigureApproximateCondition final : public Condition {
public:
    explicit FigureApproximateCondition(FigureAtPtr at) : at_(std::move(at)) {}
    Truth test(Context& ctx) const override {
        ctx.count_step();
        std::size_t i = 0;
        if (at_->index(ctx, i) != Got::Number) return Truth::Unsure;
        return truth(ctx.model.figures[i].value.approximate);
    }

private:
    FigureAtPtr at_;
};

// round(x), round(x, digits), abs(x), unit(x): every argument is evaluated, then read.
class FunctionNum final : public Num {
public:
    enum class Which { Round, Abs, Unit };
    FunctionNum(Which which, std::vector<NumPtr> args) : which_(which), args_(std::move(args)) {}
    Got get(Context& ctx, Number& out) const override {
        ctx.count_step();
        Number xs[2];
        Got got = Got::Number;
        for (std::size_t i = 0; i < args_.size() && i < 2; ++i) got = worst(got, args_[i]->get(ctx, xs[i]));
        if (got != Got::Number) return got;
        switch (which_) {
            case Which::Round: out = rounded(xs[0], args_.size() > 1 ? xs[1].value : 0); break;
            case Which::Abs: out = absolute(xs[0]); break;
            case Which::Unit: out = unit_of(xs[0]); break;
        }
        return Got::Number;
    }

private:
    Which which_;
    std::vector<NumPtr> args_;
};

// The list a binder or an aggregate runs over, held while the body runs (the body
// may replace the value that holds it); null when the value is not a list.
List list_in(const Value& v) {
    if (const auto* l = std::get_if<List>(&v.v)) return *l;
    return nullptr;
}

// The list `v` gives; null when it is missing or not a list (an aggregate's
// value is then missing there too).
const List* list_value(Context& ctx, const Val& v, std::optional<Value>& scratch) {
    return std::get_if<List>(&v.get(ctx, scratch).v);
}

// sum(list): its elements, numbers or figures.
class SumNum final : public Num {
public:
    explicit SumNum(ValPtr list) : list_(std::move(list)) {}
    Got get(Context& ctx, Number& out) const override {
        ctx.count_step();
        std::optional<Value> scratch;
        const List* list = list_value(ctx, *list_, scratch);
        if (!list) return Got::Missing;
        Number total = Number::exact(0);
        Got got = Got::Number;
        for (const auto& e : **list) {
            Number x;
            Got g = number_of(ctx, e, x);
            if (g == Got::Unsure) g = Got::Missing;  // an element that is not a number makes the sum missing
            got = worst(got, g);
            if (got == Got::Number) total = add(total, x);
        }
        if (got == Got::Number) out = total;
        return got;
    }

private:
    ValPtr list_;
};

// sum(row[from:to]) and sum(column[from:to]), without making the slice's list.
class SliceSumNum final : public Num {
public:
    // `slot`: where the report keeps the slice's positions per schema, when its bounds are constants.
    SliceSumNum(ValPtr object, ValPtr from, ValPtr to, std::optional<std::uint32_t> slot)
        : object_(std::move(object)), from_(std::move(from)), to_(std::move(to)), slot_(slot) {}
    Got get(Context& ctx, Number& out) const override {
        ctx.count_step();  // sum
        ctx.count_step();  // the slice
        std::optional<Value> object_scratch, from_scratch, to_scratch;
        const Value& object = object_->get(ctx, object_scratch);
        const Value* from = from_ ? &from_->get(ctx, from_scratch) : nullptr;
        const Value* to = to_ ? &to_->get(ctx, to_scratch) : nullptr;
        if (object.missing() || (from && from->missing()) || (to && to->missing())) return Got::Missing;
        const auto* row = std::get_if<RowRef>(&object.v);
        const auto* column = std::get_if<ColumnRef>(&object.v);
        if (!row && !column) return Got::Unsure;
        auto range = slice_of(ctx, object, from, to);
        if (!range) return Got::Missing;
        Number total = Number::exact(0);
        for (std::size_t i = range->first; i < range->second; ++i) {
            Number x;
            Got got = Got::Number;
            if (row) {
                if (!names::row_has_column(*row->schema, row->row, i)) continue;
                got = cell_number(ctx, row->bound, *row->schema, row->row, i, x);
            } else {
                got = cell_number(ctx, column->bound, *column->schema, i, column->column, x);
            }
            if (got != Got::Number) return got;
            total = add(total, x);
        }
        out = total;
        return Got::Number;
    }
    bool linear(Context& ctx, double sign, std::vector<CellTerm>& terms) const override {
        if (object_->reads_cells() || (from_ && from_->reads_cells()) || (to_ && to_->reads_cells())) return false;
        std::optional<Value> object_scratch, from_scratch, to_scratch;
        const Value& object = object_->get(ctx, object_scratch);
        const Value* from = from_ ? &from_->get(ctx, from_scratch) : nullptr;
        const Value* to = to_ ? &to_->get(ctx, to_scratch) : nullptr;
        const auto* row = std::get_if<RowRef>(&object.v);
        const auto* column = std::get_if<ColumnRef>(&object.v);
        if ((!row && !column) || (from && from->missing()) || (to && to->missing())) return false;
        auto range = slice_of(ctx, object, from, to);
        if (!range) return false;
        for (std::size_t i = range->first; i < range->second; ++i) {
            if (row && !names::row_has_column(*row->schema, row->row, i)) continue;
            if (row) add_term(terms, row->bound, *row->schema, row->row, i, sign);
            else add_term(terms, column->bound, *column->schema, i, column->column, sign);
        }
        return true;
    }

private:
    // cell_slice(), worked out once per schema when the bounds are constants (every row of 表三).
    std::optional<std::pair<std::size_t, std::size_t>> slice_of(Context& ctx, const Value& object, const Value* from,
                                                                const Value* to) const {
        if (!slot_) return cell_slice(ctx, object, from, to);
        return ctx.slice_in(ctx.fast_slices[*slot_], object, from, to);
    }

    ValPtr object_, from_, to_;  // from_ and to_ may be null
    std::optional<std::uint32_t> slot_;
};

// sum(x in list, number), min and max of the same form.
class BoundNum final : public Num {
public:
    enum class Which { Sum, Min, Max };
    BoundNum(Which which, ValPtr collection, std::uint32_t slot, NumPtr body)
        : which_(which), collection_(std::move(collection)), slot_(slot), body_(std::move(body)) {}
    Got get(Context& ctx, Number& out) const override {
        ctx.count_step();
        std::optional<Value> scratch;
        return over(ctx, collection_->get(ctx, scratch), out);
    }
    // get() with `collection`, the value of this node's collection, got by the
    // caller (CellSumNum, which has read it and counted this node's step).
    Got over(Context& ctx, const Value& collection, Number& out) const {
        List list = list_in(collection);
        if (!list) return Got::Missing;
        Number result = Number::exact(0);
        bool first = true;
        Got got = Got::Number;
        for (const auto& e : *list) {
            ctx.vars[slot_] = e;
            Number x;
            got = worst(got, body_->get(ctx, x));
            if (got != Got::Number) continue;
            if (which_ == Which::Sum) {
                result = add(result, x);
            } else if (first || (which_ == Which::Max ? x.value > result.value : x.value < result.value)) {
                result = x;
            }
            first = false;
        }
        if (got == Got::Number && which_ != Which::Sum && list->empty()) return Got::Missing;  // min/max of nothing
        if (got == Got::Number) out = result;
        return got;
    }
    bool linear(Context& ctx, double sign, std::vector<CellTerm>& terms) const override {
        if (which_ != Which::Sum || collection_->reads_cells()) return false;
        std::optional<Value> scratch;
        List list = list_in(collection_->get(ctx, scratch));
        if (!list) return false;
        for (const auto& e : *list) {
            ctx.vars[slot_] = e;
            if (!body_->linear(ctx, sign, terms)) return false;
        }
        return true;
    }

private:
    Which which_;
    ValPtr collection_;
    std::uint32_t slot_;
    NumPtr body_;
};

// sum(x in K, r[x]) or sum(x in K, if absent(r[x]) then 0 else r[x]), x the row
// or the column of the cell, K a list kept for the report (T3-ROW-SUM's applicants
// over 表三.columns[自然人:其他], T3-OUTCOME-SUM's outcomes over 表三's outcome rows):
// each cell read straight by its row and column, without binding x or testing
// the body's nodes one by one. A list of rows or columns of another table than the
// other index's (or of anything else) is summed by `plain_`, the BoundNum of the
// same sum. Charged the steps that BoundNum's body would take.
class CellSumNum final : public Num {
public:
    struct Shape {
        std::uint32_t object_slot, index_slot;  // r and x of r[x]: the row, the column
        bool binds_object;                      // whether the sum's variable is r (else x)
        std::optional<Number> absent_as;        // the `then` of `if absent(r[x])`
    };
    CellSumNum(ValPtr collection, Shape shape, std::shared_ptr<const BoundNum> plain)
        : collection_(std::move(collection)), shape_(shape), plain_(std::move(plain)) {}

    Got get(Context& ctx, Number& out) const override {
        std::optional<Value> scratch;
        const Value& collection = collection_->get(ctx, scratch);
        ctx.count_step();
        // Anything else is summed by `plain_` over the list read here: read again, it
        // would be charged a second step and read (recordable_reads), and worked
        // out again under a probe when it reads cells.
        const List* list = std::get_if<List>(&collection.v);
        const Value& other = ctx.vars[shape_.binds_object ? shape_.index_slot : shape_.object_slot];
        const auto* other_row = std::get_if<RowRef>(&other.v);
        const auto* other_column = std::get_if<ColumnRef>(&other.v);
        if (!list || (shape_.binds_object ? !other_column : !other_row)) return plain_->over(ctx, collection, out);
        const TableSchema* schema = shape_.binds_object ? other_column->schema : other_row->schema;
        for (const auto& e : **list) {
            const bool fits = shape_.binds_object ? std::holds_alternative<RowRef>(e.v) && std::get<RowRef>(e.v).schema == schema
                                                  : std::holds_alternative<ColumnRef>(e.v) &&
                                                        std::get<ColumnRef>(e.v).schema == schema;
            if (!fits) return plain_->over(ctx, collection, out);
        }
        Number result = Number::exact(0);
        Got got = Got::Number;
        for (const auto& e : **list) {
            const RowRef& r = shape_.binds_object ? std::get<RowRef>(e.v) : *other_row;
            const std::size_t column = shape_.binds_object ? other_column->column : std::get<ColumnRef>(e.v).column;
            Number x;
            Got one;
            if (shape_.absent_as) {
                ctx.count_steps(1 + 4);  // the if; absent(), its index and two variables (CellStateCondition)
                ++ctx.recordable_reads;
                const BoundCell* cell = bound_cell(r.bound, r.row, column);
                if (absent_cell(cell)) {
                    ctx.count_step();  // the constant
                    x = *shape_.absent_as;
                    one = Got::Number;
                } else {
                    ctx.count_steps(3);  // the index and its two variables (BoundCellNum)
                    one = cell_number(ctx, r.bound, *r.schema, r.row, column, x);
                }
            } else {
                ctx.count_steps(3);
                one = cell_number(ctx, r.bound, *r.schema, r.row, column, x);
            }
            got = worst(got, one);
            if (got == Got::Number) result = add(result, x);
        }
        if (got == Got::Number) out = result;
        return got;
    }
    bool linear(Context& ctx, double sign, std::vector<CellTerm>& terms) const override {
        return plain_->linear(ctx, sign, terms);
    }

private:
    ValPtr collection_;
    Shape shape_;
    std::shared_ptr<const BoundNum> plain_;
};

// count(list).
class CountNum final : public Num {
public:
    explicit CountNum(ValPtr list) : list_(std::move(list)) {}
    Got get(Context& ctx, Number& out) const override {
        ctx.count_step();
        std::optional<Value> scratch;
        const List* list = list_value(ctx, *list_, scratch);
        if (!list) return Got::Missing;
        out = Number::exact(static_cast<double>((*list)->size()));
        return Got::Number;
    }

private:
    ValPtr list_;
};

// count(x in list, condition).
class CountBoundNum final : public Num {
public:
    CountBoundNum(ValPtr collection, std::uint32_t slot, CondPtr body)
        : collection_(std::move(collection)), slot_(slot), body_(std::move(body)) {}
    Got get(Context& ctx, Number& out) const override {
        ctx.count_step();
        std::optional<Value> scratch;
        List list = list_in(collection_->get(ctx, scratch));
        if (!list) return Got::Missing;
        std::size_t n = 0;
        for (const auto& e : *list) {
            ctx.vars[slot_] = e;
            Truth t = body_->test(ctx);
            if (t == Truth::Unsure) return Got::Unsure;
            n += t == Truth::True ? 1 : 0;
        }
        out = Number::exact(static_cast<double>(n));
        return Got::Number;
    }

private:
    ValPtr collection_;
    std::uint32_t slot_;
    CondPtr body_;
};

class IfNum final : public Num {
public:
    IfNum(CondPtr condition, NumPtr then, NumPtr otherwise)
        : condition_(std::move(condition)), then_(std::move(then)), otherwise_(std::move(otherwise)) {}
    Got get(Context& ctx, Number& out) const override {
        ctx.count_step();
        Truth t = condition_->test(ctx);
        if (t == Truth::Unsure) return Got::Unsure;
        return (t == Truth::True ? then_ : otherwise_)->get(ctx, out);
    }
    bool linear(Context& ctx, double sign, std::vector<CellTerm>& terms) const override {
        if (!condition_->number_free()) return false;
        Truth t = condition_->test(ctx);
        if (t == Truth::Unsure) return false;
        return (t == Truth::True ? then_ : otherwise_)->linear(ctx, sign, terms);
    }

private:
    CondPtr condition_;
    NumPtr then_, otherwise_;
};

// A let of type number, kept for the rest of the check once it is a number (the
// general evaluator reads the same memo).
class LetNum final : public Num {
public:
    LetNum(std::uint32_t slot, NumPtr body) : slot_(slot), body_(std::move(body)) {}
    Got get(Context& ctx, Number& out) const override {
        ctx.count_step();
        if (auto& memo = ctx.lets[slot_]) return number_of(ctx, *memo, out);
        Got got = body_->get(ctx, out);
        if (got == Got::Number) ctx.lets[slot_].emplace(out);
        // A missing one is kept too, or a let read twice by the next (a1: a0 + a0,
        // a2: a1 + a1…) is worked out 2ⁿ times. Kept as the general evaluator has
        // it, whose missing value says whether a cell is absent (written() reads it);
        // its lets below are kept by now, so that costs one more pass.
        else if (got == Got::Missing) ctx.lets[slot_] = evaluate(ctx, ctx.rule->lets[slot_]);
        return got;
    }
    bool linear(Context& ctx, double sign, std::vector<CellTerm>& terms) const override {
        return body_->linear(ctx, sign, terms);
    }

private:
    std::uint32_t slot_;
    NumPtr body_;
};

// ---- conditions --------------------------------------------------------------------

// An invariant condition: decided (or not) once per report.
class KeptCondition final : public Condition {
public:
    KeptCondition(std::uint32_t slot, CondPtr open, bool reads_cells)
        : slot_(slot), open_(std::move(open)), reads_cells_(reads_cells), number_free_(open_->number_free()) {}
    Truth test(Context& ctx) const override {
        // A probe may change it, unless it is decided by which cells are there.
        if (ctx.substitute && reads_cells_ && !number_free_) return open_->test(ctx);
        auto& kept = ctx.fast_kept[slot_];
        if (!kept.set) {
            kept.got = static_cast<std::uint8_t>(open_->test(ctx));
            kept.set = true;
        } else {
            ctx.count_step();
            ++ctx.recordable_reads;  // it may have read something when worked out
        }
        return static_cast<Truth>(kept.got);
    }
    bool number_free() const override { return number_free_; }

private:
    std::uint32_t slot_;
    CondPtr open_;
    bool reads_cells_;
    bool number_free_;
};

// 表三.found and 表三.numberless: what the member says of the report's table. Looked
// up in the model's few tables, which costs less than keeping it: every rule that
// compares a table's numbers starts its `when` with them (rulepacks/gov-tables.yaml).
class TableFlagCondition final : public Condition {
public:
    TableFlagCondition(std::string id, bool numberless) : id_(std::move(id)), numberless_(numberless) {}
    static bool reads(const Node& n) {
        return n.op == Op::Member && n.member && !n.member->method && n.member->object == Kind::Table &&
               (n.member->name == "found" || n.member->name == "numberless") && n.kids.size() == 1 &&
               n.kids[0].op == Op::Table;
    }
    static CondPtr of(const Node& n) {
        return std::make_shared<TableFlagCondition>(n.kids[0].name, n.member->name == "numberless");
    }
    Truth test(Context& ctx) const override {
        ctx.count_step();
        const BoundTable* b = ctx.table(id_).bound;
        const bool holds = b && (numberless_ ? b->numberless() : b->found);
        return holds ? Truth::True : Truth::False;
    }
    bool number_free() const override { return true; }

private:
    std::string id_;
    bool numberless_;
};

// matches(text, pattern) with a pattern of a plain form: searched for here; a
// text that form cannot decide goes to the built-in function.
class MatchesCondition final : public Condition {
public:
    MatchesCondition(const Node& node, ValPtr text) : node_(node), text_(std::move(text)) {}
    Truth test(Context& ctx) const override {
        const std::uint64_t steps = ctx.steps;
        ctx.count_step();  // the call
        ctx.count_step();  // the pattern, a constant
        std::optional<Value> scratch;
        if (auto t = text_->text(ctx, scratch)) {
            if (auto found = program::literal_match(*node_.regex, *t)) {
                if (*found) ctx.count_step();  // as the function counts a match
                return truth(*found);
            }
        }
        ctx.steps = steps;  // the function counts its own
        std::optional<Value> general;
        return truth_of(evaluate_ref(ctx, node_, general));
    }

private:
    const Node& node_;
    ValPtr text_;
};

// mentions(text, row or column), without the general evaluator's list of the
// row's names: the narrative rules ask it of every row for every figure.
class MentionsCondition final : public Condition {
public:
    MentionsCondition(ValPtr text, ValPtr named) : text_(std::move(text)), named_(std::move(named)) {}
    Truth test(Context& ctx) const override {
        ctx.count_step();
        std::optional<Value> text_scratch, named_scratch;
        auto t = text_->text(ctx, text_scratch);
        const NamedLabel* label = named_label_of(named_->get(ctx, named_scratch));
        if (!t || !label) return Truth::Unsure;
        return truth(mentions(*t, *label));
    }
    bool number_free() const override { return !text_->reads_cells() && !named_->reads_cells(); }

private:
    ValPtr text_, named_;
};

// Kleene logic: false and unsure = false; true or unsure = true. The second
// operand is not tested when the first decides, as the general evaluator
// does not evaluate it.
template <class First, class Second>
Truth kleene(bool is_and, const First& first, const Second& second) {
    const Truth decisive = is_and ? Truth::False : Truth::True;
    Truth x = first();
    if (x == decisive) return x;
    Truth y = second();
    if (y == decisive) return y;
    if (x == Truth::Unsure || y == Truth::Unsure) return Truth::Unsure;
    return truth(is_and);
}

Truth negation(Truth x) {
    if (x == Truth::Unsure) return x;
    return x == Truth::True ? Truth::False : Truth::True;
}

// A condition that reads one variable, a figure, only through its texts (unit,
// context, after, text) against constants: `x.unit == "件"`, `matches(f.context,
// "不予公开$") and not matches(f.context, "部分")`. Narrative rules pick the few
// figures they compare out of all a report has with such conditions, one figure
// at a time; here each is decided on the model's figure with a few comparisons,
// where the conditions it stands for make a language value at every node. It
// counts the steps they count. A variable that is no figure (a missing value)
// goes to those conditions.
class FigureCondition final : public Condition {
public:
    enum class Which : std::uint8_t { Unit, Context, After, Text };
    struct Test {  // one node; the root is the last
        enum class Kind : std::uint8_t { Equal, NotEqual, Matches, And, Or, Not } kind;
        Which which = Which::Text;   // Equal, NotEqual, Matches: the text read
        std::string_view constant;   // Equal, NotEqual: the node's constant, which outlives the plan
        const Node* call = nullptr;  // Matches: its regex, and the general evaluator when ICU decides
        std::uint32_t a = 0, b = 0;  // And, Or, Not: the operands' tests
    };
    FigureCondition(std::uint32_t slot, std::vector<Test> tests, CondPtr otherwise)
        : slot_(slot), tests_(std::move(tests)), otherwise_(std::move(otherwise)) {}
    Truth test(Context& ctx) const override {
        const auto* f = std::get_if<FigureRef>(&ctx.vars[slot_].v);
        if (!f) return otherwise_->test(ctx);
        return run(ctx, ctx.model.figures[f->index], static_cast<std::uint32_t>(tests_.size() - 1));
    }

private:
    static std::string_view text(const Figure& f, Which which) {
        switch (which) {
            case Which::Unit: return f.value.unit;
            case Which::Context: return f.context;
            case Which::After: return f.after;
            case Which::Text: break;
        }
        return f.text;
    }
    Truth run(Context& ctx, const Figure& f, std::uint32_t i) const {
        const Test& t = tests_[i];
        switch (t.kind) {
            case Test::Kind::Equal:
            case Test::Kind::NotEqual:
                ctx.count_steps(4);  // the comparison, the member, the variable, the constant
                return truth((text(f, t.which) == t.constant) == (t.kind == Test::Kind::Equal));
            case Test::Kind::Matches: {
                if (auto found = program::literal_match(*t.call->regex, text(f, t.which))) {
                    ctx.count_steps(*found ? 5 : 4);  // the call, the pattern, the member, the variable; a match
                    return truth(*found);
                }
                std::optional<Value> general;  // ICU's: the variable is bound to the figure
                return truth_of(evaluate_ref(ctx, *t.call, general));
            }
            case Test::Kind::And:
            case Test::Kind::Or:
                ctx.count_step();
                return kleene(t.kind == Test::Kind::And, [&] { return run(ctx, f, t.a); }, [&] { return run(ctx, f, t.b); });
            case Test::Kind::Not:
                ctx.count_step();
                return negation(run(ctx, f, t.a));
        }
        return Truth::Unsure;
    }

    std::uint32_t slot_;
    std::vector<Test> tests_;
    CondPtr otherwise_;
};

class ConstantCondition final : public Condition {
public:
    explicit ConstantCondition(bool b) : b_(b) {}
    Truth test(Context& ctx) const override {
        ctx.count_step();
        return truth(b_);
    }
    bool number_free() const override { return true; }

private:
    bool b_;
};

class LogicalCondition final : public Condition {
public:
    LogicalCondition(bool is_and, CondPtr a, CondPtr b) : is_and_(is_and), a_(std::move(a)), b_(std::move(b)) {}
    Truth test(Context& ctx) const override {
        ctx.count_step();
        return kleene(is_and_, [&] { return a_->test(ctx); }, [&] { return b_->test(ctx); });
    }
    bool number_free() const override { return a_->number_free() && b_->number_free(); }

private:
    bool is_and_;
    CondPtr a_, b_;
};

// `if c then a else b` of two conditions (NARR-PCT's `if base == 0 then p.percent == 0
// else within(…)`): unsure when `c` is, as the general evaluator's value is then missing.
class IfCondition final : public Condition {
public:
    IfCondition(CondPtr condition, CondPtr then, CondPtr otherwise)
        : condition_(std::move(condition)), then_(std::move(then)), otherwise_(std::move(otherwise)) {}
    Truth test(Context& ctx) const override {
        ctx.count_step();
        const Truth t = condition_->test(ctx);
        if (t == Truth::Unsure) return Truth::Unsure;
        return (t == Truth::True ? then_ : otherwise_)->test(ctx);
    }
    bool number_free() const override {
        return condition_->number_free() && then_->number_free() && otherwise_->number_free();
    }

private:
    CondPtr condition_, then_, otherwise_;
};

class NotCondition final : public Condition {
public:
    explicit NotCondition(CondPtr a) : a_(std::move(a)) {}
    Truth test(Context& ctx) const override {
        ctx.count_step();
        return negation(a_->test(ctx));
    }
    bool number_free() const override { return a_->number_free(); }

private:
    CondPtr a_;
};

class CompareCondition final : public Condition {
public:
    CompareCondition(ast::BinaryOp op, NumPtr a, NumPtr b) : op_(op), a_(std::move(a)), b_(std::move(b)) {}
    Truth test(Context& ctx) const override {
        ctx.count_step();
        Number x, y;
        Got a = a_->get(ctx, x);  // left first (ArithmeticNum)
        if (worst(a, b_->get(ctx, y)) != Got::Number) return Truth::Unsure;
        auto r = compare_numbers(op_, x, y);
        return r ? truth(*r) : Truth::Unsure;
    }

private:
    ast::BinaryOp op_;
    NumPtr a_, b_;
};

// == and != of two texts.
class TextCompareCondition final : public Condition {
public:
    TextCompareCondition(bool equal, ValPtr a, ValPtr b) : equal_(equal), a_(std::move(a)), b_(std::move(b)) {}
    Truth test(Context& ctx) const override {
        ctx.count_step();
        std::optional<Value> a_scratch, b_scratch;
        auto x = a_->text(ctx, a_scratch);
        auto y = b_->text(ctx, b_scratch);
        if (!x || !y) return Truth::Unsure;
        return truth((*x == *y) == equal_);
    }

private:
    bool equal_;
    ValPtr a_, b_;
};

// `x in list` and `x not in list`. Decided only for an item that is a plain
// value (not missing, not a figure, whose number a recording evaluation would
// record) and a list whose elements compare with it definitely: `x.sentence in
// document_sentences` runs for every figure of a report, and the list is mostly empty.
class MembershipCondition final : public Condition {
public:
    MembershipCondition(bool in, ValPtr item, ValPtr list) : in_(in), item_(std::move(item)), list_(std::move(list)) {}
    Truth test(Context& ctx) const override {
        ctx.count_step();
        std::optional<Value> item_scratch, list_scratch;
        const Value& item = item_->get(ctx, item_scratch);
        if (item.missing() || item.is<FigureRef>()) return Truth::Unsure;
        const auto* list = std::get_if<List>(&list_->get(ctx, list_scratch).v);
        if (!list) return Truth::Unsure;
        for (const auto& e : **list) {
            if (e.is<FigureRef>()) return Truth::Unsure;
            ctx.count_step();
            auto eq = equal_values(ctx, item, e);
            if (!eq) return Truth::Unsure;
            if (*eq) return truth(in_);
        }
        return truth(!in_);
    }

private:
    bool in_;
    ValPtr item_, list_;
};

// present(x) of a number: whether it has one (exact, see Got).
// present(v) of a language value, as fn_present: a figure is present with a number.
Truth present_value(Context& ctx, const Value& v) {
    if (const auto* f = std::get_if<FigureRef>(&v.v)) return truth(!figure_number(ctx, f->index).missing());
    return truth(!v.missing());
}

class PresentNumCondition final : public Condition {
public:
    // `otherwise`: the value, read when the plan is unsure of the number (a sum
    // of cells of which one is approximate); none when it never is (exact_number).
    explicit PresentNumCondition(NumPtr a, ValPtr otherwise = nullptr) : a_(std::move(a)), otherwise_(std::move(otherwise)) {}
    Truth test(Context& ctx) const override {
        ctx.count_step();
        Number x;
        switch (a_->get(ctx, x)) {
            case Got::Number: return Truth::True;
            case Got::Missing: return Truth::False;
            case Got::Unsure: break;
        }
        if (!otherwise_) return Truth::Unsure;
        std::optional<Value> scratch;
        return present_value(ctx, otherwise_->get(ctx, scratch));
    }

private:
    NumPtr a_;
    ValPtr otherwise_;
};

// absent(r[c]) or placed(r[c]) with r a row and c a column bound by `for` or a
// quantifier, as fn_absent and fn_placed: whether the document lacks the cell (not a
// blank, nor one of a row whose numbers could not be placed), or whether the cell's
// row could be placed. The standard rules' lists of the rows a table prints, and of
// those it could not place (T3-CELL, T3-ROW-MISSING), ask it of every cell; read from
// the bound table, without the cell's language value.
class CellStateCondition final : public Condition {
public:
    using Test = bool (*)(const BoundCell*);
    CellStateCondition(Test holds, std::uint32_t object, std::uint32_t index, CondPtr slow)
        : holds_(holds), object_(object), index_(index), slow_(std::move(slow)) {}
    Truth test(Context& ctx) const override {
        const auto* r = std::get_if<RowRef>(&ctx.vars[object_].v);
        const auto* c = std::get_if<ColumnRef>(&ctx.vars[index_].v);
        if (!r || !c || r->schema != c->schema) return slow_->test(ctx);
        ctx.count_steps(4);  // the call, the index and its two variables
        ++ctx.recordable_reads;
        return truth(holds_(bound_cell(r->bound, r->row, c->column)));
    }
    // A probe reads a cell that is there, and has a number, as another number: it
    // stays there, and placed.
    bool number_free() const override { return true; }

private:
    Test holds_;
    std::uint32_t object_, index_;
    CondPtr slow_;  // anything else: the general evaluator
};

// A test of one language value: present(x) of anything but a plain number, as
// fn_present; empty(x) of a list (of a text or a section: the general evaluator's).
class ValueCondition final : public Condition {
public:
    using Test = Truth (*)(Context&, const Value&);
    ValueCondition(ValPtr a, Test holds) : a_(std::move(a)), test_(holds) {}
    Truth test(Context& ctx) const override {
        ctx.count_step();
        std::optional<Value> scratch;
        return test_(ctx, a_->get(ctx, scratch));
    }

    static Truth present(Context& ctx, const Value& v) { return present_value(ctx, v); }
    static Truth empty(Context&, const Value& v) {
        if (const auto* list = std::get_if<List>(&v.v)) return truth((*list)->empty());
        return Truth::Unsure;
    }

private:
    ValPtr a_;
    Test test_;
};

class WithinCondition final : public Condition {
public:
    WithinCondition(NumPtr a, NumPtr b, NumPtr tolerance)
        : a_(std::move(a)), b_(std::move(b)), tolerance_(std::move(tolerance)) {}
    Truth test(Context& ctx) const override {
        ctx.count_step();
        Number x, y, t;
        Got got = a_->get(ctx, x);  // in order (ArithmeticNum)
        got = worst(got, b_->get(ctx, y));
        got = worst(got, tolerance_->get(ctx, t));
        if (got != Got::Number) return Truth::Unsure;
        return truth(within(x, y, t.value));
    }

private:
    NumPtr a_, b_, tolerance_;
};

// all(x in list, condition) and any(…): one decisive element decides.
class QuantifierCondition final : public Condition {
public:
    QuantifierCondition(bool is_all, ValPtr collection, std::uint32_t slot, CondPtr body)
        : is_all_(is_all), collection_(std::move(collection)), slot_(slot), body_(std::move(body)) {}
    Truth test(Context& ctx) const override {
        ctx.count_step();
        std::optional<Value> scratch;
        List list = list_in(collection_->get(ctx, scratch));
        if (!list) return Truth::Unsure;
        const Truth decisive = is_all_ ? Truth::False : Truth::True;
        bool unsure = false;
        for (const auto& e : *list) {
            ctx.vars[slot_] = e;
            Truth t = body_->test(ctx);
            if (t == decisive) return t;
            unsure = unsure || t == Truth::Unsure;
        }
        return unsure ? Truth::Unsure : truth(is_all_);
    }
    bool number_free() const override { return !collection_->reads_cells() && body_->number_free(); }

private:
    bool is_all_;
    ValPtr collection_;
    std::uint32_t slot_;
    CondPtr body_;
};

class LetCondition final : public Condition {
public:
    LetCondition(std::uint32_t slot, CondPtr body) : slot_(slot), body_(std::move(body)) {}
    Truth test(Context& ctx) const override {
        ctx.count_step();
        auto& memo = ctx.lets[slot_];
        if (memo) return truth_of(*memo);
        Truth t = body_->test(ctx);
        if (t != Truth::Unsure) memo.emplace(t == Truth::True);
        return t;
    }
    bool number_free() const override { return body_->number_free(); }

private:
    std::uint32_t slot_;
    CondPtr body_;
};

const Value& FilterVal::get(Context& ctx, std::optional<Value>& scratch) const {
    const std::uint64_t steps = ctx.steps;
    ctx.count_step();
    std::optional<Value> collection_scratch;
    List list = list_in(collection_->get(ctx, collection_scratch));
    if (list) {
        std::vector<Value> out;
        bool unsure = false;
        for (const auto& e : *list) {
            ctx.vars[node_.slot] = e;
            Truth t = body_->test(ctx);
            if (t == Truth::Unsure) {
                unsure = true;
                break;
            }
            if (t == Truth::True) out.push_back(e);
        }
        if (!unsure) return scratch.emplace(make_list(std::move(out)));
    }
    ctx.steps = steps;  // the general evaluator counts its own
    return evaluate_ref(ctx, node_, scratch);
}

class SidePlan final : public NumberPlan {
public:
    explicit SidePlan(NumPtr n) : n_(std::move(n)) {}
    Result number(Context& ctx, Number& out) const override { return static_cast<Result>(n_->get(ctx, out)); }
    bool linear_terms(Context& ctx, std::vector<CellTerm>& terms) const override { return n_->linear(ctx, 1.0, terms); }

private:
    NumPtr n_;
};
static_assert(static_cast<int>(NumberPlan::Result::Missing) == static_cast<int>(Got::Missing) &&
              static_cast<int>(NumberPlan::Result::Unsure) == static_cast<int>(Got::Unsure));

class ParamPlan final : public ValuePlan {
public:
    explicit ParamPlan(ValPtr v) : v_(std::move(v)) {}
    Value value(Context& ctx) const override {
        std::optional<Value> scratch;
        const Value& v = v_->get(ctx, scratch);
        return scratch && &v == &*scratch ? std::move(*scratch) : v;
    }

private:
    ValPtr v_;
};

// ---- lowering -----------------------------------------------------------------------

bool numeric(const Node& n) { return n.type.kind == Kind::Number || n.type.kind == Kind::Figure; }
bool row_or_column(const Node& n) { return n.type.kind == Kind::Row || n.type.kind == Kind::Column; }

bool is_comparison(ast::BinaryOp op) {
    using ast::BinaryOp;
    return op == BinaryOp::Eq || op == BinaryOp::Ne || op == BinaryOp::Approx || op == BinaryOp::Lt ||
           op == BinaryOp::Le || op == BinaryOp::Gt || op == BinaryOp::Ge;
}

bool is_arithmetic(ast::BinaryOp op) {
    using ast::BinaryOp;
    return op == BinaryOp::Add || op == BinaryOp::Sub || op == BinaryOp::Mul || op == BinaryOp::Div;
}

bool calls(const Node& n, std::string_view name, bool binder) {
    return n.op == Op::Call && n.function && n.function->name == name && n.function->binder == binder;
}

class Lowering {
public:
    // `lets`: those of the rule whose expressions are lowered (a param has none).
    Lowering(program::Program& program, const std::vector<Node>& lets)
        : program_(program), lets_(lets), num_lets_(lets.size()), cond_lets_(lets.size()), val_lets_(lets.size()) {}

    CondPtr condition(const Node& n) {
        if (TableFlagCondition::reads(n)) return TableFlagCondition::of(n);
        if (n.invariant) return std::make_shared<KeptCondition>(program_.fast_kept_slots++, open_condition(n), n.reads_cells);
        return open_condition(n);
    }

    // The sides of `check` when it is a relation of numbers that suggestions measure.
    void sides(const Node& check, Plan& plan) {
        using ast::BinaryOp;
        if (check.op != Op::Binary || (check.binary != BinaryOp::Eq && check.binary != BinaryOp::Approx)) return;
        if (!numeric(check.kids[0]) || !numeric(check.kids[1])) return;
        plan.lhs = std::make_shared<SidePlan>(number(check.kids[0]));
        plan.rhs = std::make_shared<SidePlan>(number(check.kids[1]));
    }

    // The plan of a param or of a `for`'s collection, when some of it is compiled.
    std::shared_ptr<const ValuePlan> value_plan(const Node& n) {
        ValPtr v = n.invariant ? kept(n) : compiled(n);
        if (!v) return nullptr;
        return std::make_shared<ParamPlan>(std::move(v));
    }

    // How many expressions lowered so far are left to the general evaluator, each
    // time they are read (those kept for the report are not counted: they are worked out once).
    std::size_t general_parts() const { return general_parts_; }

private:
    // condition(n) without keeping it for the report (its kids may be kept).
    CondPtr open_condition(const Node& n, bool of_figure = true) {
        if (of_figure) {
            std::vector<FigureCondition::Test> tests;
            std::optional<std::uint32_t> slot;
            if (figure_tests(n, tests, slot))
                return std::make_shared<FigureCondition>(*slot, std::move(tests), open_condition(n, false));
        }
        switch (n.op) {
            case Op::Constant:
                if (n.constant.is<bool>()) return std::make_shared<ConstantCondition>(n.constant.as<bool>());
                break;
            case Op::Let:
                if (lets_[n.slot].type.kind == Kind::Bool) {
                    auto& body = cond_lets_[n.slot];
                    if (!body) body = condition(lets_[n.slot]);
                    return std::make_shared<LetCondition>(n.slot, body);
                }
                break;
            case Op::Member:
                if (n.member && !n.member->method && n.member->object == Kind::Figure && n.member->name == "approximate")
                    return std::make_shared<FigureApproximateCondition>(figure_at(n.kids[0]));
                break;
            case Op::And:
            case Op::Or:
                return std::make_shared<LogicalCondition>(n.op == Op::And, condition(n.kids[0]), condition(n.kids[1]));
            case Op::Not: return std::make_shared<NotCondition>(condition(n.kids[0]));
            case Op::If:
                if (n.kids[1].type.kind == Kind::Bool && n.kids[2].type.kind == Kind::Bool)
                    return std::make_shared<IfCondition>(condition(n.kids[0]), condition(n.kids[1]), condition(n.kids[2]));
                break;
            case Op::Binary: {
                const Node& a = n.kids[0];
                const Node& b = n.kids[1];
                if (is_comparison(n.binary) && numeric(a) && numeric(b))
                    return std::make_shared<CompareCondition>(n.binary, number(a), number(b));
                const bool equality = n.binary == ast::BinaryOp::Eq || n.binary == ast::BinaryOp::Ne;
                // `template == "…"` also names the templates based on it: the evaluator's.
                if (program::is_template(a) || program::is_template(b)) break;
                if (equality && a.type.kind == Kind::String && b.type.kind == Kind::String)
                    return std::make_shared<TextCompareCondition>(n.binary == ast::BinaryOp::Eq, value(a), value(b));
                if ((n.binary == ast::BinaryOp::In || n.binary == ast::BinaryOp::NotIn) && types::is_list(b.type))
                    return std::make_shared<MembershipCondition>(n.binary == ast::BinaryOp::In, value(a), value(b));
                break;
            }
            case Op::Call: {
                if (calls(n, "present", false)) {
                    const Node& x = n.kids[0];
                    if (exact_number(x)) return std::make_shared<PresentNumCondition>(number(x));
                    // A number worked out (a sum of cells): missing exactly when the plan says so.
                    if (x.type.kind == Kind::Number)
                        return std::make_shared<PresentNumCondition>(number(x), value(x));
                    return std::make_shared<ValueCondition>(value(x), ValueCondition::present);
                }
                if ((calls(n, "absent", false) || calls(n, "placed", false)) && n.kids[0].op == Op::Index &&
                    n.kids[0].kids[0].op == Op::Variable && n.kids[0].kids[1].op == Op::Variable &&
                    !n.kids[0].kids[0].invariant && !n.kids[0].kids[1].invariant)
                    // The general evaluator's only for variables that are not a row and a column of one
                    // table: not one of general_parts, as BoundCellNum's CellNum is not.
                    return std::make_shared<CellStateCondition>(
                        n.function->name == "absent" ? absent_cell : placed_cell, n.kids[0].kids[0].slot,
                        n.kids[0].kids[1].slot, std::make_shared<GeneralCondition>(std::make_shared<GeneralVal>(n)));
                if (calls(n, "empty", false)) return std::make_shared<ValueCondition>(value(n.kids[0]), ValueCondition::empty);
                if (calls(n, "within", false) && numeric(n.kids[0]) && numeric(n.kids[1]) && numeric(n.kids[2]))
                    return std::make_shared<WithinCondition>(number(n.kids[0]), number(n.kids[1]), number(n.kids[2]));
                if ((calls(n, "matches", false) || calls(n, "regex", false)) && n.regex &&
                    program::has_literal_form(*n.regex))
                    return std::make_shared<MatchesCondition>(n, value(n.kids[0]));
                if (calls(n, "mentions", false)) return std::make_shared<MentionsCondition>(value(n.kids[0]), value(n.kids[1]));
                if (calls(n, "all", true) || calls(n, "any", true))
                    return std::make_shared<QuantifierCondition>(n.function->name == "all", value(n.kids[0]), n.slot,
                                                                 condition(n.kids[1]));
                break;
            }
            default: break;
        }
        return std::make_shared<GeneralCondition>(value(n));
    }


    // Whether `n` tests one variable, a figure, only through its texts against
    // constants (FigureCondition); its tests are appended to `tests`, operands
    // before the node, and `slot` is the variable's.
    static bool figure_tests(const Node& n, std::vector<FigureCondition::Test>& tests, std::optional<std::uint32_t>& slot) {
        using Test = FigureCondition::Test;
        if (n.invariant) return false;
        auto member = [&](const Node& m, FigureCondition::Which& which) {
            if (!FigureTextVal::reads(m) || m.invariant || m.kids[0].op != Op::Variable || m.kids[0].invariant) return false;
            if (slot && *slot != m.kids[0].slot) return false;
            slot = m.kids[0].slot;
            const std::string_view name = m.member->name;
            which = name == "unit"      ? FigureCondition::Which::Unit
                    : name == "context" ? FigureCondition::Which::Context
                    : name == "after"   ? FigureCondition::Which::After
                                        : FigureCondition::Which::Text;
            return true;
        };
        auto text_constant = [](const Node& c) { return c.op == Op::Constant && c.constant.is<std::string>(); };
        auto operand = [&](const Node& k, std::uint32_t& at) {
            if (!figure_tests(k, tests, slot)) return false;
            at = static_cast<std::uint32_t>(tests.size() - 1);
            return true;
        };
        Test t{};
        switch (n.op) {
            case Op::And:
            case Op::Or:
                t.kind = n.op == Op::And ? Test::Kind::And : Test::Kind::Or;
                if (!operand(n.kids[0], t.a) || !operand(n.kids[1], t.b)) return false;
                break;
            case Op::Not:
                t.kind = Test::Kind::Not;
                if (!operand(n.kids[0], t.a)) return false;
                break;
            case Op::Binary: {
                if (n.binary != ast::BinaryOp::Eq && n.binary != ast::BinaryOp::Ne) return false;
                t.kind = n.binary == ast::BinaryOp::Eq ? Test::Kind::Equal : Test::Kind::NotEqual;
                const bool constant_first = text_constant(n.kids[0]);
                const Node& m = n.kids[constant_first ? 1 : 0];
                const Node& c = n.kids[constant_first ? 0 : 1];
                if (!text_constant(c) || !member(m, t.which)) return false;
                t.constant = c.constant.as<std::string>();
                break;
            }
            case Op::Call:
                if (!calls(n, "matches", false) || !n.regex || !program::has_literal_form(*n.regex)) return false;
                if (!member(n.kids[0], t.which)) return false;
                t.kind = Test::Kind::Matches;
                t.call = &n;
                break;
            default: return false;
        }
        tests.push_back(t);
        return true;
    }

    NumPtr number(const Node& n) {
        if (n.invariant) return std::make_shared<KeptNum>(program_.fast_kept_slots++, open_number(n), n.reads_cells);
        return open_number(n);
    }

    NumPtr open_number(const Node& n) {
        switch (n.op) {
            case Op::Constant:
                if (n.constant.is<Number>()) return std::make_shared<ConstantNum>(n.constant.as<Number>());
                break;
            case Op::Let:
                // The plan keeps the let's value in the memo the general evaluator
                // reads: only when that value is a plain number there too (a number
                // let may hold a figure: `if … then first(figures) else 0`).
                if (lets_[n.slot].type.kind == Kind::Number && plain_number(lets_[n.slot])) {
                    auto& body = num_lets_[n.slot];
                    if (!body) body = number(lets_[n.slot]);
                    return std::make_shared<LetNum>(n.slot, body);
                }
                // A part's count or a list's total named once for several uses (the
                // compiler names repeated expressions so): the figure is looked up
                // again at each, which costs less than keeping its language value.
                if (lets_[n.slot].type.kind == Kind::Figure && figure_member(lets_[n.slot])) return number(lets_[n.slot]);
                break;
            case Op::Binary:
                if (is_arithmetic(n.binary))
                    return std::make_shared<ArithmeticNum>(n.binary, number(n.kids[0]), number(n.kids[1]));
                break;
            case Op::Negate: return std::make_shared<NegateNum>(number(n.kids[0]));
            case Op::Index:
                if (n.kids[0].op == Op::Variable && n.kids[1].op == Op::Variable && !n.kids[0].invariant &&
                    !n.kids[1].invariant)
                    return std::make_shared<BoundCellNum>(n.kids[0].slot, n.kids[1].slot);
                if (row_or_column(n.kids[0])) return std::make_shared<CellNum>(value(n.kids[0]), value(n.kids[1]));
                break;
            case Op::NamedCell:
                return std::make_shared<NamedCellNum>(n, value(n.kids[0]), program_.fast_name_slots++);
            case Op::Member:
                if (figure_member(n)) return std::make_shared<FigureNum>(figure_at(n), false);
                if (FigurePlaceNum::reads(n) && !n.kids[0].invariant)
                    return std::make_shared<FigurePlaceNum>(figure_at(n.kids[0]), n.member->name == "year");
                if (n.member && n.member->object == Kind::Figure && n.member->name == "value" && !n.kids[0].invariant)
                    return std::make_shared<FigureNum>(figure_at(n.kids[0]), true);
                break;
            case Op::If:
                return std::make_shared<IfNum>(condition(n.kids[0]), number(n.kids[1]), number(n.kids[2]));
            case Op::Call: {
                using Which = FunctionNum::Which;
                if (calls(n, "round", false) || calls(n, "abs", false) || calls(n, "unit", false)) {
                    std::vector<NumPtr> args;
                    for (const auto& k : n.kids) args.push_back(number(k));
                    Which which = n.function->name == "round" ? Which::Round : n.function->name == "abs" ? Which::Abs : Which::Unit;
                    return std::make_shared<FunctionNum>(which, std::move(args));
                }
                if (calls(n, "sum", false)) {
                    const Node& list = n.kids[0];
                    if (list.op == Op::Slice && row_or_column(list.kids[0])) {
                        std::size_t k = 1;
                        bool constant_bounds = true;
                        auto bound = [&](bool has) -> ValPtr {
                            if (!has) return nullptr;
                            const Node& b = list.kids[k++];
                            constant_bounds = constant_bounds && b.op == Op::Constant;
                            return value(b);
                        };
                        ValPtr from = bound(list.has_from);
                        ValPtr to = bound(list.has_to);
                        std::optional<std::uint32_t> slot;
                        if (constant_bounds) slot = program_.fast_slice_slots++;
                        return std::make_shared<SliceSumNum>(value(list.kids[0]), std::move(from), std::move(to), slot);
                    }
                    return std::make_shared<SumNum>(value(list));
                }
                if (calls(n, "count", false)) return std::make_shared<CountNum>(value(n.kids[0]));
                if (calls(n, "count", true))
                    return std::make_shared<CountBoundNum>(value(n.kids[0]), n.slot, condition(n.kids[1]));
                using Bound = BoundNum::Which;
                for (auto [name, which] : {std::pair{"sum", Bound::Sum}, {"min", Bound::Min}, {"max", Bound::Max}}) {
                    if (!calls(n, name, true)) continue;
                    ValPtr collection = value(n.kids[0]);
                    auto plain = std::make_shared<BoundNum>(which, collection, n.slot, number(n.kids[1]));
                    if (auto shape = cell_sum_shape(n); shape && which == Bound::Sum)
                        return std::make_shared<CellSumNum>(std::move(collection), *shape, std::move(plain));
                    return plain;
                }
                break;
            }
            default: break;
        }
        return std::make_shared<GeneralNum>(value(n));
    }

    ValPtr value(const Node& n) {
        if (n.invariant || n.op == Op::Table) return kept(n);
        if (ValPtr v = compiled(n)) return v;
        ++general_parts_;
        return std::make_shared<GeneralVal>(n);
    }

    // The value of `n` compiled here; null when the general evaluator is needed.
    ValPtr compiled(const Node& n) {
        if (calls(n, "filter", true)) return std::make_shared<FilterVal>(n, value(n.kids[0]), condition(n.kids[1]));
        if (calls(n, "map", true)) return std::make_shared<MapVal>(n, value(n.kids[0]), value(n.kids[1]));
        if (calls(n, "first", false) || calls(n, "last", false))
            return std::make_shared<EndVal>(n.function->name == "first", value(n.kids[0]));
        switch (n.op) {
            case Op::Constant: return std::make_shared<ConstantVal>(n);
            case Op::Variable: return std::make_shared<VariableVal>(n.slot);
            case Op::Let: {
                auto& body = val_lets_[n.slot];
                if (!body) body = value(lets_[n.slot]);
                return std::make_shared<LetVal>(n.slot, body);
            }
            case Op::Member:
                if (FigureTextVal::reads(n)) return std::make_shared<FigureTextVal>(n, value(n.kids[0]));
                if (n.member && !n.member->method) return std::make_shared<MemberVal>(n, value(n.kids[0]));
                break;
            case Op::If: return std::make_shared<IfVal>(n, condition(n.kids[0]), value(n.kids[1]), value(n.kids[2]));
            default: break;
        }
        return nullptr;
    }

    // Whether the general evaluator's value of `n` is always a Number (or missing),
    // never a figure or anything else that reads as a number.
    bool plain_number(const Node& n) const {
        switch (n.op) {
            case Op::Constant: return n.constant.is<Number>();
            case Op::Binary: return is_arithmetic(n.binary);
            case Op::Negate: return true;
            case Op::Index: return row_or_column(n.kids[0]);
            case Op::NamedCell: return true;
            case Op::If: return plain_number(n.kids[1]) && plain_number(n.kids[2]);
            case Op::Let: return lets_[n.slot].type.kind == Kind::Number && plain_number(lets_[n.slot]);
            case Op::Member:
                return n.member && n.member->object == Kind::Figure && n.member->name == "value";
            case Op::Call:
                for (const char* f : {"sum", "count", "round", "abs", "unit", "min", "max", "decimals", "length", "number"})
                    if (n.function && n.function->name == f) return true;
                return false;
            default: return false;
        }
    }

    // A member that is a figure: a part's count or percent, a list's total.
    static bool figure_member(const Node& n) {
        if (n.op != Op::Member || !n.member || n.member->method || n.kids[0].invariant) return false;
        const auto& m = *n.member;
        return (m.object == Kind::Part && (m.name == "count" || m.name == "percent")) ||
               (m.object == Kind::FigureList && m.name == "total");
    }

    FigureAtPtr figure_at(const Node& n) {
        if (figure_member(n)) {
            if (n.member->object == Kind::Part)
                return std::make_shared<PartFigure>(value(n.kids[0]), n.member->name == "percent");
            return std::make_shared<ListTotal>(value(n.kids[0]));
        }
        return std::make_shared<FigureValue>(value(n));
    }

    ValPtr kept(const Node& n) {
        return std::make_shared<KeptVal>(n, program_.fast_value_slots++, n.op == Op::Table ? nullptr : compiled(n));
    }

    // The shape of sum(x in K, r[x]) or sum(x in K, if absent(r[x]) then 0 else r[x])
    // with K kept for the report and r, x two variables (CellSumNum); none otherwise.
    std::optional<CellSumNum::Shape> cell_sum_shape(const Node& sum) const {
        if (!sum.kids[0].invariant) return std::nullopt;
        auto two_variables = [](const Node& x) {
            return x.op == Op::Index && x.kids.size() == 2 && x.kids[0].op == Op::Variable &&
                   x.kids[1].op == Op::Variable && !x.kids[0].invariant && !x.kids[1].invariant &&
                   x.kids[0].slot != x.kids[1].slot;
        };
        const Node& body = sum.kids[1];
        const Node* cell = &body;
        std::optional<Number> absent_as;
        if (body.op == Op::If) {
            const Node& test = body.kids[0];
            const Node& then = body.kids[1];
            if (!calls(test, "absent", false) || !two_variables(test.kids[0]) || then.op != Op::Constant ||
                !then.constant.is<Number>())
                return std::nullopt;
            cell = &body.kids[2];
            if (!two_variables(*cell) || cell->kids[0].slot != test.kids[0].kids[0].slot ||
                cell->kids[1].slot != test.kids[0].kids[1].slot)
                return std::nullopt;
            absent_as = then.constant.as<Number>();
        }
        if (!two_variables(*cell)) return std::nullopt;
        const std::uint32_t object = cell->kids[0].slot, index = cell->kids[1].slot;
        if (object != sum.slot && index != sum.slot) return std::nullopt;
        return CellSumNum::Shape{object, index, object == sum.slot, absent_as};
    }

    // Whether number(n) tells a missing value from one it is unsure of for every
    // value n may have: present() of it is then decided without a language value.
    bool exact_number(const Node& n) const {
        if (n.op == Op::Index) return row_or_column(n.kids[0]);
        if (n.op == Op::NamedCell) return true;
        if (figure_member(n)) return true;
        if (n.op == Op::Let) {
            const Node& body = lets_[n.slot];
            return (body.type.kind == Kind::Number && exact_number(body)) || (body.type.kind == Kind::Figure && figure_member(body));
        }
        return false;
    }

    program::Program& program_;
    const std::vector<Node>& lets_;
    std::vector<NumPtr> num_lets_;
    std::vector<CondPtr> cond_lets_;
    std::vector<ValPtr> val_lets_;
    std::size_t general_parts_ = 0;
};

// Whether every use in `n` (and the lets it names) of the rule's `for`
// variables is the cell r[c] of two of them, always the same two; `cell` is set
// to them at the first, and its number_read unless every use is present(r[c]).
// `seen` marks the lets already looked at.
bool reads_bindings_as_one_cell(const Node& n, const program::CompiledRule& rule, std::optional<Plan::OneCell>& cell,
                                std::vector<bool>& seen, bool in_present = false) {
    // A cell's written unit is not in its number: "412件" is not "412".
    if (calls(n, "written_unit", false) || calls(n, "written_text", false)) return false;
    auto bound = [&](const Node& k) {
        if (k.op != Op::Variable) return false;
        for (const auto& b : rule.bindings)
            if (b.slot == k.slot) return true;
        return false;
    };
    auto is_cell = [&](const Node& k) { return k.op == Op::Index && bound(k.kids[0]) && bound(k.kids[1]); };
    // r[c] itself, or a let naming it (the compiler names repeated expressions).
    const Node* index = is_cell(n) ? &n : n.op == Op::Let && is_cell(rule.lets[n.slot]) ? &rule.lets[n.slot] : nullptr;
    if (index) {
        if (!cell) cell = Plan::OneCell{index->kids[0].slot, index->kids[1].slot, false};
        cell->number_read = cell->number_read || !in_present;
        return cell->row_slot == index->kids[0].slot && cell->column_slot == index->kids[1].slot;
    }
    if (bound(n)) return false;
    if (n.op == Op::Let && !seen[n.slot]) {
        seen[n.slot] = true;
        if (!reads_bindings_as_one_cell(rule.lets[n.slot], rule, cell, seen)) return false;
    }
    const bool present = calls(n, "present", false);
    for (const auto& k : n.kids)
        if (!reads_bindings_as_one_cell(k, rule, cell, seen, present)) return false;
    return true;
}

// Plan::one_cell of `rule`, for a rule whose two `for` variables are read only as r[c].
std::optional<Plan::OneCell> one_cell_of(const program::CompiledRule& rule) {
    if (rule.bindings.size() != 2) return std::nullopt;
    std::optional<Plan::OneCell> cell;
    std::vector<bool> seen(rule.lets.size());
    if (rule.when && !reads_bindings_as_one_cell(*rule.when, rule, cell, seen)) return std::nullopt;
    if (!reads_bindings_as_one_cell(rule.check, rule, cell, seen)) return std::nullopt;
    return cell;
}

}  // namespace

namespace {

void normalize_texts(const Node& n, std::unordered_map<std::string, std::string>& out) {
    if (n.op == Op::Constant && n.constant.is<std::string>()) {
        const auto& text = n.constant.as<std::string>();
        if (!out.count(text)) out.emplace(text, normalize_label(text));
    }
    for (const auto& k : n.kids) normalize_texts(k, out);
}

}  // namespace

namespace {

// `n`'s conjuncts in order: `a and b and c` is And(And(a, b), c). An `and` that is
// kept whole (program::Node::invariant; its kids then are not) is one conjunct.
void conjuncts_of(const Node& n, std::vector<const Node*>& out) {
    if (n.op != Op::And || n.invariant) return out.push_back(&n);
    conjuncts_of(n.kids[0], out);
    conjuncts_of(n.kids[1], out);
}

// Whether a conjunct of `when` has one truth for every binding of a rule in one
// report, whatever a suggestion's probe reads a cell as.
bool once_per_rule(const Node& n) {
    return (n.invariant || n.op == Op::Param || n.op == Op::Constant) && !n.reads_cells;
}

// The conjuncts [from, to) as one condition (`and`, in their order).
CondPtr conjunction(Lowering& lower, const std::vector<const Node*>& all, std::size_t from, std::size_t to) {
    CondPtr c = lower.condition(*all[from]);
    for (std::size_t i = from + 1; i < to; ++i) c = std::make_shared<LogicalCondition>(true, c, lower.condition(*all[i]));
    return c;
}

// Sets plan.when_once and plan.when from the rule's `when` (Plan).
void plan_when(Lowering& lower, const Node& when, Plan& plan) {
    std::vector<const Node*> all;
    conjuncts_of(when, all);
    std::size_t once = 0;
    while (once < all.size() && once_per_rule(*all[once])) ++once;
    if (once == 0) {
        plan.when = lower.condition(when);
        return;
    }
    plan.when_once = conjunction(lower, all, 0, once);
    if (once < all.size()) plan.when = conjunction(lower, all, once, all.size());
}

}  // namespace

void plan_rules(program::Program& program) {
    auto& texts = program.normalized_texts;
    for (const auto& pack : program.packs)
        for (const auto& p : pack.params) normalize_texts(p, texts);
    for (const auto& rule : program.rules) {
        for (const auto& let : rule.lets) normalize_texts(let, texts);
        if (rule.when) normalize_texts(*rule.when, texts);
        normalize_texts(rule.check, texts);
    }
    for (auto& pack : program.packs) {
        const std::vector<Node> no_lets;
        for (const auto& p : pack.params) pack.fast_params.push_back(Lowering(program, no_lets).value_plan(p));
    }
    for (auto& rule : program.rules) {
        Lowering lower(program, rule.lets);
        auto plan = std::make_shared<Plan>();
        for (const auto& b : rule.bindings) plan->collections.push_back(lower.value_plan(b.collection));
        if (rule.when) plan_when(lower, *rule.when, *plan);
        plan->check = lower.condition(rule.check);
        // Before the sides: lowered again for suggestions, they are the check's parts.
        plan->general_parts = lower.general_parts();
        if (rule.kind == RuleKind::Sum) lower.sides(rule.check, *plan);
        plan->one_cell = one_cell_of(rule);
        rule.fast = std::move(plan);
    }
}

void set_verification(bool on) { verification = on; }
bool verifying() { return verification; }

}  // namespace gouji::eval::fast
