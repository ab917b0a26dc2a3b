// What the parser does as rules match: build the typed tree (ast.hpp) on a
// value stack, and bound the nesting depth. Actions run only on rules after
// which the grammar never backtracks (everything past them is under must<>),
// so nothing built is ever undone.
#pragma once

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gouji/value.hpp"
#include "grammar/ast.hpp"
#include "grammar/grammar.hpp"
#include "grammar/parser.hpp"

namespace gouji::grammar {

// Deeper nesting than this is refused: the parser, the checker and the
// evaluator all recurse over the tree, and rule files are untrusted input.
inline constexpr std::size_t max_nesting_depth = 200;

struct ParseState {
    const char* base = nullptr;  // start of the parsed text: offsets are from here
    std::vector<ast::Expr> values;
    std::vector<std::size_t> marks;  // values.size() where a list's or call's items start
    struct Bracket {
        std::size_t mark = 0;
        bool colon = false;
        bool has_from = false;
    };
    std::vector<Bracket> brackets;
    std::string binding_name;
    std::uint32_t binding_offset = 0;
    std::vector<ast::Binding> bindings;
    std::vector<ast::MessagePart> parts;
    std::optional<std::pair<std::string, std::uint32_t>> spec;

    std::uint32_t offset(const char* p) const { return static_cast<std::uint32_t>(p - base); }

    ast::Expr pop() {
        ast::Expr e = std::move(values.back());
        values.pop_back();
        return e;
    }

    std::vector<ast::Expr> pop_since(std::size_t mark) {
        std::vector<ast::Expr> items;
        items.reserve(values.size() - mark);
        for (std::size_t i = mark; i < values.size(); ++i) items.push_back(std::move(values[i]));
        values.resize(mark);
        return items;
    }

    template <typename Node>
    void push(Node node, std::uint32_t begin, std::uint32_t end, std::uint32_t depth = 1, std::uint32_t run = 1) {
        // Most of the height in one run is a long expression, not a deep one.
        if (depth > max_tree_depth) throw SyntaxError(begin, too_long(2 * run > depth));
        ast::Expr e;
        e.node = std::move(node);
        e.offset = begin;
        e.end = end;
        e.depth = depth;
        e.run = run;
        values.push_back(std::move(e));
    }

    static std::string too_long(bool in_a_row) {
        const std::string limit = std::to_string(max_tree_depth);
        if (in_a_row)
            return "expression too long: more than " + limit + " operations one after another in one expression (as in a "
                   "+ b + c …): name parts of it with let, a few hundred terms each, and combine those (a sum can also be "
                   "written sum([a, b, c, …]), which has no such limit)";
        return "expression too deep: operations nested more than " + limit + " deep, each in another's operand: name its "
               "inner parts with let";
    }

