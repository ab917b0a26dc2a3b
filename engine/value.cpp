#include "gouji/value.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>

#include "gouji/text.hpp"

namespace gouji {

std::string_view to_string(MissingReason reason) {
    switch (reason) {
        case MissingReason::None: return "none";
        case MissingReason::Blank: return "blank";
        case MissingReason::Slash: return "slash";
        case MissingReason::Dash: return "dash";
        case MissingReason::Nil: return "nil";
        case MissingReason::Absent: return "absent";
        case MissingReason::Unparseable: return "unparseable";
        case MissingReason::Unplaced: return "unplaced";
    }
    return "unknown";
}

std::size_t significant_digits(std::string_view number) {
    const std::size_t first = number.find_first_not_of("0.");
    if (first == std::string_view::npos) return 0;
    const std::size_t last = number.find_last_not_of("0.");
    std::size_t significant = 0;
    for (std::size_t i = first; i <= last; ++i) significant += number[i] != '.' ? 1 : 0;
    return significant;
}

namespace {

bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }

bool is_dash(char32_t c) {
    return c == U'-' || c == U'—' || c == U'–' || c == U'－' || c == U'―' || c == U'─' || c == U'━';
}

// Units a cell may carry after its number, longest first.
constexpr std::u32string_view kUnits[] = {U"万元", U"亿元", U"元", U"%", U"件", U"条", U"个", U"项", U"次", U"份", U"人"};

}  // namespace

namespace {

Value beyond_range() {
    Value v = Value::missing_because(MissingReason::Unparseable);
    v.beyond_range = true;
    return v;
}

// A double holds 15 significant digits exactly: a cell of more (99999999999999999999)
// would be read, shown and summed as a number the report does not hold (1e20). Zeros
// before the first other digit and after the last are not significant, as in a rule's
// number literal (grammar/actions.hpp): 100000000000000000000 and 0.50000 are exact.
bool past_precision(std::string_view digits) {
    return significant_digits(digits) > kMostSignificantDigits;
}

// Most cells are plain ASCII numbers ("705", "-12", "3.50"): read them without
// folding. Anything else (or nothing) returns nullopt for the general path; digits
// past a double's range are unparseable, not infinite.
std::optional<Value> plain_number(std::string_view text, std::string_view default_unit) {
    std::size_t i = 0, end = text.size();
    while (i < end && text[i] == ' ') ++i;
    while (end > i && text[end - 1] == ' ') --end;
    if (i == end) return std::nullopt;
    Value v;
    v.missing = MissingReason::None;
    bool negative = false;
    if (text[i] == '+' || text[i] == '-') {
        if (end - i == 1) return std::nullopt;
        negative = text[i] == '-';
        v.sign_written = true;
        ++i;
    }
    const std::size_t first = i;
    int decimals = -1;
    for (; i < end; ++i) {
        char c = text[i];
        if (c >= '0' && c <= '9') {
            if (decimals >= 0) ++decimals;
        } else if (c == '.' && decimals < 0 && i > first && i + 1 < end && text[i + 1] >= '0' && text[i + 1] <= '9') {
            decimals = 0;
        } else {
            return std::nullopt;
        }
    }
    const std::string_view digits = text.substr(first, end - first);
    if (past_precision(digits)) return beyond_range();
    v.number = std::strtod(std::string(digits).c_str(), nullptr);
    if (!std::isfinite(v.number)) return beyond_range();
    if (negative) v.number = -v.number;
    v.decimals = decimals < 0 ? 0 : decimals;
    v.unit = std::string(default_unit);
    return v;
}

// A value has at most four characters besides its digits, separators, signs and
// dashes (a unit like "(万元)"); a line of prose has more within its first few. Lets
// the tokenizer try every line as a value without folding whole paragraphs.
bool short_enough_for_a_value(std::string_view text) {
    int others = 0;
    for (std::size_t i = 0; i < text.size();) {
        char32_t c = fold_char(next_char(text, i));
        if (is_space(c) || (c >= U'0' && c <= U'9') || c == U'.' || c == U',' || c == U'+' || c == U'−' || is_dash(c))
            continue;
        if (++others > 4) return false;
    }
    return true;
}

}  // namespace

