// Run-time values of the rule language. A value is either missing (the check
// becomes not assessable), a condition, a number with the interval its written
// precision stands for, a string, a list, or a reference into the report model.
// References point into the ReportModel being evaluated and never outlive it.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "gouji/report_model.hpp"
#include "grammar/ast.hpp"

namespace gouji::eval {

// No value: a blank or absent cell, a section that is not there, a division by
// zero… `what` says which, for the not-assessable finding.
struct Missing {
    std::vector<std::string> what;
    bool absent = false;  // a cell the document does not have at all (not merely blank)
    bool unplaced = false;  // a cell of a row whose numbers could not be placed in its columns
};

// A number as written keeps its precision: 12.9 stands for [12.85, 12.95]
// (XBRL Calculations 1.1). Integers are exact. Arithmetic carries the interval
// (interval arithmetic), which `~=` compares.
// Half a unit in the last of `decimals` written digits (0.05 for one).
double half_unit(int decimals);

struct Number {
    double value = 0;
    double lo = 0, hi = 0;
    int decimals = 0;  // written decimals; -1 for a computed value with no written precision

    static Number exact(double v, int decimals = 0) { return Number{v, v, v, decimals}; }
    // A value written with `decimals` digits after the point.
    static Number written(double v, int decimals) {
        if (decimals <= 0) return exact(v, decimals);
        const double h = half_unit(decimals);
        return Number{v, v - h, v + h, decimals};
    }
    // A percentage as written: "5%" stands for [4.5, 5.5] even without decimals,
    // since percentages are rounded by whoever wrote them.
    static Number written_percent(double v, int decimals);
};

struct TableRef {
    std::string_view id;  // the rule's spelling (program::Node::name), which outlives the evaluation
    const BoundTable* bound = nullptr;  // null when the document has no such table
    const TableSchema* schema = nullptr;
};
struct RowRef {
    const BoundTable* bound = nullptr;
    const TableSchema* schema = nullptr;
    std::size_t row = 0;
};
struct ColumnRef {
    const BoundTable* bound = nullptr;
    const TableSchema* schema = nullptr;
    std::size_t column = 0;
};
struct SectionRef {
    const Section* section = nullptr;
    std::size_t top_index = 0;  // index of its top-level section in model.sections
};
struct FigureRef {
    std::size_t index = 0;  // into model.figures
};
struct FigureListRef {
    std::size_t index = 0;  // into model.lists
};
struct PartRef {
    std::size_t list = 0, part = 0;
};
struct PeriodRef {};
struct DateRef {
    const Date* date = nullptr;
};

// Text of the report model or of the rules, not copied: both outlive the
// evaluation. Everywhere a string is read, a TextView reads the same (text_of).
struct TextView {
    std::string_view text;
};

struct Value;
using List = std::shared_ptr<const std::vector<Value>>;

struct Value {
    std::variant<Missing, bool, Number, std::string, List, TableRef, RowRef, ColumnRef, SectionRef, FigureRef,
                 FigureListRef, PartRef, PeriodRef, DateRef, TextView>
        v;

    Value() = default;
    template <typename T>
        requires(!std::is_same_v<std::decay_t<T>, Value>)
    Value(T x) : v(std::move(x)) {}

    template <typename T>
    bool is() const { return std::holds_alternative<T>(v); }
    template <typename T>
    const T& as() const { return std::get<T>(v); }
    bool missing() const { return is<Missing>(); }
};

// The text of a string value, whether it owns its characters or views them;
// nullopt for any other value.
inline std::optional<std::string_view> text_of(const Value& v) {
    if (const auto* s = std::get_if<std::string>(&v.v)) return std::string_view(*s);
    if (const auto* t = std::get_if<TextView>(&v.v)) return t->text;
    return std::nullopt;
}
inline bool is_text(const Value& v) { return v.is<std::string>() || v.is<TextView>(); }

// The row or column `v` refers to (its id, label and aliases); null for any other value.
const NamedLabel* named_label_of(const Value& v);
// Whether `text` holds the id or one of the aliases of `label`: the words name
// that row or column ("因重复申请不予处理" names 表三's 重复申请).
bool mentions(std::string_view text, const NamedLabel& label);

Value missing_value(std::string what);
// Both missing: one Missing naming everything either lacked.
Missing merge_missing(const Value& a, const Value& b);
List make_list(std::vector<Value> items);

// A list of references to every item of a model collection (make_ref(i) for i
// below count), made on first use and kept in `slot` for the rest of the report.
template <class MakeRef>
Value list_once(List& slot, std::size_t count, MakeRef make_ref) {
    if (!slot) {
        std::vector<Value> out;
        out.reserve(count);
        for (std::size_t i = 0; i < count; ++i) out.push_back(make_ref(i));
        slot = make_list(std::move(out));
    }
    return slot;
}

// Arithmetic and comparison on numbers with their intervals. (Inline, as
// Number::written: a table rule's sum adds every cell of a row.)
inline Number add(const Number& a, const Number& b) {
    const int decimals = a.decimals < 0 || b.decimals < 0 ? -1 : std::max(a.decimals, b.decimals);
    return Number{a.value + b.value, a.lo + b.lo, a.hi + b.hi, decimals};
}
Number subtract(const Number& a, const Number& b);
Number multiply(const Number& a, const Number& b);
// Division by an exact zero has no value: the caller reports it missing.
Number divide(const Number& a, const Number& b);
Number negate(const Number& a);
// `a op b` for + - * /; nullopt for a division by an exact zero.
std::optional<Number> arithmetic(ast::BinaryOp op, const Number& a, const Number& b);
// round(a, digits), abs(a), and unit(a): one unit in a's last written digit.
// A count or position written as a number (round's digits, a slice's bound), as
// an integer: clamped to ±2^40 first, since a double beyond int's range (1e20,
// ∞, NaN) has no integer it converts to.
inline long long whole_number(double d) {
    if (std::isnan(d)) return 0;
    constexpr double most = 1099511627776.0;
    return static_cast<long long>(d < -most ? -most : d > most ? most : d);
}
// `a` rounded to `digits` decimals (negative: to tens, hundreds…), as many as a
// double holds.
Number rounded(const Number& a, double digits);
Number absolute(const Number& a);
Number unit_of(const Number& a);
bool equal(const Number& a, const Number& b);            // by value, ignoring float noise
bool approximately_equal(const Number& a, const Number& b);  // intervals intersect
// Distance between the intervals is at most `tolerance`.
bool within(const Number& a, const Number& b, double tolerance);

// A number for a message: as written (71.11, -12); computed values to two
// decimals (four significant digits below 1), trailing zeros dropped.
std::string format_number_value(const Number& n);

}  // namespace gouji::eval