    void append_text(std::string_view text, std::uint32_t at) {
        if (!parts.empty() && !parts.back().expr) {
            parts.back().text += text;
            return;
        }
        ast::MessagePart p;
        p.text = std::string(text);
        p.offset = at;
        parts.push_back(std::move(p));
    }
};

inline ast::ExprPtr boxed(ast::Expr e) { return std::make_unique<ast::Expr>(std::move(e)); }

inline std::uint32_t depth_of(const std::vector<ast::Expr>& items) {
    std::uint32_t d = 0;
    for (const auto& e : items) d = std::max(d, e.depth);
    return d;
}

std::string unescape(std::string_view raw);

struct depth_limit : pegtl::maybe_nothing {
    template <typename Rule, pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput, typename... States>
    [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
        struct guard {
            std::size_t& depth;
            explicit guard(std::size_t& d) : depth(d) { ++depth; }
            ~guard() { --depth; }
            guard(const guard&) = delete;
            guard& operator=(const guard&) = delete;
        } g(in.private_depth);
        if (in.private_depth > max_nesting_depth)
            throw pegtl::parse_error("expression nested too deeply (more than 200 levels)", in);
        return pegtl::match<Rule, A, M, Action, Control>(in, st...);
    }
};

// A prefix operator nests its operand one level deeper, as a parenthesis does:
// `not not … x` and `- - … 1` count toward the nesting limit, one level an
// operator. The operators are matched in a loop (plus<>), so a chain of any
// length is refused at its 201st level without recursing.
struct prefix_operator_depth : pegtl::maybe_nothing {
    template <typename Rule, pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput, typename... States>
    [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
        const auto at = in.iterator();
        if (!pegtl::match<Rule, A, M, Action, Control>(in, st...)) return false;
        if (++in.private_depth > max_nesting_depth)
            throw pegtl::parse_error("expression nested too deeply (more than 200 levels)", pegtl::position(at, in.source()));
        return true;
    }
};

// Where a run of prefix operators and their operand ends, the levels the
// operators took are given back (prefix_operator_depth counted them).
struct restores_depth {
    template <typename Rule, pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput, typename... States>
    [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
        struct guard {
            std::size_t& depth;
            std::size_t saved;
            explicit guard(std::size_t& d) : depth(d), saved(d) {}
            ~guard() { depth = saved; }
            guard(const guard&) = delete;
            guard& operator=(const guard&) = delete;
        } g(in.private_depth);
        return pegtl::match<Rule, A, M, Action, Control>(in, st...);
    }
};

template <typename Rule>
struct action : pegtl::nothing<Rule> {};

template <>
struct action<expression> : depth_limit {};
template <>
struct action<negate> : prefix_operator_depth {};
template <>
struct action<not_op> : prefix_operator_depth {};

// ---- literals and names -----------------------------------------------------------

template <>
struct action<number> {
    template <typename Input>
    static void apply(const Input& in, ParseState& st) {
        ast::Number n;
        n.text = in.string();
        auto dot = n.text.find('.');
        n.decimals = dot == std::string::npos ? 0 : static_cast<int>(n.text.size() - dot - 1);
        auto [end, ec] = std::from_chars(n.text.data(), n.text.data() + n.text.size(), n.value);
        if (ec == std::errc::result_out_of_range)
            throw pegtl::parse_error("number out of range: a rule computes with about 15 significant digits, "
                                     "between 1e-308 and 1e308",
                                     in);
        // A double holds 15 significant digits: two longer literals that differ
        // past the 15th would be one number, and compare equal. Zeros before the
        // first other digit and after the last one are not significant
        // (10000000000000000, 0.50000000000000000 are exact). A table cell of more is
        // unparseable by the same count (engine/value.cpp).
        const std::size_t significant = significant_digits(n.text);
        if (significant > kMostSignificantDigits)
            throw pegtl::parse_error("number with " + std::to_string(significant) +
                                         " significant digits: a rule computes with 15 (write at most 15 digits, "
                                         "not counting the zeros before the first other digit or after the last)",
                                     in);
        st.push(std::move(n), st.offset(in.begin()), st.offset(in.end()));
    }
};

struct escaped_string_action {
    template <typename Input>
    static void apply(const Input& in, ParseState& st) {
        st.push(ast::String{unescape(in.string_view())}, st.offset(in.begin()), st.offset(in.end()));
    }
};
template <>
struct action<dq_content> : escaped_string_action {};
template <>
struct action<sq_content> : escaped_string_action {};
template <>
struct action<cn_content> {
    template <typename Input>
    static void apply(const Input& in, ParseState& st) {
        st.push(ast::String{in.string()}, st.offset(in.begin()), st.offset(in.end()));
    }
};

template <>
struct action<literal_true> {
    template <typename Input>
    static void apply(const Input& in, ParseState& st) {
        st.push(ast::Bool{true}, st.offset(in.begin()), st.offset(in.end()));
    }
};
template <>
struct action<literal_false> {
    template <typename Input>
    static void apply(const Input& in, ParseState& st) {
        st.push(ast::Bool{false}, st.offset(in.begin()), st.offset(in.end()));
    }
};

template <>
struct action<identifier> {
    template <typename Input>
    static void apply(const Input& in, ParseState& st) {
        st.push(ast::Name{in.string()}, st.offset(in.begin()), st.offset(in.end()));
    }
};

// ---- lists, calls, members, indexes ----------------------------------------------

struct open_mark {
    template <typename Input>
    static void apply(const Input&, ParseState& st) {
        st.marks.push_back(st.values.size());
    }
};
// What is in parentheses starts a run of its own: `(a + b) + c` is nested.
template <>
struct action<parenthesized> {
    template <typename Input>
    static void apply(const Input&, ParseState& st) {
        st.values.back().run = 0;
    }
};

template <>
struct action<list_open> : open_mark {};
template <>
struct action<args_open> : open_mark {};

template <>
struct action<list_literal> {
    template <typename Input>
    static void apply(const Input& in, ParseState& st) {
        auto items = st.pop_since(st.marks.back());
        st.marks.pop_back();
        std::uint32_t depth = depth_of(items) + 1;
        st.push(ast::List{std::move(items)}, st.offset(in.begin()), st.offset(in.end()), depth);
    }
};

template <>
struct action<call_arguments> {
    template <typename Input>
    static void apply(const Input& in, ParseState& st) {
        auto args = st.pop_since(st.marks.back());
        st.marks.pop_back();
        ast::Expr name = st.pop();
        std::uint32_t depth = depth_of(args) + 1;
        st.push(ast::Call{std::get<ast::Name>(name.node).name, std::move(args)}, name.offset, st.offset(in.end()), depth);
    }
};

template <>
struct action<member_name> {
    template <typename Input>
    static void apply(const Input& in, ParseState& st) {
        ast::Expr object = st.pop();
        std::uint32_t begin = object.offset, depth = object.depth + 1;
        st.push(ast::Member{boxed(std::move(object)), in.string(), st.offset(in.begin()), std::nullopt}, begin,
                st.offset(in.end()), depth, object.run + 1);
    }
};

template <>
struct action<method_arguments> {
    template <typename Input>
    static void apply(const Input& in, ParseState& st) {
        auto args = st.pop_since(st.marks.back());
        st.marks.pop_back();
        ast::Expr& m = st.values.back();
        m.depth = std::max(m.depth, depth_of(args) + 1);
        m.end = st.offset(in.end());
        std::get<ast::Member>(m.node).args = std::move(args);
    }
};

template <>
struct action<index_open> {
    template <typename Input>
    static void apply(const Input&, ParseState& st) {
        st.brackets.push_back({st.values.size(), false, false});
    }
};

template <>
struct action<slice_colon> {
    template <typename Input>
    static void apply(const Input&, ParseState& st) {
        auto& b = st.brackets.back();
        b.colon = true;
        b.has_from = st.values.size() > b.mark;
    }
};

template <>
struct action<index> {
    template <typename Input>
    static void apply(const Input& in, ParseState& st) {
        ParseState::Bracket b = st.brackets.back();
        st.brackets.pop_back();
        std::uint32_t end = st.offset(in.end());
        if (!b.colon) {
            ast::Expr ix = st.pop();
            ast::Expr object = st.pop();
            std::uint32_t begin = object.offset, depth = std::max(object.depth, ix.depth) + 1;
            st.push(ast::Index{boxed(std::move(object)), boxed(std::move(ix))}, begin, end, depth,
                    object.depth >= ix.depth ? object.run + 1 : 1);
            return;
        }
        ast::ExprPtr to, from;
        if (st.values.size() > b.mark + (b.has_from ? 1 : 0)) to = boxed(st.pop());
        if (b.has_from) from = boxed(st.pop());
        ast::Expr object = st.pop();
        std::uint32_t begin = object.offset;
        std::uint32_t depth = std::max({object.depth, from ? from->depth : 0u, to ? to->depth : 0u}) + 1;
        st.push(ast::Slice{boxed(std::move(object)), std::move(from), std::move(to)}, begin, end, depth);
    }
};

template <>
struct action<conditional> {
    template <typename Input>
    static void apply(const Input& in, ParseState& st) {
        ast::Expr f = st.pop();
        ast::Expr t = st.pop();
        ast::Expr c = st.pop();
        std::uint32_t depth = std::max({c.depth, t.depth, f.depth}) + 1;
        st.push(ast::Conditional{boxed(std::move(c)), boxed(std::move(t)), boxed(std::move(f))}, st.offset(in.begin()),
                st.offset(in.end()), depth);
    }
};

// ---- operators ------------------------------------------------------------------

// Prefix operators: the matched text starts with the operators; wrap the operand
// once for each, innermost first.
inline bool is_blank_at(std::string_view s, std::size_t i, std::size_t& width) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return (width = 1), true;
    if (s.substr(i, 3) == "\u3000") return (width = 3), true;
    if (s.substr(i, 2) == "\u00A0") return (width = 2), true;
    return false;
}

