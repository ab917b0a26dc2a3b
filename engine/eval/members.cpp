// Members of the model's objects (表三.rows, r.label, s.text, l.parts, …): one
// table entry each. A table's other members name rows, a row's name columns and
// a column's name rows; those are resolved by the checker, not listed here.
#include <algorithm>

#include "engine/eval/builtins.hpp"
#include "engine/eval/context.hpp"
#include "gouji/text.hpp"
#include "rules/names.hpp"

namespace gouji::program {

namespace {

using eval::Context;
using eval::List;
using eval::Number;
using eval::Value;
using types::Kind;
using types::Type;

Type fixed(Kind k) { return Type::of(k); }

// Text of the model, not copied (eval::TextView).
Value text(const std::string& s) { return eval::TextView{s}; }

Value text_or_missing(const std::string& s, const char* what) {
    if (s.empty()) return eval::missing_value(what);
    return text(s);
}

Value count_or_missing(double n, const char* what) {
    if (n == 0) return eval::missing_value(what);
    return Number::exact(n);
}

// ---- tables, rows, columns ---------------------------------------------------------

const TableSchema* schema_of(const Value& v) {
    if (v.is<eval::TableRef>()) return v.as<eval::TableRef>().schema;
    if (v.is<eval::RowRef>()) return v.as<eval::RowRef>().schema;
    if (v.is<eval::ColumnRef>()) return v.as<eval::ColumnRef>().schema;
    return nullptr;
}

Value no_schema(const Value& v) {
    return eval::missing_value("no table " + (v.is<eval::TableRef>() ? std::string(v.as<eval::TableRef>().id) : std::string()) +
                               " in the report's template");
}

Value table_rows(Context& ctx, const Value& v, const Node&) {
    const auto& t = v.as<eval::TableRef>();
    if (!t.schema) return no_schema(v);
    return eval::list_once(ctx.table_lists(*t.schema, t.bound).rows, t.schema->rows.size(),
                           [&](std::size_t r) { return eval::RowRef{t.bound, t.schema, r}; });
}

Value table_columns(Context& ctx, const Value& v, const Node&) {
    const auto& t = v.as<eval::TableRef>();
    if (!t.schema) return no_schema(v);
    return eval::list_once(ctx.table_lists(*t.schema, t.bound).columns, t.schema->columns.size(),
                           [&](std::size_t c) { return eval::ColumnRef{t.bound, t.schema, c}; });
}

Value string_arg(Context& ctx, const Node& node, std::size_t i) { return eval::evaluate(ctx, node.kids[i]); }

// The rows whose group is `text` (an id, label or alias of a group, or a group
// no schema entry names), in schema order.
Value rows_of_group(Context& ctx, const eval::TableRef& t, const std::string& text) {
    const std::string key = ctx.normalized(text);
    const NamedLabel* g = ctx.group(*t.schema, key);
    const std::string group_key = g ? ctx.normalized(g->id) : key;
    std::vector<Value> out;
    for (std::size_t r = 0; r < t.schema->rows.size(); ++r)
        if (!t.schema->rows[r].group.empty() && ctx.normalized(t.schema->rows[r].group) == group_key)
            out.push_back(eval::RowRef{t.bound, t.schema, r});
    if (!g && out.empty()) return eval::missing_value("no row group '" + text + "' in " + std::string(t.id));
    return eval::make_list(std::move(out));
}

Value table_group(Context& ctx, const Value& v, const Node& node) {
    const auto& t = v.as<eval::TableRef>();
    if (!t.schema) return no_schema(v);
    Value name = string_arg(ctx, node, 1);
    if (!eval::is_text(name)) return name.missing() ? name : eval::missing_value("group needs a name");
    const std::string text(*eval::text_of(name));
    auto& groups = ctx.table_lists(*t.schema, t.bound).groups;
    if (auto known = groups.find(text); known != groups.end()) return known->second;
    return groups.emplace(text, rows_of_group(ctx, t, text)).first->second;
}

Value table_row(Context& ctx, const Value& v, const Node& node) {
    const auto& t = v.as<eval::TableRef>();
    if (!t.schema) return no_schema(v);
    Value name = string_arg(ctx, node, 1);
    if (!eval::is_text(name)) return name.missing() ? name : eval::missing_value("row needs a name");
    const std::string text(*eval::text_of(name));
    auto r = ctx.row_index(*t.schema, ctx.normalized(text));
    if (!r) return eval::missing_value("no row '" + text + "' in " + std::string(t.id));
    return eval::RowRef{t.bound, t.schema, *r};
}

Value table_column(Context& ctx, const Value& v, const Node& node) {
    const auto& t = v.as<eval::TableRef>();
    if (!t.schema) return no_schema(v);
    Value name = string_arg(ctx, node, 1);
    if (!eval::is_text(name)) return name.missing() ? name : eval::missing_value("column needs a name");
    const std::string text(*eval::text_of(name));
    auto c = ctx.column_index(*t.schema, ctx.normalized(text));
    if (!c) return eval::missing_value("no column '" + text + "' in " + std::string(t.id));
    return eval::ColumnRef{t.bound, t.schema, *c};
}

Value row_cells(Context& ctx, const Value& v, const Node&) {
    const auto& r = v.as<eval::RowRef>();
    std::vector<Value> out;
    for (std::size_t c : names::row_columns(*r.schema, r.row))
        out.push_back(eval::cell_value(ctx, r.bound, *r.schema, r.row, c));
    return eval::make_list(std::move(out));
}

Value row_columns(Context& ctx, const Value& v, const Node&) {
    const auto& r = v.as<eval::RowRef>();
    auto& lists = ctx.table_lists(*r.schema, r.bound).row_columns;
    lists.resize(r.schema->rows.size());
    List& slot = lists[r.row];
    if (!slot) {
        const std::vector<std::size_t> columns = names::row_columns(*r.schema, r.row);
        std::vector<Value> out;
        out.reserve(columns.size());
        for (std::size_t c : columns) out.push_back(eval::ColumnRef{r.bound, r.schema, c});
        slot = eval::make_list(std::move(out));
    }
    return slot;
}

Value column_cells(Context& ctx, const Value& v, const Node&) {
    const auto& c = v.as<eval::ColumnRef>();
    std::vector<Value> out;
    for (std::size_t r = 0; r < c.schema->rows.size(); ++r)
        if (names::row_has_column(*c.schema, r, c.column))
            out.push_back(eval::cell_value(ctx, c.bound, *c.schema, r, c.column));
    return eval::make_list(std::move(out));
}

const NamedLabel& label_of(const Value& v) {
    if (v.is<eval::RowRef>()) return v.as<eval::RowRef>().schema->rows[v.as<eval::RowRef>().row];
    if (v.is<eval::ColumnRef>()) return v.as<eval::ColumnRef>().schema->columns[v.as<eval::ColumnRef>().column];
    return *v.as<eval::TableRef>().schema;
}

const BoundCell* first_cell(const BoundTable& t, bool (*wanted)(const BoundCell&)) {
    for (const auto& row : t.cells)
        for (const auto& cell : row)
            if (cell && wanted(*cell)) return &*cell;
    return nullptr;
}

// What a finding of a table member read, recorded as the cell that shows it (the
// first "/" of a numberless table, the first blank read as 0): the finding is at that
// cell, with its text. Only when the member says something of the table: a table
// with numbers, or without blanks, has no one cell to show for it, and every rule
// that compares numbers reads `numberless` in its `when`: recorded, it would be where
// their findings are.
void record_table_member(Context& ctx, const eval::TableRef& t, const char* member, const BoundCell& shown,
                         std::optional<gouji::Value> value = std::nullopt) {
    const bool from_before = ctx.from_previous(t.bound);
    CellRef ref;
    ref.table = from_before ? eval::previous_name(std::string(t.id)) : std::string(t.id);
    ref.path = ref.table + "." + member;
    ref.numeric = false;
    if (from_before && ctx.previous) ref.file = ctx.previous->document.path;
    ref.row = shown.row;
    ref.column = shown.column;
    ref.value = value ? *value : shown.value;
    ref.text = shown.text;
    ref.pos = shown.pos;
    ctx.record(std::move(ref));
}

Value table_numberless(Context& ctx, const Value& v, const Node&) {
    const auto& t = v.as<eval::TableRef>();
    const bool numberless = t.bound != nullptr && t.bound->numberless();
    if (!ctx.recording) {
        ++ctx.recordable_reads;
    } else if (numberless) {
        // There is one: the table is numberless.
        record_table_member(ctx, t, "numberless", *first_cell(*t.bound, [](const BoundCell& c) {
            return c.value.missing != MissingReason::Absent;
        }));
    }
    return numberless;
}

Value table_blanks_read_as_zero(Context& ctx, const Value& v, const Node&) {
    const auto& t = v.as<eval::TableRef>();
    const std::size_t n = t.bound != nullptr ? t.bound->blanks_read_as_zero() : 0;
    if (!ctx.recording) {
        ++ctx.recordable_reads;
    } else if (n > 0) {
        // The count, at the first blank.
        record_table_member(ctx, t, "blanks_read_as_zero",
                            *first_cell(*t.bound, [](const BoundCell& c) { return c.blank_read_as_zero; }),
                            gouji::Value::of(static_cast<double>(n)));
    }
    return Number::exact(static_cast<double>(n));
}

Value id_of(Context&, const Value& v, const Node&) {
    if (v.is<eval::TableRef>()) return eval::TextView{v.as<eval::TableRef>().id};
    return text(label_of(v).id);
}

Value label_member(Context&, const Value& v, const Node&) {
    if (!schema_of(v)) return no_schema(v);
    return text(label_of(v).label);
}

// A row's or a column's aliases as its template declares them: the further words
// reports use for it, which a rule may look for in the prose (NARR-T3-REASON reads a
// reason of 表三 by its row's id and aliases).
Value aliases_member(Context&, const Value& v, const Node&) {
    if (!schema_of(v)) return no_schema(v);
    std::vector<Value> out;
    for (const auto& a : label_of(v).aliases) out.push_back(text(a));
    return eval::make_list(std::move(out));
}

// ---- sections ----------------------------------------------------------------------

const Section& section_of(const Value& v) { return *v.as<eval::SectionRef>().section; }

Value section_figures(Context& ctx, const Value& v, const Node&) {
    const auto& ref = v.as<eval::SectionRef>();
    if (ctx.model.prose_dropped) return eval::missing_value(eval::prose_dropped(ctx));
    const Section& s = *ref.section;
    bool top = ref.top_index < ctx.model.sections.size() && &ctx.model.sections[ref.top_index] == &s;
    std::vector<Value> out;
    for (std::size_t i = 0; i < ctx.model.figures.size(); ++i) {
        const Figure& f = ctx.model.figures[i];
        if (f.section != ref.top_index) continue;
        if (!top && (f.pos.line < s.first_line || f.pos.line > s.last_line)) continue;
        out.push_back(eval::FigureRef{i});
    }
    return eval::make_list(std::move(out));
}

Value section_children(Context&, const Value& v, const Node&) {
    const auto& ref = v.as<eval::SectionRef>();
    std::vector<Value> out;
    for (const auto& c : ref.section->children) out.push_back(eval::SectionRef{&c, ref.top_index});
    return eval::make_list(std::move(out));
}

// ---- narrative -----------------------------------------------------------------------

const Figure& figure_of(Context& ctx, const Value& v) { return ctx.model.figures[v.as<eval::FigureRef>().index]; }
const FigureList& list_of(Context& ctx, const Value& v) { return ctx.model.lists[v.as<eval::FigureListRef>().index]; }
const FigureList::Part& part_of(Context& ctx, const Value& v) {
    const auto& p = v.as<eval::PartRef>();
    return ctx.model.lists[p.list].parts[p.part];
}

Value figure_ref(Context& ctx, std::optional<std::size_t> index, const char* what) {
    if (!index || *index >= ctx.model.figures.size()) return eval::missing_value(what);
    return eval::FigureRef{*index};
}

Value date_part(const Value& v, int Date::*field, const char* what) {
    int n = v.as<eval::DateRef>().date->*field;
    return count_or_missing(n, what);
}

// Whether the date is on the calendar: a report may write "12月32日" or "2月30日",
// which the model keeps as written.
Value date_valid(const Value& v) {
    const Date& d = *v.as<eval::DateRef>().date;
    if (!d.year || !d.month || !d.day) return eval::missing_value(!d.day ? "the date has no day" : "the date has no month");
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
    const int in_month = days[d.month - 1] + (d.month == 2 && leap ? 1 : 0);
    return d.day >= 1 && d.day <= in_month;
}

Value period_date(Context& ctx, bool start) {
    const auto& p = ctx.model.metadata.period;
    if (!p.parsed) return eval::missing_value(p.found ? "the statistics period could not be read" : "no statistics period found");
    return eval::DateRef{start ? &p.start : &p.end};
}

// ---- typing ----------------------------------------------------------------------------

Type same_table(const Type& object, Kind k) { return Type::table_type(k, object.table); }

Type string_arg_type(const std::vector<Type>& args, ArgumentError& error) {
    if (!args.empty() && !types::is_text(args[0]) && error.empty())
        error = {0, "must be a name (text), not " + types::describe(args[0])};
    return {};
}

// clang-format off
const MemberDef members[] = {
    {Kind::Table, "rows", false, 0, [](const Type& o, const std::vector<Type>&, ArgumentError&) { return Type::list_of(same_table(o, Kind::Row)); }, table_rows},
    {Kind::Table, "columns", false, 0, [](const Type& o, const std::vector<Type>&, ArgumentError&) { return Type::list_of(same_table(o, Kind::Column)); }, table_columns},
    {Kind::Table, "id", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::String); }, id_of},
    {Kind::Table, "label", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::String); }, label_member},
    {Kind::Table, "found", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::Bool); },
        [](Context&, const Value& v, const Node&) -> Value { const auto* b = v.as<eval::TableRef>().bound; return b != nullptr && b->found; }},
    {Kind::Table, "numberless", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::Bool); }, table_numberless},
    {Kind::Table, "blanks_read_as_zero", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::Number); }, table_blanks_read_as_zero},
    {Kind::Table, "group", true, 1, [](const Type& o, const std::vector<Type>& a, ArgumentError& e) { string_arg_type(a, e); return Type::list_of(same_table(o, Kind::Row)); }, table_group},
    {Kind::Table, "row", true, 1, [](const Type& o, const std::vector<Type>& a, ArgumentError& e) { string_arg_type(a, e); return same_table(o, Kind::Row); }, table_row},
    {Kind::Table, "column", true, 1, [](const Type& o, const std::vector<Type>& a, ArgumentError& e) { string_arg_type(a, e); return same_table(o, Kind::Column); }, table_column},

    {Kind::Row, "id", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::String); }, id_of},
    {Kind::Row, "label", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::String); }, label_member},
    {Kind::Row, "aliases", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return Type::list_of(fixed(Kind::String)); }, aliases_member},
    {Kind::Row, "group", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::String); },
        [](Context&, const Value& v, const Node&) -> Value { const auto& r = v.as<eval::RowRef>(); return text(r.schema->rows[r.row].group); }},
    {Kind::Row, "cells", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return Type::list_of(fixed(Kind::Number)); }, row_cells},
    {Kind::Row, "columns", false, 0, [](const Type& o, const std::vector<Type>&, ArgumentError&) { return Type::list_of(same_table(o, Kind::Column)); }, row_columns},

    {Kind::Column, "id", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::String); }, id_of},
    {Kind::Column, "label", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::String); }, label_member},
    {Kind::Column, "aliases", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return Type::list_of(fixed(Kind::String)); }, aliases_member},
    {Kind::Column, "unit", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::String); },
        [](Context&, const Value& v, const Node&) -> Value { const auto& c = v.as<eval::ColumnRef>(); return text(c.schema->columns[c.column].unit); }},
    {Kind::Column, "cells", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return Type::list_of(fixed(Kind::Number)); }, column_cells},

    {Kind::Section, "title", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::String); },
        [](Context&, const Value& v, const Node&) -> Value { return text(section_of(v).title); }},
    {Kind::Section, "text", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::String); },
        [](Context&, const Value& v, const Node&) -> Value { return text(section_of(v).text); }},
    {Kind::Section, "canonical", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::String); },
        [](Context&, const Value& v, const Node&) -> Value { return text_or_missing(section_of(v).canonical, "the section matches no template section"); }},
    {Kind::Section, "number", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::Number); },
        [](Context&, const Value& v, const Node&) -> Value { return count_or_missing(section_of(v).template_number, "the section matches no template section"); }},
    {Kind::Section, "index", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::Number); },
        [](Context&, const Value& v, const Node&) -> Value { return Number::exact(static_cast<double>(v.as<eval::SectionRef>().top_index + 1)); }},
    {Kind::Section, "level", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::Number); },
        [](Context&, const Value& v, const Node&) -> Value { return Number::exact(section_of(v).level); }},
    {Kind::Section, "empty", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::Bool); },
        [](Context&, const Value& v, const Node&) -> Value { const auto& s = section_of(v); return trim_view(s.text).empty() && s.children.empty(); }},
    {Kind::Section, "figures", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return Type::list_of(fixed(Kind::Figure)); }, section_figures},
    {Kind::Section, "children", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return Type::list_of(fixed(Kind::Section)); }, section_children},

    {Kind::Figure, "value", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::Number); },
        [](Context& ctx, const Value& v, const Node&) -> Value { return eval::figure_number(ctx, v.as<eval::FigureRef>().index); }},
    {Kind::Figure, "unit", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::String); },
        [](Context& ctx, const Value& v, const Node&) -> Value { return text(figure_of(ctx, v).value.unit); }},
    {Kind::Figure, "context", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::String); },
        [](Context& ctx, const Value& v, const Node&) -> Value { return text(figure_of(ctx, v).context); }},
    {Kind::Figure, "after", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::String); },
        [](Context& ctx, const Value& v, const Node&) -> Value { return text(figure_of(ctx, v).after); }},
    {Kind::Figure, "text", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::String); },
        [](Context& ctx, const Value& v, const Node&) -> Value { return text(figure_of(ctx, v).text); }},
    {Kind::Figure, "approximate", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::Bool); },
        [](Context& ctx, const Value& v, const Node&) -> Value { return figure_of(ctx, v).value.approximate; }},
    {Kind::Figure, "sentence", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::Number); },
        [](Context& ctx, const Value& v, const Node&) -> Value { return Number::exact(static_cast<double>(figure_of(ctx, v).sentence)); }},
    {Kind::Figure, "year", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::Number); },
        [](Context& ctx, const Value& v, const Node&) -> Value { return Number::exact(figure_of(ctx, v).year); }},
    {Kind::Figure, "section", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::Section); },
        [](Context& ctx, const Value& v, const Node&) -> Value {
            std::size_t s = figure_of(ctx, v).section;
            if (s >= ctx.model.sections.size()) return eval::missing_value("the figure is in no section");
            return eval::SectionRef{&ctx.model.sections[s], s}; }},

    {Kind::FigureList, "total", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::Figure); },
        [](Context& ctx, const Value& v, const Node&) -> Value { return figure_ref(ctx, list_of(ctx, v).total, "the list states no total"); }},
    {Kind::FigureList, "other_totals", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return Type::list_of(fixed(Kind::Figure)); },
        [](Context& ctx, const Value& v, const Node&) -> Value {
            std::vector<Value> out;
            for (std::size_t f : list_of(ctx, v).other_totals) out.push_back(eval::FigureRef{f});
            return eval::make_list(std::move(out)); }},
    {Kind::FigureList, "parts", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return Type::list_of(fixed(Kind::Part)); },
        [](Context& ctx, const Value& v, const Node&) -> Value {
            std::size_t l = v.as<eval::FigureListRef>().index;
            // Made once per report: the list rules read a list's parts several times per check.
            if (ctx.parts_of_lists.size() != ctx.model.lists.size()) ctx.parts_of_lists.resize(ctx.model.lists.size());
            auto& parts = ctx.parts_of_lists[l];
            if (!parts) {
                std::vector<Value> out;
                out.reserve(ctx.model.lists[l].parts.size());
                for (std::size_t p = 0; p < ctx.model.lists[l].parts.size(); ++p) out.push_back(eval::PartRef{l, p});
                parts = eval::make_list(std::move(out));
            }
            return parts; }},
    {Kind::FigureList, "partial", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::Bool); },
        [](Context& ctx, const Value& v, const Node&) -> Value { return list_of(ctx, v).partial; }},
    {Kind::FigureList, "text", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::String); },
        [](Context& ctx, const Value& v, const Node&) -> Value { return text(list_of(ctx, v).text); }},

    {Kind::Part, "count", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::Figure); },
        [](Context& ctx, const Value& v, const Node&) -> Value { return figure_ref(ctx, part_of(ctx, v).count, "the part states no count"); }},
    {Kind::Part, "percent", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::Figure); },
        [](Context& ctx, const Value& v, const Node&) -> Value { return figure_ref(ctx, part_of(ctx, v).percent, "the part states no percentage"); }},
    {Kind::Part, "label", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::String); },
        [](Context& ctx, const Value& v, const Node&) -> Value { return text(part_of(ctx, v).label); }},

    {Kind::Period, "found", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::Bool); },
        [](Context& ctx, const Value&, const Node&) -> Value { return ctx.model.metadata.period.found; }},
    {Kind::Period, "parsed", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::Bool); },
        [](Context& ctx, const Value&, const Node&) -> Value { return ctx.model.metadata.period.parsed; }},
    {Kind::Period, "text", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::String); },
        [](Context& ctx, const Value&, const Node&) -> Value { return text(ctx.model.metadata.period.text); }},
    {Kind::Period, "start", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::Date); },
        [](Context& ctx, const Value&, const Node&) -> Value { return period_date(ctx, true); }},
    {Kind::Period, "end", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::Date); },
        [](Context& ctx, const Value&, const Node&) -> Value { return period_date(ctx, false); }},

    {Kind::Date, "year", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::Number); },
        [](Context&, const Value& v, const Node&) -> Value { return date_part(v, &Date::year, "the date has no year"); }},
    {Kind::Date, "month", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::Number); },
        [](Context&, const Value& v, const Node&) -> Value { return date_part(v, &Date::month, "the date has no month"); }},
    {Kind::Date, "day", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::Number); },
        [](Context&, const Value& v, const Node&) -> Value { return date_part(v, &Date::day, "the date has no day"); }},
    {Kind::Date, "valid", false, 0, [](const Type&, const std::vector<Type>&, ArgumentError&) { return fixed(Kind::Bool); },
        [](Context&, const Value& v, const Node&) -> Value { return date_valid(v); }},
};
// clang-format on

}  // namespace

const MemberDef* find_member(types::Kind object, std::string_view name, bool method) {
    for (const auto& m : members)
        if (m.object == object && m.name == name && m.method == method) return &m;
    return nullptr;
}

std::vector<std::string> member_names(types::Kind object) {
    std::vector<std::string> out;
    for (const auto& m : members)
        if (m.object == object) out.emplace_back(m.name);
    return out;
}

}  // namespace gouji::program