void NumberWords::sort_longest_first() {
    for (auto* list : {&approximate_before, &prose_units}) {
        std::vector<std::u32string> once;
        for (auto& w : *list)
            if (std::find(once.begin(), once.end(), w) == once.end()) once.push_back(std::move(w));
        // Stable: words of one length keep the file's order (which is then no matter,
        // as two words of one length never both match at one place).
        std::stable_sort(once.begin(), once.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
        *list = std::move(once);
    }
}

const NumberWords& NumberWords::standard() {
    static const NumberWords words = [] {
        NumberWords w;
        w.approximate_before = {U"超过", U"将近", U"大约", U"接近", U"突破", U"约", U"近", U"超", U"逾"};
        w.prose_units = {
            U"个百分点", U"平方公里", U"平方米", U"立方米", U"人次", U"家次", U"件次", U"个次", U"户次", U"台次",
            U"条次", U"场次", U"批次", U"万元", U"亿元", U"公里", U"千米", U"小时", U"分钟", U"课时", U"学时",
            U"部分", U"个", U"件", U"条", U"份", U"项", U"次", U"场", U"家", U"期", U"篇", U"元", U"起", U"人",
            U"名", U"户", U"批", U"宗", U"册", U"部", U"类", U"台", U"页", U"张", U"位", U"所", U"座", U"本",
            U"套", U"种", U"处", U"栋", U"辆", U"天", U"米", U"吨", U"亩", U"例", U"轮", U"封", U"笔", U"枚",
            U"幅", U"块", U"节"};
        w.sort_longest_first();
        return w;
    }();
    return words;
}

Value parse_cell_value(std::string_view text, std::string_view default_unit, const NumberWords& words) {
    if (auto v = plain_number(text, default_unit)) return *v;
    if (!short_enough_for_a_value(text)) return Value::missing_because(MissingReason::Unparseable);
    std::u32string s;
    for (char32_t c : fold_chars(text))
        if (!is_space(c)) s.push_back(c);
    if (s.empty()) return Value::missing_because(MissingReason::Blank);
    if (s == U"/" || s == U"\\") return Value::missing_because(MissingReason::Slash);
    bool all_dash = true;
    for (char32_t c : s) all_dash = all_dash && is_dash(c);
    if (all_dash) return Value::missing_because(MissingReason::Dash);
    if (s == U"无") return Value::missing_because(MissingReason::Nil);
    // Zero written as a Chinese numeral (or the circle "○" typed for 〇): a count like any other 0.
    if (s == U"〇" || s == U"零" || s == U"○") return Value::of(0);

    std::size_t i = 0;
    Value v;
    v.missing = MissingReason::None;
    for (const std::u32string& word : words.approximate_before)
        if (s.size() > word.size() && s.starts_with(word) && is_digit(s[word.size()])) {
            v.approximate = true;
            i = word.size();
            break;
        }
    bool negative = false;
    // A minus typed as a dash ("–5", "—5": a word processor's or an input method's
    // hyphen) is a minus: before digits no dash means "none".
    if (s[i] == U'+' || s[i] == U'−' || (is_dash(s[i]) && s.size() > 1 && is_digit(s[1]))) {
        negative = s[i] != U'+';
        v.sign_written = true;
        ++i;
    }
    std::string digits;
    int decimals = -1;
    for (; i < s.size(); ++i) {
        char32_t c = s[i];
        if (is_digit(c)) {
            digits.push_back(static_cast<char>(c));
            if (decimals >= 0) ++decimals;
        } else if (c == U'.' && decimals < 0 && !digits.empty() && i + 1 < s.size() && is_digit(s[i + 1])) {
            digits.push_back('.');
            decimals = 0;
        } else if (c == U',' && !digits.empty() && decimals < 0 && i + 3 < s.size() + 1) {
            continue;  // thousands separator
        } else {
            break;
        }
    }
    if (digits.empty()) return Value::missing_because(MissingReason::Unparseable);
    std::u32string rest = s.substr(i);
    // "(元)" / "（元）" around the unit.
    if (rest.size() >= 2 && rest.front() == U'(' && rest.back() == U')') rest = rest.substr(1, rest.size() - 2);
    if (!rest.empty()) {
        bool known = false;
        for (auto unit : kUnits)
            if (rest == unit) known = true;
        if (rest == U"多" || rest == U"余" || rest == U"多万" || rest == U"余万" || rest == U"万多" || rest == U"万余") {
            v.approximate = true;
            known = true;
            const bool wan = rest.find(U'万') != std::u32string::npos;
            rest.clear();
            if (wan) rest.push_back(U'万');
        }
        if (!known) return Value::missing_because(MissingReason::Unparseable);
    }
    if (past_precision(digits)) return beyond_range();
    v.number = std::strtod(digits.c_str(), nullptr);
    if (rest == U"万") {
        v.number *= 10000;
        rest.clear();
    }
    // A number no double holds (a cell of 400 nines) would print as "inf" and count
    // as present: the rules must see it as missing.
    if (!std::isfinite(v.number)) return beyond_range();
    if (negative) v.number = -v.number;
    v.decimals = decimals < 0 ? 0 : decimals;
    v.unit = rest.empty() ? std::string(default_unit) : to_utf8(rest);
    return v;
}

std::string format_number(double n, int decimals) {
    if (decimals < 0) decimals = 0;
    // Most figures are whole numbers: those skip floating-point formatting,
    // which a finding's message and binding text do for every number they show.
    if (decimals == 0 && std::fabs(n) < 9.0e15 && n == std::trunc(n)) {
        char digits[24];
        auto [end, ec] = std::to_chars(digits, digits + sizeof digits, static_cast<long long>(n));
        return ec == std::errc{} ? std::string(digits, end) : std::string("0");
    }
    // The shortest text that reads back as n (at most 17 significant digits).
    // Up to its own decimals, n prints as printf("%.*f") does: the exact binary
    // value rounded once. Written decimals beyond them (0.50, a literal with 19
    // decimals) are the shortest text's own digits then zeros, never the binary
    // expansion's noise; no more than the 330 or so a double ever needs.
    constexpr int most_decimals = 340;
    if (!std::isfinite(n)) return std::isnan(n) ? "nan" : n > 0 ? "inf" : "-inf";  // as before: no decimals to pad
    char buffer[800];
    auto shortest = std::to_chars(buffer, buffer + sizeof buffer, n, std::chars_format::fixed);
    if (shortest.ec != std::errc{}) return std::to_string(n);
    std::string out(buffer, shortest.ptr);
    const std::size_t point = out.find('.');
    const int own_decimals = point == std::string::npos ? 0 : static_cast<int>(out.size() - point - 1);
    if (decimals <= own_decimals) {
        auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, n, std::chars_format::fixed, decimals);
        out = ec == std::errc{} ? std::string(buffer, end) : std::to_string(n);
    } else if (own_decimals < most_decimals) {
        if (point == std::string::npos) out += '.';
        out.append(static_cast<std::size_t>(std::min(decimals, most_decimals) - own_decimals), '0');
    }
    if (out == "-0") out = "0";
    return out;
}

}  // namespace gouji