inline void wrap_prefixed(ParseState& st, std::string_view text, std::uint32_t begin, std::string_view op, ast::UnaryOp kind) {
    std::vector<std::uint32_t> at;
    for (std::size_t i = 0, w = 0; i < text.size();) {
        if (is_blank_at(text, i, w)) {
            i += w;
        } else if (text.substr(i, op.size()) == op) {
            at.push_back(begin + static_cast<std::uint32_t>(i));
            i += op.size();
        } else {
            break;
        }
    }
    for (auto it = at.rbegin(); it != at.rend(); ++it) {
        ast::Expr inner = st.pop();
        std::uint32_t end = inner.end, depth = inner.depth + 1;
        st.push(ast::Unary{kind, boxed(std::move(inner))}, *it, end, depth);
    }
}

template <>
struct action<negated> : restores_depth {
    template <typename Input>
    static void apply(const Input& in, ParseState& st) {
        wrap_prefixed(st, in.string_view(), st.offset(in.begin()), "-", ast::UnaryOp::Neg);
    }
};
template <>
struct action<negated_condition> : restores_depth {
    template <typename Input>
    static void apply(const Input& in, ParseState& st) {
        wrap_prefixed(st, in.string_view(), st.offset(in.begin()), "not", ast::UnaryOp::Not);
    }
};

