// What a syntax error says, per rule at which the grammar commits (every rule
// used in must<>). must_if raises only through must<>: a rule that merely fails
// to match lets the grammar try the next alternative.
#pragma once

#include <tao/pegtl/must_if.hpp>

#include "grammar/grammar.hpp"

namespace gouji::grammar {

// clang-format off
template< typename > inline constexpr const char* error_message = nullptr;

template<> inline constexpr auto error_message< escape_code > = "unterminated string: it ends in a backslash";
template<> inline constexpr auto error_message< dq_close > = "unterminated string: the closing '\"' is missing";
template<> inline constexpr auto error_message< sq_close > = "unterminated string: the closing ''' is missing";
template<> inline constexpr auto error_message< cn_close > = "unterminated string: the closing '”' is missing";
template<> inline constexpr auto error_message< expression > = "expected an expression";
template<> inline constexpr auto error_message< list_close > = "expected ',' or ']' in the list";
template<> inline constexpr auto error_message< paren_close > = "expected ')'";
template<> inline constexpr auto error_message< call_close > = "expected ',' or ')' in the argument list";
template<> inline constexpr auto error_message< then_branch > = "expected 'then' after the condition of 'if'";
template<> inline constexpr auto error_message< else_branch > = "expected 'else': an 'if' needs both branches";
template<> inline constexpr auto error_message< member_name > = "expected a name after '.'";
template<> inline constexpr auto error_message< index_body > = "expected an index or a slice inside '[ ]'";
template<> inline constexpr auto error_message< bracket_close > = "expected ']'";
template<> inline constexpr auto error_message< operand > = "expected an operand after '-'";
template<> inline constexpr auto error_message< unary > = "expected an operand after the operator";
template<> inline constexpr auto error_message< product > = "expected an operand after the operator";
template<> inline constexpr auto error_message< sum > = "expected an operand after the comparison";
template<> inline constexpr auto error_message< unchained > = "comparisons cannot be chained: join them with 'and'";
template<> inline constexpr auto error_message< comparison > = "expected an operand after 'not'";
template<> inline constexpr auto error_message< negation > = "expected an operand after 'and'";
template<> inline constexpr auto error_message< conjunction > = "expected an operand after 'or'";
template<> inline constexpr auto error_message< end_of_text > = "unexpected text: expected an operator or the end of the expression";
template<> inline constexpr auto error_message< binding > = "expected a binding such as 'c in 表三.columns'";
template<> inline constexpr auto error_message< binding_in > = "expected 'in' after the name of the binding";
template<> inline constexpr auto error_message< placeholder_close > = "expected '}' to close the placeholder";
template<> inline constexpr auto error_message< lone_close > = "a '}' that closes no placeholder: write '}}' for a brace, or add the '{' that opens the placeholder";
template<> inline constexpr auto error_message< single_equals > = "'=' is not an operator: write '==' to compare";
template<> inline constexpr auto error_message< arrow_ge > = "'=>' is not an operator: write '>=' (greater than or equal)";
template<> inline constexpr auto error_message< arrow_le > = "'=<' is not an operator: write '<=' (less than or equal)";
template<> inline constexpr auto error_message< diamond > = "'<>' is not an operator: write '!=' (not equal)";
// clang-format on

struct errors {
    template <typename Rule>
    static constexpr const char* message = error_message<Rule>;
    // Only must<> and raise<> turn a failure into an error.
    template <typename Rule>
    static constexpr bool raise_on_failure = false;
};

template <typename Rule>
using control = tao::pegtl::must_if<errors>::control<Rule>;

}  // namespace gouji::grammar
