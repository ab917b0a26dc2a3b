#include "engine/eval/eval_value.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "gouji/value.hpp"

namespace gouji::eval {

namespace {

// Every written number needs one: a table of the usual ones spares a pow() each.
const std::array<double, 16> half_units = [] {
    std::array<double, 16> t{};
    for (int d = 0; d < 16; ++d) t[static_cast<std::size_t>(d)] = 0.5 * std::pow(10.0, -d);
    return t;
}();


// Interval ends are sums of binary fractions: allow for their rounding, which is
// about 1e-16 of their size per operation. 1e-12 covers thousands of operations
// and still tells 1,000,000,000 from 1,000,000,001 (1e-9 did not). An infinite
// end (a quotient by an interval that holds zero) gets none: ∞ − ∞ is no gap.
double slack(double a, double b) {
    if (!std::isfinite(a) || !std::isfinite(b)) return 0;
    return 1e-12 * std::max({1.0, std::fabs(a), std::fabs(b)});
}

}  // namespace

double half_unit(int decimals) {
    if (decimals >= 0 && decimals < 16) return half_units[static_cast<std::size_t>(decimals)];
    return 0.5 * std::pow(10.0, -decimals);
}

namespace {

int combined_decimals(int a, int b) { return a < 0 || b < 0 ? -1 : std::max(a, b); }

Number from_interval(double value, double lo, double hi, int decimals) { return Number{value, lo, hi, decimals}; }

}  // namespace

Number Number::written_percent(double v, int decimals) {
    double h = half_unit(std::max(decimals, 0));
    return Number{v, v - h, v + h, decimals};
}

const NamedLabel* named_label_of(const Value& v) {
    if (const auto* r = std::get_if<RowRef>(&v.v)) return r->schema ? &r->schema->rows[r->row] : nullptr;
    if (const auto* c = std::get_if<ColumnRef>(&v.v)) return c->schema ? &c->schema->columns[c->column] : nullptr;
    return nullptr;
}

bool mentions(std::string_view text, const NamedLabel& label) {
    // UTF-8 is self-synchronising: a byte search finds whole characters only.
    if (!label.id.empty() && text.find(label.id) != std::string_view::npos) return true;
    return std::any_of(label.aliases.begin(), label.aliases.end(),
                       [&](const std::string& a) { return !a.empty() && text.find(a) != std::string_view::npos; });
}

Value missing_value(std::string what) { return Missing{{std::move(what)}}; }

Missing merge_missing(const Value& a, const Value& b) {
    Missing m;
    for (const Value* v : {&a, &b}) {
        if (!v->missing()) continue;
        m.absent = m.absent || v->as<Missing>().absent;
        for (const auto& w : v->as<Missing>().what)
            if (std::find(m.what.begin(), m.what.end(), w) == m.what.end()) m.what.push_back(w);
    }
    return m;
}

List make_list(std::vector<Value> items) { return std::make_shared<const std::vector<Value>>(std::move(items)); }

Number subtract(const Number& a, const Number& b) {
    return from_interval(a.value - b.value, a.lo - b.hi, a.hi - b.lo, combined_decimals(a.decimals, b.decimals));
}

Number multiply(const Number& a, const Number& b) {
    double p[] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
    int decimals = a.decimals < 0 || b.decimals < 0 ? -1 : a.decimals + b.decimals;
    return from_interval(a.value * b.value, *std::min_element(p, p + 4), *std::max_element(p, p + 4), decimals);
}

Number divide(const Number& a, const Number& b) {
    double value = a.value / b.value;
    if (b.lo <= 0 && b.hi >= 0) {
        // The divisor's interval holds zero: the quotient could be anything.
        double inf = std::numeric_limits<double>::infinity();
        return from_interval(value, -inf, inf, -1);
    }
    double q[] = {a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi};
    return from_interval(value, *std::min_element(q, q + 4), *std::max_element(q, q + 4), -1);
}

Number negate(const Number& a) { return from_interval(-a.value, -a.hi, -a.lo, a.decimals); }

std::optional<Number> arithmetic(ast::BinaryOp op, const Number& a, const Number& b) {
    switch (op) {
        case ast::BinaryOp::Add: return add(a, b);
        case ast::BinaryOp::Sub: return subtract(a, b);
        case ast::BinaryOp::Mul: return multiply(a, b);
        default:
            // A divisor written or worked out as zero ("0", "0.00", x − x) is a
            // division by zero, whatever its interval: the quotient has no written
            // value, and an unbounded interval would let `~=` hold for anything.
            // Zero as `==` has it: 0.3 − 0.1 − 0.2 leaves a binary remainder.
            if (equal(b, Number::exact(0, 0))) return std::nullopt;
            return divide(a, b);
    }
}

Number rounded(const Number& a, double written_digits) {
    // A double has no digit beyond the 17th, and 10^digits must stay finite
    // (digits of 1e10, ∞ or NaN have no int to convert to).
    const int digits = static_cast<int>(std::clamp<long long>(whole_number(written_digits), -308, 17));
    double scale = digits == 0 ? 1.0 : std::pow(10.0, digits);  // pow(10, 0) is exactly 1
    // Half up (四舍五入) of the number as decimals write it: 201 / 400 * 100 is 50.25,
    // which a double holds as 50.2499999…, and 1.005 as 1.00499…; a value within a
    // few units of a double's last place of a half is that half, and goes away from
    // zero. (Relative to the value, not `==`'s slack, which grows to a half past 1e11.)
    const double scaled = a.value * scale;
    const double below = std::floor(scaled);
    const double half = below + 0.5;
    double whole = std::round(scaled);
    const double ulps = 16 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::fabs(scaled));
    if (std::isfinite(scaled) && std::fabs(scaled - half) <= ulps) whole = scaled < 0 ? below : below + 1;
    return Number::exact(whole / scale, std::max(digits, 0));
}

Number absolute(const Number& a) {
    if (a.lo >= 0) return a;
    if (a.hi <= 0) return negate(a);
    // The interval spans zero: |x| runs from 0 to the farther end.
    return from_interval(std::fabs(a.value), 0, std::max(-a.lo, a.hi), a.decimals);
}

Number unit_of(const Number& a) {
    int d = std::max(a.decimals, 0);
    return Number::exact(std::pow(10.0, -d), d);
}

bool equal(const Number& a, const Number& b) { return std::fabs(a.value - b.value) <= slack(a.value, b.value); }

bool approximately_equal(const Number& a, const Number& b) { return within(a, b, 0); }

bool within(const Number& a, const Number& b, double tolerance) {
    double gap = std::max(a.lo - b.hi, b.lo - a.hi);  // > 0 when the intervals are apart
    return gap <= tolerance + slack(a.value, b.value);
}

std::string format_number_value(const Number& n) {
    if (n.decimals >= 0) return format_number(n.value, n.decimals);
    if (!std::isfinite(n.value)) return n.value > 0 ? "∞" : n.value < 0 ? "-∞" : "NaN";
    std::string s = std::fabs(n.value) >= 1 || n.value == 0 ? fmt::format("{:.2f}", n.value) : fmt::format("{:.4g}", n.value);
    if (s.find('e') != std::string::npos) return s;
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
    }
    if (s == "-0") s = "0";
    return s;
}

}  // namespace gouji::eval