inline void fold_binary(ParseState& st, ast::BinaryOp op, std::uint32_t op_offset) {
    ast::Expr right = st.pop();
    ast::Expr left = st.pop();
    std::uint32_t begin = left.offset, end = right.end, depth = std::max(left.depth, right.depth) + 1;
    const std::uint32_t run = (left.depth >= right.depth ? left.run : right.run) + 1;
    st.push(ast::Binary{op, boxed(std::move(left)), boxed(std::move(right)), op_offset}, begin, end, depth, run);
}

inline ast::BinaryOp comparison_of(std::string_view t) {
    using ast::BinaryOp;
    if (t.starts_with("==")) return BinaryOp::Eq;
    if (t.starts_with("!=")) return BinaryOp::Ne;
    if (t.starts_with("~=")) return BinaryOp::Approx;
    if (t.starts_with("<=")) return BinaryOp::Le;
    if (t.starts_with(">=")) return BinaryOp::Ge;
    if (t.starts_with("<")) return BinaryOp::Lt;
    if (t.starts_with(">")) return BinaryOp::Gt;
    if (t.starts_with("not")) return BinaryOp::NotIn;
    return BinaryOp::In;
}

template <>
struct action<product_rhs> {
    template <typename Input>
    static void apply(const Input& in, ParseState& st) {
        fold_binary(st, *in.begin() == '*' ? ast::BinaryOp::Mul : ast::BinaryOp::Div, st.offset(in.begin()));
    }
};
template <>
struct action<sum_rhs> {
    template <typename Input>
    static void apply(const Input& in, ParseState& st) {
        fold_binary(st, *in.begin() == '+' ? ast::BinaryOp::Add : ast::BinaryOp::Sub, st.offset(in.begin()));
    }
};
template <>
struct action<comparison_rhs> {
    template <typename Input>
    static void apply(const Input& in, ParseState& st) {
        fold_binary(st, comparison_of(in.string_view()), st.offset(in.begin()));
    }
};
template <>
struct action<and_rhs> {
    template <typename Input>
    static void apply(const Input& in, ParseState& st) {
        fold_binary(st, ast::BinaryOp::And, st.offset(in.begin()));
    }
};
template <>
struct action<or_rhs> {
    template <typename Input>
    static void apply(const Input& in, ParseState& st) {
        fold_binary(st, ast::BinaryOp::Or, st.offset(in.begin()));
    }
};

// ---- bindings and messages -----------------------------------------------------------

template <>
struct action<binding_name> {
    template <typename Input>
    static void apply(const Input& in, ParseState& st) {
        st.binding_name = in.string();
        st.binding_offset = st.offset(in.begin());
    }
};
template <>
struct action<binding> {
    template <typename Input>
    static void apply(const Input&, ParseState& st) {
        st.bindings.push_back(ast::Binding{st.binding_name, st.binding_offset, st.pop()});
    }
};

template <>
struct action<text_run> {
    template <typename Input>
    static void apply(const Input& in, ParseState& st) {
        st.append_text(in.string_view(), st.offset(in.begin()));
    }
};
template <>
struct action<escaped_open> {
    template <typename Input>
    static void apply(const Input& in, ParseState& st) {
        st.append_text("{", st.offset(in.begin()));
    }
};
template <>
struct action<escaped_close> {
    template <typename Input>
    static void apply(const Input& in, ParseState& st) {
        st.append_text("}", st.offset(in.begin()));
    }
};
template <>
struct action<format_spec> {
    template <typename Input>
    static void apply(const Input& in, ParseState& st) {
        st.spec.emplace(in.string(), st.offset(in.begin()));
    }
};
template <>
struct action<placeholder> {
    template <typename Input>
    static void apply(const Input&, ParseState& st) {
        ast::MessagePart p;
        p.expr = st.pop();
        p.offset = p.expr->offset;
        if (st.spec) {
            p.spec = st.spec->first;
            p.spec_offset = st.spec->second;
            st.spec.reset();
        }
        st.parts.push_back(std::move(p));
    }
};

}  // namespace gouji::grammar
