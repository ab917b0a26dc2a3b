#include "grammar/parser.hpp"

#include <algorithm>
#include <iterator>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <optional>
#include <vector>

#include "gouji/text.hpp"
#include "grammar/actions.hpp"
#include "grammar/errors.hpp"
#include "grammar/grammar.hpp"

namespace gouji {

namespace ast {

const char* spelling(BinaryOp op) {
    switch (op) {
        case BinaryOp::Add: return "+";
        case BinaryOp::Sub: return "-";
        case BinaryOp::Mul: return "*";
        case BinaryOp::Div: return "/";
        case BinaryOp::Eq: return "==";
        case BinaryOp::Ne: return "!=";
        case BinaryOp::Approx: return "~=";
        case BinaryOp::Lt: return "<";
        case BinaryOp::Le: return "<=";
        case BinaryOp::Gt: return ">";
        case BinaryOp::Ge: return ">=";
        case BinaryOp::In: return "in";
        case BinaryOp::NotIn: return "not in";
        case BinaryOp::And: return "and";
        case BinaryOp::Or: return "or";
    }
    return "?";
}

namespace {
std::string sexpr_list(const std::vector<Expr>& items) {
    std::string out;
    for (const auto& i : items) out += " " + to_sexpr(i);
    return out;
}
}  // namespace

std::string to_sexpr(const Expr& e) {
    struct Printer {
        std::string operator()(const Number& n) const { return n.text; }
        std::string operator()(const String& s) const { return "\"" + s.value + "\""; }
        std::string operator()(const Bool& b) const { return b.value ? "true" : "false"; }
        std::string operator()(const List& l) const { return "[" + sexpr_list(l.items) + " ]"; }
        std::string operator()(const Name& n) const { return n.name; }
        std::string operator()(const Member& m) const {
            if (m.args) return "(." + m.name + " " + to_sexpr(*m.object) + sexpr_list(*m.args) + ")";
            return "(. " + to_sexpr(*m.object) + " " + m.name + ")";
        }
        std::string operator()(const Index& i) const { return "([] " + to_sexpr(*i.object) + " " + to_sexpr(*i.index) + ")"; }
        std::string operator()(const Slice& s) const {
            return "([:] " + to_sexpr(*s.object) + " " + (s.from ? to_sexpr(*s.from) : "_") + " " +
                   (s.to ? to_sexpr(*s.to) : "_") + ")";
        }
        std::string operator()(const Call& c) const { return "(" + c.function + sexpr_list(c.args) + ")"; }
        std::string operator()(const Unary& u) const {
            return std::string(u.op == UnaryOp::Neg ? "(- " : "(not ") + to_sexpr(*u.operand) + ")";
        }
        std::string operator()(const Binary& b) const {
            return std::string("(") + spelling(b.op) + " " + to_sexpr(*b.left) + " " + to_sexpr(*b.right) + ")";
        }
        std::string operator()(const Conditional& c) const {
            return "(if " + to_sexpr(*c.condition) + " " + to_sexpr(*c.then_branch) + " " + to_sexpr(*c.else_branch) + ")";
        }
    };
    return std::visit(Printer{}, e.node);
}

}  // namespace ast

namespace grammar {

std::string unescape(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (c == '\\' && i + 1 < raw.size()) {
            char e = raw[++i];
            if (e == 'n')
                out += '\n';
            else if (e == 't')
                out += '\t';
            else if (e == '"' || e == '\'' || e == '\\')
                out += e;
            else
                out += {'\\', e};  // kept: "\d" in a regular expression
        } else {
            out += c;
        }
    }
    return out;
}

std::size_t escaped_offset(std::string_view raw, std::size_t offset) {
    std::size_t written = 0;
    for (std::size_t value = 0; value < offset && written < raw.size(); ++value) {
        if (raw[written] != '\\' || written + 1 >= raw.size()) {
            ++written;
            continue;
        }
        const char e = raw[written + 1];
        const bool one_char = e == 'n' || e == 't' || e == '"' || e == '\'' || e == '\\';
        written += 2;
        if (!one_char) ++value;  // "\d" is kept as written: two bytes of the value
    }
    return std::min(written, raw.size());
}

}  // namespace grammar

