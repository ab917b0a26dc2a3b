#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "engine/eval/builtins.hpp"
#include "engine/eval/context.hpp"
#include "engine/eval/fast.hpp"
#include "gouji/text.hpp"
#include "rules/names.hpp"

namespace gouji::eval {

namespace {

using program::Node;
using program::Op;

std::string_view reason_text(MissingReason r) {
    switch (r) {
        case MissingReason::None: return "present";
        case MissingReason::Blank: return "blank";
        case MissingReason::Slash: return "written '/'";
        case MissingReason::Dash: return "written as a dash";
        case MissingReason::Nil: return "written '无'";
        case MissingReason::Absent: return "absent";
        case MissingReason::Unparseable: return "not a number";
        case MissingReason::Unplaced: return "not placed: its row's numbers do not match its columns";
    }
    return "missing";
}

std::optional<Number> numeric(Context& ctx, const Value& v) {
    if (v.is<Number>()) return v.as<Number>();
    if (v.is<FigureRef>()) {
        Value n = figure_number(ctx, v.as<FigureRef>().index);
        if (n.is<Number>()) return n.as<Number>();
    }
    return std::nullopt;
}

Value numeric_or_missing(Context& ctx, const Value& v, const char* what) {
    if (v.missing()) return v;
    if (v.is<FigureRef>()) return figure_number(ctx, v.as<FigureRef>().index);
    if (v.is<Number>()) return v;
    return missing_value(std::string("not a number: ") + what);
}

Value arithmetic_value(ast::BinaryOp op, const Number& a, const Number& b) {
    if (auto n = arithmetic(op, a, b)) return *n;
    return missing_value("division by zero");
}

bool names_match(Context& ctx, const Value& ref, const std::string& name) {
    const std::string& key = ctx.normalized(name);
    if (ref.is<RowRef>()) {
        const auto& r = ref.as<RowRef>();
        return r.schema && ctx.row_index(*r.schema, key) == r.row;
    }
    if (ref.is<ColumnRef>()) {
        const auto& c = ref.as<ColumnRef>();
        return c.schema && ctx.column_index(*c.schema, key) == c.column;
    }
    if (ref.is<TableRef>()) return ctx.normalized(std::string(ref.as<TableRef>().id)) == key;
    if (ref.is<SectionRef>()) {
        const Section* s = ref.as<SectionRef>().section;
        return ctx.normalized(s->title) == key || (!s->canonical.empty() && ctx.normalized(s->canonical) == key);
    }
    if (ref.is<PartRef>()) {
        const auto& p = ref.as<PartRef>();
        return ctx.normalized(ctx.model.lists[p.list].parts[p.part].label) == key;
    }
    return false;
}

// Equality of any two values; nullopt when either is missing.
std::optional<bool> values_equal(Context& ctx, const Value& a, const Value& b) {
    if (a.missing() || b.missing()) return std::nullopt;
    auto na = numeric(ctx, a), nb = numeric(ctx, b);
    if (na && nb) return equal(*na, *nb);
    if ((a.is<FigureRef>() && !na) || (b.is<FigureRef>() && !nb)) return std::nullopt;
    auto ta = text_of(a), tb = text_of(b);
    if (ta && tb) return *ta == *tb;
    if (a.is<bool>() && b.is<bool>()) return a.as<bool>() == b.as<bool>();
    if (ta) return names_match(ctx, b, std::string(*ta));
    if (tb) return names_match(ctx, a, std::string(*tb));
    if (a.is<RowRef>() && b.is<RowRef>())
        return a.as<RowRef>().schema == b.as<RowRef>().schema && a.as<RowRef>().row == b.as<RowRef>().row;
    if (a.is<ColumnRef>() && b.is<ColumnRef>())
        return a.as<ColumnRef>().schema == b.as<ColumnRef>().schema && a.as<ColumnRef>().column == b.as<ColumnRef>().column;
    if (a.is<SectionRef>() && b.is<SectionRef>()) return a.as<SectionRef>().section == b.as<SectionRef>().section;
    if (a.is<TableRef>() && b.is<TableRef>())
        return a.as<TableRef>().id == b.as<TableRef>().id && ctx.from_previous(a.as<TableRef>().bound) == ctx.from_previous(b.as<TableRef>().bound);
    if (a.is<List>() && b.is<List>()) {
        // Element by element: one pair that differs decides; else one unknown pair leaves it unknown.
        const auto& x = *a.as<List>();
        const auto& y = *b.as<List>();
        if (x.size() != y.size()) return false;
        bool unknown = false;
        for (std::size_t i = 0; i < x.size(); ++i) {
            auto eq = values_equal(ctx, x[i], y[i]);
            if (!eq) unknown = true;
            else if (!*eq) return false;
        }
        if (unknown) return std::nullopt;
        return true;
    }
    return false;
}

// What is missing in `v`, or in the elements of a list `v` (a comparison of lists).
Missing missing_in(const Value& v) {
    if (v.missing()) return v.as<Missing>();
    Missing m;
    if (v.is<List>())
        for (const auto& e : *v.as<List>()) m = merge_missing(Value(std::move(m)), Value(missing_in(e)));
    return m;
}

Value membership(Context& ctx, const Value& item, const Value& coll) {
    if (item.missing() || coll.missing()) return merge_missing(item, coll);
    if (is_text(coll) && is_text(item)) return text_of(coll)->find(*text_of(item)) != std::string_view::npos;
    if (!coll.is<List>()) return missing_value("'in' needs a list on its right");
    bool unknown = false;
    Missing why;
    for (const auto& e : *coll.as<List>()) {
        auto eq = values_equal(ctx, item, e);
        if (!eq) {
            unknown = true;
            why = merge_missing(why, e);
        } else if (*eq) {
            return true;
        }
    }
    if (unknown) return why;
    return false;
}

}  // namespace

std::optional<bool> equal_values(Context& ctx, const Value& a, const Value& b) { return values_equal(ctx, a, b); }

std::optional<bool> compare_numbers(ast::BinaryOp op, const Number& x, const Number& y) {
    using ast::BinaryOp;
    switch (op) {
        case BinaryOp::Eq: return equal(x, y);
        case BinaryOp::Ne: return !equal(x, y);
        case BinaryOp::Approx: return approximately_equal(x, y);
        case BinaryOp::Lt: return x.value < y.value && !equal(x, y);
        case BinaryOp::Le: return x.value <= y.value || equal(x, y);
        case BinaryOp::Gt: return x.value > y.value && !equal(x, y);
        case BinaryOp::Ge: return x.value >= y.value || equal(x, y);
        default: return std::nullopt;
    }
}

namespace {

Value compared(ast::BinaryOp op, const Number& x, const Number& y) {
    auto r = compare_numbers(op, x, y);
    if (!r) return missing_value("unsupported comparison");
    return *r;
}

Value compare(Context& ctx, ast::BinaryOp op, const Value& a, const Value& b) {
    using ast::BinaryOp;
    if (op != BinaryOp::In && op != BinaryOp::NotIn && a.is<Number>() && b.is<Number>())
        return compared(op, a.as<Number>(), b.as<Number>());
    if (op == BinaryOp::In) return membership(ctx, a, b);
    if (op == BinaryOp::NotIn) {
        Value m = membership(ctx, a, b);
        return m.is<bool>() ? Value(!m.as<bool>()) : m;
    }
    if (op == BinaryOp::Eq || op == BinaryOp::Ne) {
        // A figure compares as its number; anything else as it is, without a copy
        // (f.unit == "件" runs for every figure).
        std::optional<Value> x_number, y_number;
        if (a.is<FigureRef>()) x_number = numeric_or_missing(ctx, a, "");
        if (b.is<FigureRef>()) y_number = numeric_or_missing(ctx, b, "");
        const Value& x = x_number ? *x_number : a;
        const Value& y = y_number ? *y_number : b;
        if (x.missing() || y.missing()) return merge_missing(x, y);
        auto eq = values_equal(ctx, x, y);
        if (!eq) return merge_missing(Value(missing_in(x)), Value(missing_in(y)));
        return op == BinaryOp::Eq ? *eq : !*eq;
    }
    Value va = numeric_or_missing(ctx, a, "comparison operand"), vb = numeric_or_missing(ctx, b, "comparison operand");
    if (va.missing() || vb.missing()) return merge_missing(va, vb);
    return compared(op, va.as<Number>(), vb.as<Number>());
}

// `template == "gov-2021"` (and !=, in, not in) holds for gov-2021 and for every
// template based on it (`based-on:` in templates.yaml): a new year's template is
// held to the rules of the one it changes. None when the report's template is
// based on none (then the ids compare as text) or neither side is `template`.
std::optional<Value> compared_as_template(const Context& ctx, const Node& node, const Value& a, const Value& b) {
    const TemplateSchema* t = ctx.model.template_schema;
    if (!t || t->based_on.empty()) return std::nullopt;
    const bool left = program::is_template(node.kids[0]);
    if (!left && !program::is_template(node.kids[1])) return std::nullopt;
    auto names_it = [&](const Value& v) -> std::optional<bool> {
        if (v.is<std::string>()) return t->is(v.as<std::string>());
        if (v.is<TextView>()) return t->is(v.as<TextView>().text);
        return std::nullopt;
    };
    const Value& other = left ? b : a;
    switch (node.binary) {
        case ast::BinaryOp::Eq:
        case ast::BinaryOp::Ne: {
            auto r = names_it(other);
            if (!r) return std::nullopt;
            return Value(node.binary == ast::BinaryOp::Eq ? *r : !*r);
        }
        case ast::BinaryOp::In:
        case ast::BinaryOp::NotIn: {
            if (!left || !other.is<List>()) return std::nullopt;
            bool any = false;
            for (const auto& item : *other.as<List>()) {
                auto r = names_it(item);
                if (!r) return std::nullopt;
                any = any || *r;
            }
            return Value(node.binary == ast::BinaryOp::In ? any : !any);
        }
        default: return std::nullopt;
    }
}

Value binary(Context& ctx, const Node& node) {
    std::optional<Value> a_scratch, b_scratch;
    const Value& a = evaluate_ref(ctx, node.kids[0], a_scratch);
    // A figure is recorded where it is read as a number, which for a comparison
    // is after both sides: the left one is recorded now, so that a finding lists
    // (and is located at) the left side first, as the rule states it.
    if (a.is<FigureRef>()) {
        if (ctx.recording) (void)figure_number(ctx, a.as<FigureRef>().index);
        else ++ctx.recordable_reads;
    }
    const Value& b = evaluate_ref(ctx, node.kids[1], b_scratch);
    switch (node.binary) {
        case ast::BinaryOp::Add:
        case ast::BinaryOp::Sub:
        case ast::BinaryOp::Mul:
        case ast::BinaryOp::Div: {
            if (a.is<Number>() && b.is<Number>()) return arithmetic_value(node.binary, a.as<Number>(), b.as<Number>());
            Value x = numeric_or_missing(ctx, a, "left operand"), y = numeric_or_missing(ctx, b, "right operand");
            if (x.missing() || y.missing()) return merge_missing(x, y);
            return arithmetic_value(node.binary, x.as<Number>(), y.as<Number>());
        }
        default:
            if (auto as_template = compared_as_template(ctx, node, a, b)) return *as_template;
            return compare(ctx, node.binary, a, b);
    }
}

// Kleene logic: false and unknown = false; true or unknown = true.
Value logical(Context& ctx, const Node& node, bool is_and) {
    std::optional<Value> a_scratch, b_scratch;
    const Value& a = evaluate_ref(ctx, node.kids[0], a_scratch);
    if (a.is<bool>() && a.as<bool>() != is_and) return a;
    const Value& b = evaluate_ref(ctx, node.kids[1], b_scratch);
    if (b.is<bool>() && b.as<bool>() != is_and) return b;
    if (a.missing() || b.missing()) return merge_missing(a, b);
    if (!a.is<bool>() || !b.is<bool>()) return missing_value("'and'/'or' need conditions");
    return is_and;
}

}  // namespace

std::optional<std::size_t> resolve_in(Context& ctx, const TableSchema& schema, const Value& name, bool rows) {
    if (name.is<std::string>()) {
        const std::string& key = ctx.normalized(name.as<std::string>());
        return rows ? ctx.row_index(schema, key) : ctx.column_index(schema, key);
    }
    if (name.is<TextView>()) {
        const std::string& key = ctx.normalized(std::string(name.as<TextView>().text));
        return rows ? ctx.row_index(schema, key) : ctx.column_index(schema, key);
    }
    // A row or column of the same table on another template (last year's report,
    // read through previous()): the one here of that id, else of its label or an
    // alias. A template that renames a column keeps its old name as an alias.
    auto named_here = [&](const NamedLabel& there) -> std::optional<std::size_t> {
        const auto index = [&](const std::string& key) { return rows ? ctx.row_index(schema, key) : ctx.column_index(schema, key); };
        if (auto by_id = index(ctx.normalized(there.id))) return by_id;
        for (const auto& key : there.normalized)
            if (auto found = index(key)) return found;
        return std::nullopt;
    };
    if (rows && name.is<RowRef>()) {
        const RowRef& r = name.as<RowRef>();
        if (r.schema == &schema) return r.row;
        return named_here(r.schema->rows[r.row]);
    }
    if (!rows && name.is<ColumnRef>()) {
        const ColumnRef& c = name.as<ColumnRef>();
        if (c.schema == &schema) return c.column;
        return named_here(c.schema->columns[c.column]);
    }
    return std::nullopt;
}

namespace {

// The table a row or column is looked up in, as an error names it: last year's is
// `previous(表三)`, with its report and template, which may lack what this year's has.
std::string table_in(const Context& ctx, const BoundTable* bound, std::string_view id) {
    if (!ctx.from_previous(bound) || !ctx.previous) return std::string(id);
    const std::string& template_id = ctx.previous->metadata.detected.template_id;
    return previous_name(id) + " (" + ctx.previous->document.path +
           (template_id.empty() ? std::string() : ", template " + template_id) + ")";
}

std::string name_of(const Value& v) {
    if (auto t = text_of(v)) return std::string(*t);
    if (v.is<RowRef>()) return v.as<RowRef>().schema->rows[v.as<RowRef>().row].id;
    if (v.is<ColumnRef>()) return v.as<ColumnRef>().schema->columns[v.as<ColumnRef>().column].id;
    return "?";
}

Value row_of(Context& ctx, const TableRef& t, const Value& name) {
    if (!t.schema) return missing_value("no table " + std::string(t.id) + " in the report's template");
    auto r = resolve_in(ctx, *t.schema, name, true);
    if (!r) return missing_value("no row '" + name_of(name) + "' in " + table_in(ctx, t.bound, t.id));
    return RowRef{t.bound, t.schema, *r};
}

Value column_of(Context& ctx, const TableRef& t, const Value& name) {
    if (!t.schema) return missing_value("no table " + std::string(t.id) + " in the report's template");
    auto c = resolve_in(ctx, *t.schema, name, false);
    if (!c) return missing_value("no column '" + name_of(name) + "' in " + table_in(ctx, t.bound, t.id));
    return ColumnRef{t.bound, t.schema, *c};
}

Value cell_of_row(Context& ctx, const RowRef& r, const Value& column) {
    auto c = resolve_in(ctx, *r.schema, column, false);
    if (!c) return missing_value("no column '" + name_of(column) + "' in " + table_in(ctx, r.bound, r.schema->id));
    return cell_value(ctx, r.bound, *r.schema, r.row, *c);
}

Value cell_of_column(Context& ctx, const ColumnRef& c, const Value& row) {
    auto r = resolve_in(ctx, *c.schema, row, true);
    if (!r) return missing_value("no row '" + name_of(row) + "' in " + table_in(ctx, c.bound, c.schema->id));
    return cell_value(ctx, c.bound, *c.schema, *r, c.column);
}

bool element_has_name(Context& ctx, const Value& element, const Value& name) {
    if (auto t = text_of(name)) return names_match(ctx, element, std::string(*t));
    auto eq = values_equal(ctx, element, name);
    return eq && *eq;
}

Value list_index(Context& ctx, const List& list, const Value& index) {
    if (index.is<Number>()) {
        double d = index.as<Number>().value;
        if (d != std::floor(d)) return missing_value("list index is not a whole number");
        auto n = whole_number(d);
        auto size = static_cast<long long>(list->size());
        if (n < 0) n += size;
        if (n < 0 || n >= size) return missing_value("no element " + format_number_value(index.as<Number>()) + " in a list of " + std::to_string(size));
        return (*list)[static_cast<std::size_t>(n)];
    }
    for (const auto& e : *list)
        if (element_has_name(ctx, e, index)) return e;
    return missing_value("no element named '" + name_of(index) + "'");
}

Value index(Context& ctx, const Value& object, const Value& ix) {
    if (object.missing() || ix.missing()) return merge_missing(object, ix);
    if (object.is<TableRef>()) {
        const auto& t = object.as<TableRef>();
        if (ix.is<ColumnRef>()) return column_of(ctx, t, ix);
        return row_of(ctx, t, ix);
    }
    if (object.is<RowRef>()) return cell_of_row(ctx, object.as<RowRef>(), ix);
    if (object.is<ColumnRef>()) return cell_of_column(ctx, object.as<ColumnRef>(), ix);
    if (object.is<List>()) return list_index(ctx, object.as<List>(), ix);
    return missing_value("this value cannot be indexed");
}

// Position of a slice bound in `count` items: numbers are 0-based, half-open at
// the end; names are inclusive at both ends.
struct SliceBounds {
    std::size_t from = 0, to = 0;
    bool ok = true;
};

template <typename NameAt>
SliceBounds slice_bounds(const Value* from, const Value* to, std::size_t count, NameAt name_index) {
    SliceBounds b{0, count, true};
    auto clamp = [&](double d) {
        auto n = whole_number(std::floor(d));
        if (n < 0) n += static_cast<long long>(count);
        return static_cast<std::size_t>(std::clamp<long long>(n, 0, static_cast<long long>(count)));
    };
    if (from) {
        if (from->is<Number>()) {
            b.from = clamp(from->as<Number>().value);
        } else if (auto i = name_index(*from)) {
            b.from = *i;
        } else {
            b.ok = false;
        }
    }
    if (to) {
        if (to->is<Number>()) {
            b.to = clamp(to->as<Number>().value);
        } else if (auto i = name_index(*to)) {
            b.to = *i + 1;
        } else {
            b.ok = false;
        }
    }
    if (b.to < b.from) b.to = b.from;
    return b;
}

}  // namespace

std::optional<std::pair<std::size_t, std::size_t>> cell_slice(Context& ctx, const Value& object, const Value* from,
                                                              const Value* to) {
    const bool rows = object.is<ColumnRef>();
    const TableSchema* schema = rows ? object.as<ColumnRef>().schema : object.as<RowRef>().schema;
    auto b = slice_bounds(from, to, rows ? schema->rows.size() : schema->columns.size(),
                          [&](const Value& name) { return resolve_in(ctx, *schema, name, rows); });
    if (!b.ok) return std::nullopt;
    return std::pair{b.from, b.to};
}

namespace {

// cell_slice() for the slice `node` of a row or column: remembered per node and
// schema when its bounds are constants.
std::optional<std::pair<std::size_t, std::size_t>> node_slice(Context& ctx, const Node& node, const Value& object,
                                                              const Value* from, const Value* to) {
    const bool constant = std::all_of(node.kids.begin() + 1, node.kids.end(),
                                      [](const Node& bound) { return bound.op == Op::Constant; });
    auto* kept = constant ? ctx.slices_by_node.find(node) : nullptr;
    if (!kept) return cell_slice(ctx, object, from, to);
    return ctx.slice_in(*kept, object, from, to);
}

Value slice(Context& ctx, const Node& node) {
    Value object = evaluate(ctx, node.kids[0]);
    std::optional<Value> from_scratch, to_scratch;
    const Value* f = nullptr;
    const Value* t = nullptr;
    std::size_t k = 1;
    if (node.has_from) f = &evaluate_ref(ctx, node.kids[k++], from_scratch);
    if (node.has_to) t = &evaluate_ref(ctx, node.kids[k++], to_scratch);
    if (object.missing()) return object;
    if (f && f->missing()) return *f;
    if (t && t->missing()) return *t;
    std::vector<Value> out;
    if (object.is<List>()) {
        const auto& list = *object.as<List>();
        auto b = slice_bounds(f, t, list.size(), [&](const Value& name) -> std::optional<std::size_t> {
            for (std::size_t i = 0; i < list.size(); ++i)
                if (element_has_name(ctx, list[i], name)) return i;
            return std::nullopt;
        });
        if (!b.ok) return missing_value("slice bound not found in the list");
        out.assign(list.begin() + static_cast<long>(b.from), list.begin() + static_cast<long>(b.to));
        return make_list(std::move(out));
    }
    if (object.is<RowRef>()) {
        const auto& r = object.as<RowRef>();
        auto b = node_slice(ctx, node, object, f, t);
        if (!b) return missing_value("slice bound is not a column of " + r.schema->id);
        out.reserve(b->second - b->first);
        for (std::size_t c = b->first; c < b->second; ++c)
            if (names::row_has_column(*r.schema, r.row, c)) out.push_back(cell_value(ctx, r.bound, *r.schema, r.row, c));
        return make_list(std::move(out));
    }
    if (object.is<ColumnRef>()) {
        const auto& c = object.as<ColumnRef>();
        auto b = node_slice(ctx, node, object, f, t);
        if (!b) return missing_value("slice bound is not a row of " + c.schema->id);
        out.reserve(b->second - b->first);
        for (std::size_t r = b->first; r < b->second; ++r) out.push_back(cell_value(ctx, c.bound, *c.schema, r, c.column));
        return make_list(std::move(out));
    }
    if (object.is<TableRef>()) {
        const auto& tr = object.as<TableRef>();
        if (!tr.schema) return missing_value("no table " + std::string(tr.id) + " in the report's template");
        auto b = slice_bounds(f, t, tr.schema->rows.size(),
                              [&](const Value& name) { return resolve_in(ctx, *tr.schema, name, true); });
        if (!b.ok) return missing_value("slice bound is not a row of " + std::string(tr.id));
        for (std::size_t r = b.from; r < b.to; ++r) out.push_back(RowRef{tr.bound, tr.schema, r});
        return make_list(std::move(out));
    }
    return missing_value("this value cannot be sliced");
}

// The statistics period or the publication date as a finding lists it: its text
// and where the report states it (a sentence of part 一, the signature), which
// is where a finding about it points. Like a section, it has no number.
// `text` is called only when recording: nearly every check records nothing.
template <class Text>
void record_metadata(Context& ctx, const char* path, Text text, SourcePos pos, bool stated) {
    if (!ctx.recording) {
        ++ctx.recordable_reads;
        return;
    }
    CellRef ref;
    ref.path = path;
    ref.numeric = false;
    ref.text = text();
    ref.pos = pos;
    ref.value = gouji::Value::missing_because(stated ? MissingReason::Blank : MissingReason::Absent);
    ctx.record(std::move(ref));
}

Value global(Context& ctx, program::Global g) {
    const auto& m = ctx.model.metadata;
    if (ctx.only_year_and_template && g != program::Global::Year && g != program::Global::Template)
        return missing_value("known from a report only");
    switch (g) {
        case program::Global::Year:
            if (m.year == 0) return missing_value("the report year is unknown");
            return Number::exact(m.year);
        case program::Global::Template:
            if (m.detected.template_id.empty()) return missing_value("no template fits the report");
            return TextView{m.detected.template_id};
        case program::Global::Title: return TextView{m.title};
        case program::Global::Agency: return TextView{m.agency};
        case program::Global::Period:
            record_metadata(ctx, "period", [&] { return m.period.text; }, m.period.pos, m.period.found);
            return PeriodRef{};
        case program::Global::Published:
            if (!m.published) return missing_value("the publication date is unknown");
            record_metadata(
                ctx, "published",
                [&] { return fmt::format("{}年{}月{}日", m.published->year, m.published->month, m.published->day); },
                m.published_pos, true);
            return DateRef{&*m.published};
        // Made once per report: every narrative rule iterates over them.
        case program::Global::Sections:
            return list_once(ctx.all_sections, ctx.model.sections.size(),
                             [&](std::size_t i) { return SectionRef{&ctx.model.sections[i], i}; });
        case program::Global::Figures:
            if (ctx.model.prose_dropped) return missing_value(prose_dropped(ctx));
            return list_once(ctx.all_figures, ctx.model.figures.size(), [](std::size_t i) { return FigureRef{i}; });
        case program::Global::Lists:
            if (ctx.model.prose_dropped) return missing_value(prose_dropped(ctx));
            return list_once(ctx.all_lists, ctx.model.lists.size(), [](std::size_t i) { return FigureListRef{i}; });
    }
    return missing_value("unknown global");
}

// Where node.key is in `schema`'s rows or columns, remembered per node.
std::optional<std::size_t> named_index(Context& ctx, const Node& node, const TableSchema& schema, bool rows) {
    Context::ResolvedName unkept;  // the memo is full: worked out each time
    auto* kept = ctx.names_by_node.find(node);
    return ctx.name_in(kept ? *kept : unkept, schema, rows, node.key);
}

Value named_row(Context& ctx, const Node& node, const Value& object) {
    if (object.missing()) return object;
    if (!object.is<TableRef>()) return missing_value("'." + node.name + "' needs a table");
    const auto& t = object.as<TableRef>();
    if (!t.schema) return missing_value("no table " + std::string(t.id) + " in the report's template");
    auto r = named_index(ctx, node, *t.schema, true);
    if (!r) return missing_value("no row '" + node.name + "' in " + std::string(t.id) + " of the report's template");
    return RowRef{t.bound, t.schema, *r};
}

Value named_cell(Context& ctx, const Node& node, const Value& object) {
    if (object.missing()) return object;
    if (object.is<RowRef>()) {
        const auto& r = object.as<RowRef>();
        auto c = named_index(ctx, node, *r.schema, false);
        if (!c) return missing_value("no column '" + node.name + "' in " + r.schema->id + " of the report's template");
        return cell_value(ctx, r.bound, *r.schema, r.row, *c);
    }
    if (object.is<ColumnRef>()) {
        const auto& c = object.as<ColumnRef>();
        auto r = named_index(ctx, node, *c.schema, true);
        if (!r) return missing_value("no row '" + node.name + "' in " + c.schema->id + " of the report's template");
        return cell_value(ctx, c.bound, *c.schema, *r, c.column);
    }
    return missing_value("'." + node.name + "' needs a row or a column");
}

types::Kind runtime_kind(const Value& v) {
    using types::Kind;
    // By the alternative's index in Value::v (a member is looked up for every read).
    static constexpr Kind kinds[] = {Kind::Any,     Kind::Bool,    Kind::Number,     Kind::String,  Kind::List,
                                     Kind::Table,   Kind::Row,     Kind::Column,     Kind::Section, Kind::Figure,
                                     Kind::FigureList, Kind::Part, Kind::Period,     Kind::Date,    Kind::String};
    static_assert(std::size(kinds) == std::variant_size_v<decltype(v.v)>);
    return kinds[v.v.index()];
}

}  // namespace

Value member_value(Context& ctx, const Node& node, const Value& object) {
    types::Kind kind = runtime_kind(object);
    const program::MemberDef* def = node.member;
    if (!def) def = program::find_member(kind, node.name, node.kids.size() > 1);
    if (def && def->object == kind) return def->get(ctx, object, node);
    if (!node.member && kind == types::Kind::Table) return named_row(ctx, node, object);
    if (!node.member && (kind == types::Kind::Row || kind == types::Kind::Column)) return named_cell(ctx, node, object);
    return missing_value("no member '" + node.name + "' here");
}

const BoundCell* named_bound_cell(Context& ctx, const Node& named) {
    // A let naming the cell: the rule's own (`let: {fee: r[c]}`), or the compiler's
    // (an r[c] written twice in a rule).
    const Node* cell_node = &named;
    while (cell_node->op == Op::Let && ctx.rule && cell_node->slot < ctx.rule->lets.size())
        cell_node = &ctx.rule->lets[cell_node->slot];
    const Node& node = *cell_node;
    if (node.kids.empty()) return nullptr;
    std::optional<Value> object_scratch;
    const Value& object = evaluate_ref(ctx, node.kids[0], object_scratch);
    const bool row = object.is<RowRef>();
    if (!row && !object.is<ColumnRef>()) return nullptr;
    const TableSchema& schema = row ? *object.as<RowRef>().schema : *object.as<ColumnRef>().schema;
    // The other of row and column: named (r.总计), or the index (r[c]).
    std::optional<std::size_t> at;
    if (node.op == Op::NamedCell || node.op == Op::Member) {
        at = named_index(ctx, node, schema, !row);
    } else if (node.op == Op::Index) {
        std::optional<Value> ix_scratch;
        at = resolve_in(ctx, schema, evaluate_ref(ctx, node.kids[1], ix_scratch), !row);
    }
    if (!at) return nullptr;
    return row ? bound_cell(object.as<RowRef>().bound, object.as<RowRef>().row, *at)
               : bound_cell(object.as<ColumnRef>().bound, *at, object.as<ColumnRef>().column);
}

Context::Context(const ReportModel& m, const program::Program& p, const ReportModel* before)
    : model(m), program(p), previous(before), params(p.packs.size()), fast_values(p.fast_value_slots), fast_names(p.fast_name_slots), fast_slices(p.fast_slice_slots), fast_kept(p.fast_kept_slots) {
    for (std::size_t i = 0; i < p.packs.size(); ++i) params[i].resize(p.packs[i].params.size());
}

namespace {

// A figure's CellRef::path is this prefix, then its context (or its text, without one).
constexpr std::string_view figure_path_prefix = "narrative: ";
const std::string& figure_path_key(const Figure& f) { return f.context.empty() ? f.text : f.context; }

}  // namespace

bool Context::has_recorded_figure(const Figure& figure) const {
    // Its path compared without building it.
    const std::string& key = figure_path_key(figure);
    for (const auto& c : cells)
        if (c.path.size() == figure_path_prefix.size() + key.size() && c.path.ends_with(key) &&
            c.path.starts_with(figure_path_prefix))
            return true;
    return false;
}

bool Context::records(const CellRef& ref) const {
    // The same words captured in two places ("申请8件" twice) are two values read.
    const bool placed_apart = ref.path.starts_with(captured_path_prefix);
    return recording && std::none_of(cells.begin(), cells.end(), [&](const CellRef& c) {
               return c.path == ref.path && (!placed_apart || c.pos == ref.pos);
           });
}

namespace {
// A value's text as a finding lists it: a cell may hold a page run together.
std::string listed_text(std::string_view written) {
    return written.size() > max_value_text_chars ? shortened(written, max_value_text_chars) : std::string(written);
}
}  // namespace

void Context::record(CellRef&& ref) {
    if (!records(ref)) return;
    ref.text = listed_text(ref.text);
    cells.push_back(std::move(ref));
}

void Context::record(const CellRef& ref) {
    if (!records(ref)) return;
    cells.push_back(ref);
    cells.back().text = listed_text(ref.text);
}

std::optional<std::size_t> Context::row_index(const TableSchema& schema, const std::string& key) {
    return names_of(schema).row(key);
}

std::optional<std::size_t> Context::column_index(const TableSchema& schema, const std::string& key) {
    return names_of(schema).column(key);
}

const NamedLabel* Context::group(const TableSchema& schema, const std::string& key) {
    auto g = names_of(schema).group(key);
    return g ? &schema.groups[*g] : nullptr;
}

const TableRef& Context::table_of(const program::Node& node) {
    // A thousand nodes name the same few tables: looked up by name, not by node.
    for (const auto& t : tables_)
        if (t.id == node.name) return t;
    return tables_.emplace_back(table(node.name));
}

Context::TableLists& Context::table_lists(const TableSchema& schema, const BoundTable* bound) {
    auto& lists = table_lists_[&schema];
    if (lists.bound != bound) lists = TableLists{bound, nullptr, nullptr, {}, {}};
    return lists;
}

Context::Substitute Context::substitute_for(const CellRef& cell, double number) const {
    Substitute s;
    s.number = number;
    const TableRef audited = table(cell.table);
    const TableSchema* schema = audited.schema;
    if (!schema || cell.row_index >= schema->rows.size() || cell.column_index >= schema->columns.size()) return s;
    s.schema = schema;
    s.bound = audited.bound;
    s.row = cell.row_index;
    s.column = cell.column_index;
    return s;
}

std::optional<TableRef> Context::previous_table(const TableRef& current) {
    // Last year's report is read without its own previous one.
    if (from_previous(current.bound)) return std::nullopt;
    previous_read = true;
    if (previous)
        if (const BoundTable* b = previous->table(current.id); b && b->schema) return TableRef{current.id, b, b->schema};
    // Names resolve in the audited report's schema: a rule names the same rows
    // whichever report it reads.
    auto stand_in = absent_previous_.find(current.id);
    if (stand_in == absent_previous_.end()) {
        BoundTable absent;
        absent.id = std::string(current.id);
        absent.schema = current.schema;
        stand_in = absent_previous_.emplace(absent.id, std::move(absent)).first;
        stand_ins_.push_back(&stand_in->second);
    }
    return TableRef{current.id, &stand_in->second, current.schema};
}

std::optional<std::size_t> Context::name_in(ResolvedName& kept, const TableSchema& schema, bool rows,
                                            const std::string& key) {
    if (kept.schema != &schema || kept.rows != rows)
        kept = {&schema, rows, rows ? row_index(schema, key) : column_index(schema, key)};
    return kept.index;
}

std::optional<std::pair<std::size_t, std::size_t>> Context::slice_in(ResolvedSlice& kept, const Value& object,
                                                                     const Value* from, const Value* to) {
    const bool rows = object.is<ColumnRef>();
    const TableSchema* schema = rows ? object.as<ColumnRef>().schema : object.as<RowRef>().schema;
    if (kept.schema != schema || kept.rows != rows) kept = {schema, rows, cell_slice(*this, object, from, to)};
    return kept.range;
}

bool Context::from_previous(const BoundTable* bound) const {
    if (!bound) return false;
    if (previous && !previous->tables.empty() && bound >= previous->tables.data() &&
        bound < previous->tables.data() + previous->tables.size())
        return true;
    return std::find(stand_ins_.begin(), stand_ins_.end(), bound) != stand_ins_.end();
}

TableRef Context::table(const std::string& id) const {
    TableRef t;
    t.id = id;
    for (const auto& b : model.tables)
        if (b.id == id) {
            t.bound = &b;
            t.schema = b.schema;
            break;
        }
    if (!t.schema && model.template_schema)
        for (const auto& s : model.template_schema->tables)
            if (s.id == id) t.schema = &s;
    return t;
}

namespace {

// "previous(表三)", "previous(other_form)": a table or param of the previous
// report, named as a rule reads it.
constexpr std::string_view previous_open = "previous(", previous_close = ")";
bool is_previous_table_name(std::string_view name, std::string_view id) {
    return name.size() == previous_open.size() + id.size() + previous_close.size() && name.starts_with(previous_open) &&
           name.ends_with(previous_close) && name.substr(previous_open.size(), id.size()) == id;
}

// "表三.本年新收.商业企业" (or "previous(表三).本年新收.商业企业"): the label path of
// the table cell (row, column), into `path`: one allocation and a copy per part
// (every recorded cell has one).
void assign_cell_path(std::string& path, const TableSchema& schema, std::size_t row, std::size_t column,
                      bool from_before) {
    const std::string& r = schema.rows[row].id;
    const std::string& c = schema.columns[column].id;
    const std::size_t table_size = schema.id.size() + (from_before ? previous_open.size() + previous_close.size() : 0);
    path.resize(table_size + r.size() + c.size() + 2);
    char* out = path.data();
    if (from_before) {
        out = std::copy(previous_open.begin(), previous_open.end(), out);
        out = std::copy(schema.id.begin(), schema.id.end(), out);
        out = std::copy(previous_close.begin(), previous_close.end(), out);
    } else {
        out = std::copy(schema.id.begin(), schema.id.end(), out);
    }
    *out++ = '.';
    out = std::copy(r.begin(), r.end(), out);
    *out++ = '.';
    std::copy(c.begin(), c.end(), out);
}
std::string cell_path(const TableSchema& schema, std::size_t row, std::size_t column, bool from_before) {
    std::string path;
    assign_cell_path(path, schema, row, column, from_before);
    return path;
}

// "previous(表三): no report of 样例市 for 2019 was given …", of `read` (表三, a param).
std::string no_previous_report(const Context& ctx, const std::string& read) {
    return previous_name(read) + ": no report of " +
           (ctx.model.metadata.agency.empty() ? std::string("this agency") : ctx.model.metadata.agency) + " for " +
           (ctx.model.metadata.year ? std::to_string(ctx.model.metadata.year - 1) : std::string("the year before")) +
           " was given (name it with --previous)";
}

// Why a cell of the previous report's table has no value at all.
std::string previous_absence(const Context& ctx, const TableSchema& schema) {
    if (!ctx.previous) return no_previous_report(ctx, schema.id);
    return previous_name(schema.id) + ": " + schema.id + " is not in " + ctx.previous->document.path;
}

// The record of the table cell (row, column): what a finding lists of it.
void record_cell(Context& ctx, const BoundCell* cell, const TableSchema& schema, std::size_t row, std::size_t column,
                 bool from_before) {
    const auto& r = schema.rows[row];
    const auto& c = schema.columns[column];
    CellRef& ref = ctx.cells.emplace_back();
    assign_cell_path(ref.path, schema, row, column, from_before);
    if (from_before) {
        if (ctx.previous) ref.file = ctx.previous->document.path;
        ref.table = previous_name(schema.id);
    } else {
        ref.table = schema.id;
    }
    ref.row = r.id;
    ref.column = c.id;
    ref.row_index = row;
    ref.column_index = column;
    if (cell) {
        ref.value = cell->value;
        ref.text = listed_text(cell->text);
        ref.pos = cell->pos;
    } else {
        // No position: the cell is nowhere in the report (a finding about it is
        // located at its table, RuleRunner::location).
        ref.value = gouji::Value::missing_because(MissingReason::Absent);
    }
}

}  // namespace

bool Context::has_recorded_cell(const TableSchema& schema, bool from_before, std::size_t row, std::size_t column) const {
    for (const auto& c : cells)
        if (c.row_index == row && c.column_index == column &&
            (from_before ? is_previous_table_name(c.table, schema.id) : c.table == schema.id))
            return true;
    return false;
}

std::string previous_name(std::string_view id) {
    return std::string(previous_open).append(id).append(previous_close);
}

Value cell_value(Context& ctx, const BoundTable* bound, const TableSchema& schema, std::size_t row, std::size_t column) {
    const BoundCell* cell = bound_cell(bound, row, column);
    // Checks read tens of thousands of cells per report; the label path and the
    // record are built only when someone will read them.
    // Only a rule that reads previous() has such tables to tell apart.
    const bool from_before = ctx.previous_read && ctx.from_previous(bound);
    auto path = [&] { return cell_path(schema, row, column, from_before); };
    if (!ctx.recording) ++ctx.recordable_reads;
    else if (!ctx.has_recorded_cell(schema, from_before, row, column))
        record_cell(ctx, cell, schema, row, column, from_before);
    // Without recording, only whether a value is missing matters (see RuleRunner::check).
    if (!cell) {
        if (!ctx.recording) return Missing{{}, true};
        if (from_before && (!bound || !bound->found)) return Missing{{previous_absence(ctx, schema)}, true};
        return Missing{{!bound || !bound->found ? schema.id + " is not in the document" : path() + " (absent)"}, true};
    }
    const gouji::Value& v = cell->value;
    if (!v.has_number()) {
        // An unplaced cell is not written either: which of its row's cells the document left blank cannot be told.
        const bool absent = v.missing == MissingReason::Absent || v.missing == MissingReason::Unplaced;
        const bool unplaced = v.missing == MissingReason::Unplaced;
        if (!ctx.recording) return Missing{{}, absent, unplaced};
        // What it holds instead, when that is more than a dash or a slash: "80*".
        if (v.missing == MissingReason::Unparseable && !cell->text.empty())
            return Missing{{path() + " (not a number: '" + shortened(cell->text, 40) + "')"}, absent, unplaced};
        return Missing{{path() + " (" + std::string(reason_text(v.missing)) + ")"}, absent, unplaced};
    }
    if (v.approximate) return ctx.recording ? missing_value(path() + " (approximate: '" + cell->text + "')") : Missing{};
    double number = ctx.substitute && ctx.substitute->is(bound, schema, row, column) ? ctx.substitute->number : v.number;
    return written_number(v, number);
}

Context& Context::previous_report() {
    if (!previous_report_) previous_report_ = std::make_unique<Context>(*previous, program);
    return *previous_report_;
}

std::string prose_dropped(const Context& ctx) {
    return "the figures and lists of " + ctx.model.document.path + " are not kept: previous() reads its tables, sections and metadata";
}

Value previous_param(Context& ctx, const Node& param) {
    if (!ctx.previous) return missing_value(no_previous_report(ctx, param.name));
    // Worked out silently, once per report (the previous report's Context keeps
    // it), under a work bound of its own: no finding lists what it read.
    Context& before = ctx.previous_report();
    before.recording = false;
    before.steps = 0;
    Value v = evaluate(before, param);
    if (v.missing())
        return missing_value(previous_name(param.name) + ": not known in " + ctx.previous->document.path);
    return v;
}

Value figure_number(Context& ctx, std::size_t index) {
    const Figure& f = ctx.model.figures[index];
    // As for cells: the record and the texts of missing values are made only when
    // someone will read them (figures are read for every list part of every rule).
    if (!ctx.recording) {
        ++ctx.recordable_reads;
    } else if (!ctx.has_recorded_figure(f)) {
        CellRef& ref = ctx.cells.emplace_back();  // not yet recorded: checked above
        ref.path.reserve(figure_path_prefix.size() + figure_path_key(f).size());
        ref.path.append(figure_path_prefix).append(figure_path_key(f));
        ref.value = f.value;
        ref.text = listed_text(f.text);
        ref.pos = f.pos;
    }
    if (!f.value.has_number()) return ctx.recording ? missing_value("figure '" + f.text + "' has no number") : Missing{};
    if (f.value.rough()) return ctx.recording ? missing_value("figure '" + f.text + "' is approximate") : Missing{};
    return written_number(f.value, f.value.number);
}

namespace {

// The operations whose value is kept somewhere come first in program::Op.
static_assert(Op::Constant < Op::Param && Op::Variable < Op::Param && Op::Let < Op::Param);
bool is_kept(Op op) { return op <= Op::Param; }

// The current pack's param `slot`, evaluated recording (so that its missing
// values say what they lack) into cells of its own.
Context::KeptParam kept_param(Context& ctx, std::uint32_t slot) {
    // Params read no table cell (the compiler says so), so no probe can change
    // them; without the probe's substitute that is plain to see.
    ScopedValue<std::optional<Context::Substitute>> no_probe(ctx.substitute, std::nullopt);
    ScopedValue<std::vector<CellRef>> own_cells(ctx.cells, {});
    ScopedValue<bool> recording(ctx.recording, true);
    const program::CompiledPack& pack = ctx.program.packs[ctx.pack];
    Value v = evaluate_apart(ctx, pack.params[slot], pack.param_variable_count);
    return Context::KeptParam{std::move(v), std::move(ctx.cells), true};
}

// Whether `v` is missing or holds a missing value (in a list, at any depth).
bool holds_missing(const Value& v) {
    if (v.missing()) return true;
    if (const auto* list = std::get_if<List>(&v.v))
        return *list && std::any_of((*list)->begin(), (*list)->end(), [](const Value& e) { return holds_missing(e); });
    return false;
}

// The current pack's param `slot`, worked out by the silent pass: by its plan
// when it has one (engine/eval/fast.hpp), recording nothing. A check that
// records and reads it works it out again, recording (kept_value).
Context::KeptParam silent_param(Context& ctx, std::uint32_t slot) {
    const program::CompiledPack& pack = ctx.program.packs[ctx.pack];
    const fast::ValuePlan* plan = slot < pack.fast_params.size() ? pack.fast_params[slot].get() : nullptr;
    ScopedValue<std::optional<Context::Substitute>> no_probe(ctx.substitute, std::nullopt);  // as kept_param()
    const std::uint64_t reads = ctx.recordable_reads;
    Value v;
    if (!plan) {
        v = evaluate_apart(ctx, pack.params[slot], pack.param_variable_count);
    } else {
        ScopedValue<std::vector<Value>> own_variables(ctx.vars, std::vector<Value>(pack.param_variable_count));
        v = plan->value(ctx);
        if (fast::verifying()) {
            ScopedValue<std::uint64_t> unread(ctx.recordable_reads, ctx.recordable_reads);
            Value general = evaluate(ctx, pack.params[slot]);
            if (general.missing() != v.missing() || to_text(ctx, general) != to_text(ctx, v))
                throw std::logic_error("param '" + pack.param_names[slot] + "' of pack '" + pack.id + "': its plan gives " +
                                       to_text(ctx, v) + ", the general evaluator " + to_text(ctx, general));
        }
    }
    // Nothing read that a recording evaluation would record, and no missing value
    // (whose text only a recording evaluation writes): that evaluation would give
    // the same value and record nothing, so this value stands for it. The lists
    // the narrative rules pick their figures from (case_figures) are such params,
    // and every finding of those rules reads them.
    const bool as_recorded = ctx.recordable_reads == reads && !holds_missing(v);
    if (as_recorded && fast::verifying()) {
        ScopedValue<std::uint64_t> unread(ctx.recordable_reads, ctx.recordable_reads);
        Context::KeptParam recorded = kept_param(ctx, slot);
        if (!recorded.cells.empty() || to_text(ctx, recorded.value) != to_text(ctx, v))
            throw std::logic_error("param '" + pack.param_names[slot] + "' of pack '" + pack.id +
                                   "': worked out silently it read nothing to record, but recording it records " +
                                   std::to_string(recorded.cells.size()) + " values and gives " +
                                   to_text(ctx, recorded.value) + " (silently " + to_text(ctx, v) + ")");
    }
    return Context::KeptParam{std::move(v), {}, as_recorded};
}

// Where the value of a constant, a variable, a let or a param is kept (computing
// a let or param first).
const Value& kept_value(Context& ctx, const Node& node) {
    ctx.count_step();
    switch (node.op) {
        case Op::Constant: return node.constant;
        case Op::Variable: return ctx.vars[node.slot];
        case Op::Let: {
            auto& memo = ctx.lets[node.slot];
            if (!memo) memo = evaluate(ctx, ctx.rule->lets[node.slot]);
            return *memo;
        }
        default: {
            auto& memo = ctx.params[node.param_pack][node.slot];
            if (ctx.recording ? !memo || !memo->recorded : !memo) {
                // A param of a pack the rule's extends reads that pack's params.
                ScopedValue<std::size_t> declared_in(ctx.pack, node.param_pack);
                memo = ctx.recording ? kept_param(ctx, node.slot) : silent_param(ctx, node.slot);
            } else if (!ctx.recording && !(memo->recorded && memo->cells.empty())) {
                ++ctx.recordable_reads;  // read silently once, or recorded with values of its own
            }
            if (ctx.recording)
                for (const auto& cell : memo->cells) ctx.record(cell);
            return memo->value;
        }
    }
}

Value compute(Context& ctx, const Node& node);

// Whether the value of `node` is kept once per report (program::Node::invariant):
// unless it reads table cells and a probe may change one or a recording check
// must record them.
bool keeps_invariant(const Context& ctx, const Node& node) {
    return node.invariant && !(node.reads_cells && (ctx.recording || ctx.substitute));
}

// The kept value of an invariant node, computed on first use. A check that
// records must record what the node reads, so it works the node out again,
// unless that found nothing to record before.
const Value& invariant_value(Context& ctx, const Node& node) {
    auto it = ctx.invariant_values.find(&node);
    if (it != ctx.invariant_values.end() && (!ctx.recording || it->second.records_nothing)) {
        if (!it->second.records_nothing) ++ctx.recordable_reads;  // it may have read something when worked out
        return it->second.value;
    }
    Context::KeptInvariant kept;
    if (ctx.recording) {
        std::vector<CellRef> read;
        {
            ScopedValue<std::vector<CellRef>> own_cells(ctx.cells, {});
            kept.value = compute(ctx, node);
            read = std::move(ctx.cells);
        }
        kept.records_nothing = read.empty();
        for (auto& cell : read) ctx.record(std::move(cell));
    } else {
        kept.value = compute(ctx, node);
    }
    return ctx.invariant_values.insert_or_assign(&node, std::move(kept)).first->second.value;
}

}  // namespace

const Value& evaluate_ref(Context& ctx, const Node& node, std::optional<Value>& scratch) {
    if (is_kept(node.op)) return kept_value(ctx, node);
    ctx.count_step();
    if (keeps_invariant(ctx, node)) return invariant_value(ctx, node);
    return scratch.emplace(compute(ctx, node));
}

Value evaluate_apart(Context& ctx, const Node& node, std::uint32_t variable_count) {
    ScopedValue<std::vector<Value>> own_variables(ctx.vars, std::vector<Value>(variable_count));
    return evaluate(ctx, node);
}

Value evaluate(Context& ctx, const Node& node) {
    if (is_kept(node.op)) return kept_value(ctx, node);
    ctx.count_step();
    if (keeps_invariant(ctx, node)) return invariant_value(ctx, node);
    return compute(ctx, node);
}

namespace {

// The value of an operation that is not kept (is_kept), computed (its step counted by the caller).
Value compute(Context& ctx, const Node& node) {
    switch (node.op) {
        case Op::Constant:
        case Op::Variable:
        case Op::Let:
        case Op::Param: break;  // evaluate() and evaluate_ref() read them where they are kept
        case Op::Global: return global(ctx, node.global);
        case Op::Table: return ctx.table_of(node);
        case Op::Member: {
            std::optional<Value> scratch;
            const Value& object = evaluate_ref(ctx, node.kids[0], scratch);
            if (object.missing()) return object;
            return member_value(ctx, node, object);
        }
        case Op::NamedRow: {
            std::optional<Value> scratch;
            return named_row(ctx, node, evaluate_ref(ctx, node.kids[0], scratch));
        }
        case Op::NamedCell: {
            std::optional<Value> scratch;
            return named_cell(ctx, node, evaluate_ref(ctx, node.kids[0], scratch));
        }
        case Op::Index: {
            std::optional<Value> object_scratch, ix_scratch;
            const Value& object = evaluate_ref(ctx, node.kids[0], object_scratch);
            const Value& ix = evaluate_ref(ctx, node.kids[1], ix_scratch);
            return index(ctx, object, ix);
        }
        case Op::Slice: return slice(ctx, node);
        case Op::Call: return node.function->eval(ctx, node);
        case Op::Negate: {
            std::optional<Value> scratch;
            Value v = numeric_or_missing(ctx, evaluate_ref(ctx, node.kids[0], scratch), "operand of '-'");
            if (v.missing()) return v;
            return negate(v.as<Number>());
        }
        case Op::Not: {
            std::optional<Value> scratch;
            const Value& v = evaluate_ref(ctx, node.kids[0], scratch);
            if (v.is<bool>()) return !v.as<bool>();
            if (v.missing()) return v;
            return missing_value("'not' needs a condition");
        }
        case Op::Binary: return binary(ctx, node);
        case Op::And: return logical(ctx, node, true);
        case Op::Or: return logical(ctx, node, false);
        case Op::If: {
            std::optional<Value> scratch;
            const Value& c = evaluate_ref(ctx, node.kids[0], scratch);
            if (c.missing()) return c;
            if (!c.is<bool>()) return missing_value("'if' needs a condition");
            return evaluate(ctx, node.kids[c.as<bool>() ? 1 : 2]);
        }
        case Op::ListLiteral: {
            std::vector<Value> items;
            items.reserve(node.kids.size());
            for (const auto& k : node.kids) items.push_back(evaluate(ctx, k));
            return make_list(std::move(items));
        }
    }
    return missing_value("unknown operation");
}

}  // namespace

std::string describe_missing(const Missing& m) {
    // Cells missing for one reason are named together, the reason once: the seven
    // cells of a row that could not be placed, not seven times "(not placed: …)".
    auto reason_of = [](std::string_view w) -> std::string_view {
        const std::size_t open = w.rfind(" (");
        return open != std::string_view::npos && w.ends_with(')') ? w.substr(open) : std::string_view();
    };
    std::string out;
    for (std::size_t i = 0; i < m.what.size(); ++i) {
        const std::string_view w = m.what[i];
        const std::string_view reason = reason_of(w);
        const bool grouped = i > 0 && !reason.empty() && reason == reason_of(m.what[i - 1]);
        const bool group_goes_on = i + 1 < m.what.size() && !reason.empty() && reason == reason_of(m.what[i + 1]);
        if (!out.empty()) out += grouped ? ", " : "; ";
        out += group_goes_on ? w.substr(0, w.size() - reason.size()) : w;
    }
    return out.empty() ? "a value is missing" : out;
}

std::string to_text(const Context& ctx, const Value& v) {
    struct Text {
        const Context& ctx;
        std::string operator()(const Missing&) const { return "—"; }
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(const Number& n) const { return format_number_value(n); }
        std::string operator()(const std::string& s) const { return s; }
        std::string operator()(const TextView& s) const { return std::string(s.text); }
        std::string operator()(const List& l) const {
            std::string out = "[";
            for (std::size_t i = 0; i < l->size(); ++i) out += (i ? ", " : "") + to_text(ctx, (*l)[i]);
            return out + "]";
        }
        std::string operator()(const TableRef& t) const {
            return ctx.from_previous(t.bound) ? previous_name(t.id) : std::string(t.id);
        }
        std::string operator()(const RowRef& r) const { return r.schema->rows[r.row].id; }
        std::string operator()(const ColumnRef& c) const { return c.schema->columns[c.column].id; }
        std::string operator()(const SectionRef& s) const { return s.section->title; }
        std::string operator()(const FigureRef& f) const { return ctx.model.figures[f.index].text; }
        std::string operator()(const FigureListRef& l) const { return ctx.model.lists[l.index].text; }
        std::string operator()(const PartRef& p) const { return ctx.model.lists[p.list].parts[p.part].label; }
        std::string operator()(const PeriodRef&) const { return ctx.model.metadata.period.text; }
        std::string operator()(const DateRef& d) const {
            return std::to_string(d.date->year) + "-" + std::to_string(d.date->month) + "-" + std::to_string(d.date->day);
        }
    };
    return std::visit(Text{ctx}, v.v);
}

}  // namespace gouji::eval
