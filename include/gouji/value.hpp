// Values as written in a report: a number keeps the precision it was written
// with, its sign and unit; a cell with no number says why it has none.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gouji {

// Why a cell holds no number. Each is distinct on purpose: a blank is not a 0.
enum class MissingReason {
    None,         // not missing: the value has a number
    Blank,        // the cell is empty
    Slash,        // "/"
    Dash,         // "—", "-", "–", "－"
    Nil,          // "无"
    Absent,       // the template has the cell but the document has no cell there
    Unparseable,  // the cell has text that is not a number
    Unplaced,     // its row holds fewer (or more) numbers than columns, and nothing tells which one is lost (or extra)
};

std::string_view to_string(MissingReason reason);

struct Value {
    MissingReason missing = MissingReason::Blank;
    double number = 0;      // meaningful when missing == None
    int decimals = 0;       // digits written after the decimal point ("71.11" -> 2)
    bool sign_written = false;  // "+12" or "-17": a signed change, not a count
    bool approximate = false;   // "2万多", "近20", "约300", "120.5万"
    // Half the unit of the last digit written when 万/亿 hides digits and no word makes
    // the figure rough: "120.5万" stands for [1204500, 1205500], so 500. It is still
    // `approximate`, but read as that interval (a rough one, "约300", has no number).
    double rounding = 0;
    // Approximate in a way that leaves no number to read: words ("约", "多"), not the
    // rounding of 万/亿 digits.
    bool rough() const { return approximate && rounding == 0; }
    // Digits past a double's range (a cell of 400 nines) or precision (more than
    // kMostSignificantDigits significant digits): missing as unparseable, so no rule
    // counts it, but written where a number goes, so the binder places it.
    bool beyond_range = false;
    std::string unit;       // "元", "万元", "%", "件", "条"... empty when none written

    bool has_number() const { return missing == MissingReason::None; }
    static Value of(double n, int decimals = 0) {
        Value v;
        v.missing = MissingReason::None;
        v.number = n;
        v.decimals = decimals;
        return v;
    }
    static Value missing_because(MissingReason r) {
        Value v;
        v.missing = r;
        return v;
    }
};

// The significant digits a double holds exactly: a cell, or a rule's number literal,
// of more is no number gouji can compute with as written.
inline constexpr std::size_t kMostSignificantDigits = 15;

// The significant digits of a number written in ASCII digits and at most one '.':
// the zeros before the first other digit and after the last do not count
// ("0.0500" and "500" have 1, "99999999999999999999" 20).
std::size_t significant_digits(std::string_view number);

// Words around a number that change how it reads: templates.yaml `metadata:`
// `approximate-before` and `prose-units`, so that a regulator adds one without a
// rebuild. Folded (fold_chars) as the text they are looked for in is; each list
// longest first, so that 超过 is found before 超 and 个百分点 before 个 whatever
// order a file writes them in.
struct NumberWords {
    std::vector<std::u32string> approximate_before;  // 约, 超过: the number is not exact
    std::vector<std::u32string> prose_units;         // 件, 人次: a count's unit in prose

    // Longest first, each word once (a later file may repeat an earlier one's).
    void sort_longest_first();
    // The lists rulepacks/templates.yaml ships, for code that loads no catalog
    // (unit tests, the bench); gouji itself reads them from the catalog, and a test
    // holds these equal to the file's.
    static const NumberWords& standard();
};

// Parses a table cell: "1254", "-12", "+3", "8590元", "3456160965.06(元)", "12.5",
// "71.11%", "约80", "/", "—", "无", "". Full-width digits and signs are accepted.
// `default_unit` applies when the cell writes none (a column "单位：万元").
Value parse_cell_value(std::string_view text, std::string_view default_unit = {},
                       const NumberWords& words = NumberWords::standard());

// The number as written back, with its written precision: 71.11, 3456160965.06, -12.
std::string format_number(double n, int decimals);

}  // namespace gouji