namespace {

namespace g = grammar;

// The ASCII a Chinese input method's look-alike stands for: full-width forms
// (＝ ＞ （ １), ideographic punctuation, and Cyrillic letters that look Latin.
std::optional<std::string> ascii_look_alike(char32_t c) {
    if (c >= 0xFF01 && c <= 0xFF5E) return std::string(1, static_cast<char>(c - 0xFF01 + 0x21));
    switch (c) {
        case U'\u3000': return " ";
        case U'\u3001': case U'\uFF0C': return ",";
        case U'\u3002': return ".";
        case U'\u2265': return ">=";
        case U'\u2264': return "<=";
        case U'\u2260': return "!=";
        case U'\u3010': return "[";
        case U'\u3011': return "]";
        case U'\u201C': case U'\u201D': return "\"";
        case U'\u2018': case U'\u2019': return "'";
        case U'\u0430': return "a";
        case U'\u0435': return "e";
        case U'\u043E': return "o";
        case U'\u0440': return "p";
        case U'\u0441': return "c";
        case U'\u0445': return "x";
        case U'\u0443': return "y";
        case U'\u0456': return "i";
        case U'\u2212': case U'\u2013': return "-";  // minus sign, en dash
        default: return std::nullopt;
    }
}

// Signs of arithmetic the language writes otherwise: what to write for each.
std::optional<std::string_view> operator_sign(char32_t c) {
    switch (c) {
        case U'\u2248': return "~=";  // ≈
        case U'\u00D7': return "*";   // ×
        case U'\u00F7': return "/";   // ÷
        default: return std::nullopt;
    }
}

// What to write for operator characters the language has no operator for
// ('=' alone, C's '&&'): what a look-alike run comes to in ASCII may be one.
std::optional<std::string_view> meant_operator(std::string_view ascii) {
    static constexpr std::pair<std::string_view, std::string_view> slips[] = {
        {"=", "=="}, {"&&", "and"}, {"&", "and"}, {"||", "or"}, {"|", "or"}, {"!", "not"},
        {"<>", "!="}, {"=>", ">="}, {"=<", "<="}};
    for (const auto& [written, meant] : slips)
        if (ascii == written) return meant;
    return std::nullopt;
}

bool operator_char(char c) { return std::string_view("=<>!&|~+-*/").find(c) != std::string_view::npos; }

// Chinese words a rule author may write for an operator.
std::optional<std::pair<std::string_view, std::string_view>> operator_word(std::string_view at) {
    static constexpr std::pair<std::string_view, std::string_view> words[] = {
        {"并且", "and"}, {"而且", "and"}, {"且", "and"}, {"或者", "or"}, {"或", "or"}, {"不是", "not"},
        {"等于", "=="}, {"不等于", "!="}, {"大于", ">"}, {"小于", "<"}};
    for (const auto& w : words)
        if (at.starts_with(w.first)) return w;
    return std::nullopt;
}

bool ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The operators of other languages (C's && || !, SQL's AND OR NOT) written at
// `at`: what it is and what to write.
std::optional<std::pair<std::string, std::string>> foreign_operator(std::string_view at) {
    if (at.starts_with("&&")) return std::pair<std::string, std::string>{"&&", "and"};
    if (at.starts_with("||")) return std::pair<std::string, std::string>{"||", "or"};
    if (at.starts_with("!") && !at.starts_with("!=")) return std::pair<std::string, std::string>{"!", "not"};
    std::size_t n = 0;
    while (n < at.size() && ascii_letter(at[n])) ++n;
    if (n < at.size() && (at[n] == '_' || (at[n] >= '0' && at[n] <= '9'))) return std::nullopt;  // AND_X is a name
    const std::string word(at.substr(0, n)), lower = ascii_lower(word);
    if ((lower == "and" || lower == "or" || lower == "not") && word != lower) return std::pair{word, lower};
    return std::nullopt;
}

// A word written just before `offset` (blanks between): `NOT x` reads as the
// name NOT, and the error is at x.
std::size_t word_before(std::string_view text, std::size_t offset) {
    std::size_t end = offset;
    while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\n' || text[end - 1] == '\r')) --end;
    std::size_t begin = end;
    while (begin > 0 && ascii_letter(text[begin - 1])) --begin;
    const bool whole = begin == 0 || std::string_view(" \t\r\n([,").find(text[begin - 1]) != std::string_view::npos;
    return begin < end && whole ? begin : offset;
}

// A quote or bracket not yet closed at some byte of an expression.
struct Opener {
    std::size_t offset = 0;
    std::string open;  // as written: "(", "[", "\"", "“"
    char32_t close = 0;
};

// What is open at byte `upto` of `text`, read from byte `from`: the brackets
// (outermost first) and the text in quotes, if `upto` is inside one. A light
// scan, as the grammar reads strings: \ escapes in ASCII quotes, none in “…”,
// and no string runs past the end of its line.
struct OpenAt {
    std::vector<Opener> brackets;
    std::optional<Opener> quote;
};

OpenAt open_at(std::string_view text, std::size_t from, std::size_t upto) {
    OpenAt st;
    for (std::size_t i = from; i < upto && i < text.size();) {
        const std::size_t here = i;
        const char32_t c = next_char(text, i);
        if (st.quote) {
            if (c == '\n' || c == st.quote->close) st.quote.reset();
            else if (c == '\\' && st.quote->close != U'\u201D' && i < text.size()) (void)next_char(text, i);
            continue;
        }
        const std::string written(text.substr(here, i - here));
        if (c == '"' || c == '\'') st.quote = Opener{here, written, c};
        else if (c == U'\u201C') st.quote = Opener{here, written, U'\u201D'};
        else if (c == '(') st.brackets.push_back({here, written, U')'});
        else if (c == '[') st.brackets.push_back({here, written, U']'});
        else if (c == '{') st.brackets.push_back({here, written, U'}'});
        else if ((c == ')' || c == ']' || c == '}') && !st.brackets.empty() && st.brackets.back().close == c)
            st.brackets.pop_back();
    }
    return st;
}

// What to do about the look-alike `written` at byte `offset` of `text` when its
// ASCII `ascii` would not parse there either: the language has no ';', a ','
// separates only what a bracket holds (表三、予以公开 meant '.'), and an
// expression does not end in punctuation. nullopt when the ASCII is the fix.
std::optional<std::string> look_alike_out_of_place(char ascii, const std::string& written, std::string_view text,
                                                   std::size_t offset) {
    const std::size_t end = offset + written.size();
    const bool last = text.find_first_not_of(" \t\r\n", end) == std::string_view::npos;
    const std::string looks = "'" + written + "' only looks like '" + std::string(1, ascii) + "'";
    if (ascii == ';')
        return last ? "remove the '" + written + "' (an expression does not end with one)"
                    : looks + ", which the language does not have either: join conditions with 'and' in its place";
    if (std::string_view("?@#$^`\\").find(ascii) != std::string_view::npos)
        return looks + ", which the language does not have either: remove it";
    if (last && (ascii == ',' || ascii == '.' || ascii == ':'))
        return "remove the '" + written + "' (an expression does not end with one)";
    if (ascii != ',') return std::nullopt;
    const auto name_byte = [](char c) {
        return ascii_letter(c) || c == '_' || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
    };
    // `for: r in 表三.rows、c in 表三.columns`: bindings are apart with ','.
    std::size_t next = text.find_first_not_of(" \t", end);
    while (next < text.size() && name_byte(text[next])) ++next;
    if (next < text.size() && text.substr(next).starts_with(" in ")) return std::nullopt;
    // The name before it: a table's row and column are named after a '.'.
    std::size_t begin = offset;
    while (begin > 0 && name_byte(text[begin - 1])) --begin;
    const bool after_table = text.substr(begin, offset - begin).starts_with("表");
    const bool in_brackets = !open_at(text, 0, offset).brackets.empty();
    if (after_table || !in_brackets)
        return looks + ", which does not go there either: write '.' between a table, its row and its column "
                       "(表三.予以公开.总计)";
    return looks + ": write ',' between arguments, or '.' between a table, its row and its column (表三.予以公开.总计)";
}

// A syntax error at a look-alike says which ASCII character to write instead; at
// a Chinese word for an operator, which operator; at a '%' after a number, that
// a percentage is written as its number.
std::string with_look_alike_hint(std::string message, std::string_view text, std::size_t offset) {
    if (offset >= text.size()) return message;
    std::u32string at = to_u32(text.substr(offset, std::min<std::size_t>(12, text.size() - offset)));
    if (at.empty()) return message;
    if (auto sign = operator_sign(at.front()))
        return message + ": '" + to_utf8(at.substr(0, 1)) + "' is not an operator: write '" + std::string(*sign) + "'";
    // ">＝", "!＝": an ASCII operator finished with a full-width '＝' (an input method
    // switched half-way). The parser stops at the '＝' after '>', and at the '!'
    // itself ('!' alone is no operator): what was meant is the two in ASCII.
    // After a whole operator (">=＝", "==＝") the '＝' is one too many.
    const auto full_width_equals = [](char32_t c) { return c != U'=' && ascii_look_alike(c) == std::optional<std::string>("="); };
    const auto operator_before = [&](std::size_t n) {
        return offset >= n && std::string_view("<>!=~").find(text[offset - n]) != std::string_view::npos;
    };
    if (full_width_equals(at.front()) && operator_before(1)) {
        const std::string fw = to_utf8(at.substr(0, 1));
        if (text[offset - 1] == '=' && operator_before(2))
            return message + ": '" + fw + "' after '" + std::string(text.substr(offset - 2, 2)) + "' is one '=' too many: remove it";
        return message + ": '" + text[offset - 1] + fw + "' ends in a full-width '" + fw + "': write '" + text[offset - 1] +
               "=' in ASCII";
    }
    // The parser stops at '!' and '~' themselves: neither alone is an operator.
    if (at.size() > 1 && (at.front() == U'!' || at.front() == U'~') && full_width_equals(at[1])) {
        const std::string sign(1, static_cast<char>(at.front()));
        return message + ": '" + sign + to_utf8(at.substr(1, 1)) + "' ends in a full-width '" + to_utf8(at.substr(1, 1)) +
               "': write '" + sign + "=' in ASCII";
    }
    if (auto ascii = ascii_look_alike(at.front())) {
        // A run of look-alike operator characters (＞＝) is one operator: say it
        // whole, and what to write when its ASCII is no operator either (＝, ＆＆).
        std::string run = *ascii;
        std::size_t length = 1;
        if (run.size() == 1 && operator_char(run[0]))
            for (; length < at.size() && length < 3; ++length) {
                // An ASCII operator character after the look-alike ("！=") is of the same operator.
                auto next = at[length] < 0x80 && operator_char(static_cast<char>(at[length]))
                                ? std::optional<std::string>(std::string(1, static_cast<char>(at[length])))
                                : ascii_look_alike(at[length]);
                if (!next || next->size() != 1 || !operator_char((*next)[0])) break;
                run += *next;
            }
        const std::string written = to_utf8(at.substr(0, length));
        if (auto meant = meant_operator(run))
            return message + ": '" + written + "' only looks like '" + run + "', which is no operator either: write '" +
                   std::string(*meant) + "'";
        if (length == 1 && run.size() == 1)
            if (auto fix = look_alike_out_of_place(run[0], written, text, offset)) return message + ": " + *fix;
        return message + ": '" + written + "' only looks like '" + run + "'; write it in ASCII";
    }
    if (auto word = operator_word(text.substr(offset)))
        return message + ": '" + std::string(word->first) + "' is not an operator; write '" + std::string(word->second) + "'";
    if (auto op = foreign_operator(text.substr(offset)))
        return message + ": '" + op->first + "' is not an operator; write '" + op->second + "'" +
               (ascii_letter(op->first[0]) ? " (the language's words are lower case)" : "");
    if (text[offset] == '%' && offset > 0 && text[offset - 1] >= '0' && text[offset - 1] <= '9')
        return message + ": a percentage is written as its number (88.9, not 88.9%); a figure's percent is p.percent";
    return message;
}

std::string closer_text(char32_t c) { return to_utf8(std::u32string(1, c)); }

bool blank_only(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

// The name a '(' at `offset` calls ("sum"), or "" when it opens a group.
std::string called_at(std::string_view text, std::size_t offset) {
    std::size_t begin = offset;
    while (begin > 0 && (ascii_letter(text[begin - 1]) || text[begin - 1] == '_' ||
                         (text[begin - 1] >= '0' && text[begin - 1] <= '9')))
        --begin;
    return std::string(text.substr(begin, offset - begin));
}

// A comparison at the top level of a call's arguments (byte `from` on, to the
// end): where the call meant to end when it takes numbers (sum(r[a:b] > 5
// is sum(r[a:b]) > 5). A call with a binding (any(x in l, x > 5) takes the
// condition as its argument: no place is said.
std::optional<std::size_t> comparison_after(std::string_view text, std::size_t from) {
    std::size_t depth = 0;
    std::optional<std::size_t> found;
    for (std::size_t i = from; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '"' || c == '\'') {
            const std::size_t end = text.find(c, i + 1);
            if (end == std::string_view::npos) return std::nullopt;
            i = end;
        } else if (c == '(' || c == '[') {
            ++depth;
        } else if ((c == ')' || c == ']') && depth > 0) {
            --depth;
        } else if (depth == 0 && !found && std::string_view("=<>!~").find(c) != std::string_view::npos) {
            found = i;
        } else if (depth == 0 && text.compare(i, 4, " in ") == 0) {
            return std::nullopt;
        }
    }
    return found;
}

// A syntax error where a closing quote or bracket was expected, said at the
// quote or bracket that is never closed (where the parser gave up is the end of
// the line or text, far from it), with what to add and, when there is one, a
// plausible place. nullopt when the error is of another kind, or the bracket is
// closed further on (a slip inside it, not a bracket left open).
std::optional<SyntaxError> never_closed(std::string_view text, std::size_t from, std::size_t offset, const std::string& expected) {
    const bool string_close = expected == g::error_message<g::dq_close> || expected == g::error_message<g::sq_close> ||
                              expected == g::error_message<g::cn_close>;
    const bool bracket_close = expected == g::error_message<g::paren_close> || expected == g::error_message<g::call_close> ||
                               expected == g::error_message<g::list_close> || expected == g::error_message<g::bracket_close>;
    if (!string_close && !bracket_close) return std::nullopt;
    const OpenAt open = open_at(text, from, offset);
    if (string_close) {
        if (!open.quote) return std::nullopt;
        const Opener& q = *open.quote;
        const std::string close = closer_text(q.close);
        // `"年度报告”`: closed by a full-width quote, which is text inside an ASCII
        // one. Adding a closing quote at the end would take the ” into the text.
        if (q.close == '"' || q.close == '\'') {
            const std::u32string look_alikes = q.close == '"' ? U"\u201D\uFF02\u300D\u300F" : U"\u2019\uFF07\u300D\u300F";
            const std::size_t from_inside = q.offset + q.open.size();
            for (std::size_t i = from_inside; i < offset && i < text.size();) {
                const std::size_t here = i;
                if (look_alikes.find(next_char(text, i)) == std::u32string::npos) continue;
                const std::string written(text.substr(here, i - here));
                return SyntaxError(static_cast<std::uint32_t>(here),
                                   "the text opened by the " + q.open + " before it is closed by a full-width " + written +
                                       ", which is a character of the text: write " + close + " in its place (" + q.open +
                                       shortened(text.substr(from_inside, here - from_inside), 30) + close + ")");
            }
        }
        std::string message = "the text opened by this " + q.open + " is never closed: add the closing " + close +
                              " where it ends";
        // `matches(s.text, "申请)`: the line ends with the brackets that were to
        // close after the text; it ends before them.
        std::string_view inside = text.substr(q.offset + q.open.size(), offset - q.offset - q.open.size());
        inside = inside.substr(0, inside.find_last_not_of(" \t\r") + 1);
        std::size_t closers = 0;
        for (auto b = open.brackets.rbegin(); b != open.brackets.rend() && closers < inside.size(); ++b) {
            if (b->close >= 0x80 || inside[inside.size() - 1 - closers] != static_cast<char>(b->close)) break;
            ++closers;
        }
        if (closers > 0 && closers < inside.size()) {
            const std::string_view words = inside.substr(0, inside.size() - closers);
            const std::string_view brackets = inside.substr(inside.size() - closers);
            message += ", before the '" + std::string(brackets) + "' at the end of the line: " + q.open +
                       shortened(words, 30) + close + std::string(brackets);
        }
        return SyntaxError(static_cast<std::uint32_t>(q.offset), message);
    }
    if (open.brackets.empty()) return std::nullopt;
    const Opener& b = open.brackets.back();
    const std::string call = b.close == U')' ? called_at(text, b.offset) : std::string();
    const std::string what = "this '" + b.open + "'" + (call.empty() ? "" : " after " + call) + " is never closed: add '";
    if (blank_only(text.substr(offset))) {
        std::string add;
        for (auto o = open.brackets.rbegin(); o != open.brackets.rend(); ++o) add += closer_text(o->close);
        // sum(表三.rows[0:3] > 5: a function of numbers ends before a comparison.
        static constexpr std::string_view of_numbers[] = {"sum", "count", "min", "max", "abs", "round", "length",
                                                         "number", "numbers", "decimals", "unit"};
        const bool numbers = std::find(std::begin(of_numbers), std::end(of_numbers), call) != std::end(of_numbers);
        if (numbers && open.brackets.size() == 1)
            if (auto at = comparison_after(text, b.offset + 1)) {
                std::size_t end = *at;
                while (end < text.size() && std::string_view("=<>!~").find(text[end]) != std::string_view::npos) ++end;
                return SyntaxError(static_cast<std::uint32_t>(b.offset),
                                   what + add + "' where its arguments end, before the '" +
                                       std::string(text.substr(*at, end - *at)) + "'");
            }
        std::string message = what + add + "' at the end of the expression";
        if (open.brackets.size() > 1)
            message += " (the " + std::string(open.brackets.size() == 2 ? "'" + open.brackets.front().open + "' before it is"
                                                                        : "brackets before it are") +
                       " not closed either)";
        return SyntaxError(static_cast<std::uint32_t>(b.offset), message);
    }
    // `sum(表三.rows[0:3) > 0`: the ')' closes a bracket opened before this one,
    // which is then never closed.
    if (offset >= text.size()) return std::nullopt;
    const char32_t at = static_cast<unsigned char>(text[offset]);
    std::optional<std::size_t> outer;
    for (std::size_t k = open.brackets.size() - 1; k-- > 0;)
        if (open.brackets[k].close == at) {
            outer = k;
            break;
        }
    if (!outer) return std::nullopt;
    std::string add;
    for (std::size_t k = open.brackets.size(); k-- > *outer + 1;) add += closer_text(open.brackets[k].close);
    return SyntaxError(static_cast<std::uint32_t>(b.offset), what + add + "' before the '" + closer_text(at) + "'");
}

// Parses `Rule` from byte `at` of `text` into `st` (whose offsets are from the
// text's start); the bytes it took, or nullopt when it does not match there.
template <typename Rule>
std::optional<std::size_t> parse_from(std::string_view text, std::size_t at, g::ParseState& st) {
    tao::pegtl::memory_input<> in(text.data(), text.size(), "expression");
    in.bump(at);
    try {
        if (!tao::pegtl::parse<Rule, g::action, g::control>(in, st)) return std::nullopt;
    } catch (const tao::pegtl::parse_error& e) {
        std::uint32_t offset = e.positions().empty() ? 0 : static_cast<std::uint32_t>(e.positions().front().byte);
        if (auto unclosed = never_closed(text, at, offset, std::string(e.message()))) throw *unclosed;
        const std::size_t before = word_before(text, offset);
        if (before < offset && !foreign_operator(text.substr(offset)))
            if (auto op = foreign_operator(text.substr(before)); op && op->second == "not")
                throw SyntaxError(static_cast<std::uint32_t>(before), "'" + op->first + "' is not an operator; write '" +
                                                                          op->second + "' (the language's words are lower case)");
        throw SyntaxError(offset, with_look_alike_hint(std::string(e.message()), text, offset), std::string(e.message()));
    }
    return static_cast<std::size_t>(in.current() - text.data()) - at;
}

template <typename Rule>
g::ParseState parse_with(std::string_view text) {
    g::ParseState st;
    st.base = text.data();
    (void)parse_from<Rule>(text, 0, st);
    return st;
}

}  // namespace

ast::Expr parse_expression(std::string_view text) {
    auto st = parse_with<g::expression_text>(text);
    return std::move(st.values.back());
}

std::shared_ptr<const ast::Expr> parse_expression_shared(std::string_view text) {
    // Packs repeat their conditions: 103 of the 306 whens, checks and lets of the
    // standard packs are written before in another rule, and parsing one is
    // about 20,000 instructions. A tree is only read once parsed, so one serves
    // every rule and both compile threads. Bounded: rules may be compiled all day.
    // The bound is on the texts, but what stays is their trees: 50 to 150 bytes a
    // byte of text (an ast::Expr is 104 bytes, and `a` is one), and an entry's
    // ~150. 1 MiB of texts kept up to 150 MiB; 64 KiB (the standard packs' distinct
    // texts are 26 KB) keeps 15 MiB at most.
    static std::mutex mutex;
    static std::unordered_map<std::string, std::shared_ptr<const ast::Expr>> parsed;
    static std::size_t cached_bytes = 0;
    constexpr std::size_t most_cached_bytes = 64 << 10;
    {
        std::lock_guard<std::mutex> lock(mutex);
        if (auto it = parsed.find(std::string(text)); it != parsed.end()) return it->second;
    }
    auto tree = std::make_shared<const ast::Expr>(parse_expression(text));
    std::lock_guard<std::mutex> lock(mutex);
    if (text.size() > most_cached_bytes) return tree;
    // Full: the texts kept are of the packs compiled first, maybe long ago, not of
    // those compiled now. A tree in use stays alive in its shared_ptr.
    if (cached_bytes + text.size() > most_cached_bytes) {
        parsed.clear();
        cached_bytes = 0;
    }
    if (parsed.emplace(text, tree).second) cached_bytes += text.size();
    return tree;
}

std::vector<ast::Binding> parse_bindings(std::string_view text) {
    return parse_with<g::bindings_text>(text).bindings;
}

std::vector<ast::MessagePart> parse_message(std::string_view text, std::vector<SyntaxError>& errors) {
    g::ParseState st;
    st.base = text.data();
    std::size_t at = 0;
    while (at < text.size()) {
        try {
            if (auto took = parse_from<g::message_piece>(text, at, st)) {
                at += *took;
                continue;
            }
            errors.emplace_back(static_cast<std::uint32_t>(at), g::error_message<g::lone_close>);
            ++at;
        } catch (const SyntaxError& e) {
            // A placeholder (its '{' at `at`) that does not parse; what was left of it goes.
            st.values.clear();
            st.marks.clear();
            st.brackets.clear();
            st.spec.reset();
            const std::size_t next = text.find_first_of("{}", std::max<std::size_t>(e.offset(), at + 1));
            if (next != std::string_view::npos && text[next] == '}') {
                errors.push_back(e);
                at = next + 1;
                continue;
            }
            // No '}' before the next placeholder or the end: the '{' is the mistake,
            // not what the parser expected where it stopped, and the placeholders
            // after it are still read.
            errors.emplace_back(static_cast<std::uint32_t>(at),
                                "this '{' opens a placeholder that no '}' closes: close it, or write '{{' for a brace");
            at = next == std::string_view::npos ? text.size() : next;
        }
    }
    return std::move(st.parts);
}

std::vector<ast::MessagePart> parse_message(std::string_view text) {
    std::vector<SyntaxError> errors;
    std::vector<ast::MessagePart> parts = parse_message(text, errors);
    if (!errors.empty()) throw errors.front();
    return parts;
}

}  // namespace gouji
